"""Rules evaluated by worker processes (`jobs`) give the report one process gives, whatever fails."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT, run
from nofakes.audit import engine, parallel
from nofakes.audit.engine import run_audit
from nofakes.audit.subjects import build_subjects
from nofakes.audit.targets import TARGETS
from nofakes.packs.catalogue import ResolvedPack, resolve_all
from nofakes.packs.model import Target
from nofakes.reports import RenderOptions, formatter
from nofakes.reports.view import build_view
from nofakes.supply.graph import build_graph
from nofakes.supply.loading import LoadedSupply, load_supply

sys.path.insert(0, str(ROOT / "benchmarks"))
from format11 import enrich  # noqa: E402
from generate import generate, write  # noqa: E402

MIX2 = ROOT / "benchmarks" / "packs" / "benchmix" / "2.0.0.yaml"
AS_OF = dt.date(2026, 11, 1)
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes need os.fork")


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> LoadedSupply:
    """1,500 partners in format 1.1, with waivers: every target, path rules with evidence, product ends."""
    path = tmp_path_factory.mktemp("parallel") / "supply.json"
    write(enrich(generate(1500, seed=7), 7), path, "json")
    return load_supply(path)


@pytest.fixture(scope="module")
def packs() -> list[ResolvedPack]:
    return resolve_all(["ntif@1.0.0", str(MIX2)])


def _report(loaded: LoadedSupply, packs: list[ResolvedPack], include_passes: bool = False, **kw: Any) -> bytes:
    result = run_audit(loaded, packs, as_of=AS_OF, include_passes=include_passes, **kw)
    stream = io.BytesIO()
    formatter("json").write(build_view(result, RenderOptions()), stream)
    return stream.getvalue()


@pytest.fixture(scope="module")
def one_process(graph: LoadedSupply, packs: list[ResolvedPack]) -> bytes:
    return _report(graph, packs, jobs=1)


@needs_fork
@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_give_the_report_of_one_process(graph: LoadedSupply, packs: list[ResolvedPack], one_process: bytes,
                                                jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    absorbed: list[str] = []
    absorb = engine._Evaluator.absorb

    def counted(self: Any, compiled: Any, sent: Any) -> Any:
        absorbed.append(compiled.rule.id)
        return absorb(self, compiled, sent)

    monkeypatch.setattr(engine._Evaluator, "absorb", counted)
    report = _report(graph, packs, jobs=jobs)
    assert report == one_process
    assert 0 < len(absorbed) < 96 and len(set(absorbed)) == len(absorbed)  # workers evaluated some rules, each once
    data = json.loads(report)
    assert data["summary"]["failed_total"] > 1000 and data["waivers"]["applied"]  # it exercises what is compared


@needs_fork
def test_workers_give_the_passes_of_one_process(graph: LoadedSupply, packs: list[ResolvedPack]) -> None:
    assert _report(graph, packs, include_passes=True, jobs=2) == _report(graph, packs, include_passes=True, jobs=1)


def test_the_order_rules_are_evaluated_in_changes_nothing(graph: LoadedSupply, packs: list[ResolvedPack],
                                                          one_process: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """What workers rely on: a rule's outcomes do not depend on which rules were evaluated before it."""
    def backwards(count: int, local: Any, remote: Any, absorb: Any, **_: Any) -> list[Any]:
        runs = {i: local(i) for i in reversed(range(count))}
        return [runs[i] for i in range(count)]

    monkeypatch.setattr(engine, "evaluate_rules", backwards)
    assert _report(graph, packs) == one_process


@needs_fork
@pytest.mark.parametrize("how", ["raises", "dies"])
def test_a_failing_worker_leaves_its_rules_to_this_process(graph: LoadedSupply, packs: list[ResolvedPack],
                                                           one_process: bytes, how: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    remote = engine._Evaluator.remote
    calls = {"n": 0}

    def flaky(self: Any, compiled: Any) -> Any:
        calls["n"] += 1
        if os.getpid() != here and calls["n"] == 3:  # in the worker, at its third rule
            if how == "dies":
                os._exit(9)
            raise MemoryError
        return remote(self, compiled)

    monkeypatch.setattr(engine._Evaluator, "remote", flaky)
    absorbed: list[str] = []
    absorb = engine._Evaluator.absorb
    monkeypatch.setattr(engine._Evaluator, "absorb",
                        lambda self, compiled, sent: absorbed.append(compiled.rule.id) or absorb(self, compiled, sent))
    assert _report(graph, packs, jobs=2) == one_process
    assert len(absorbed) == 2  # the worker sent two rules, then failed: this process evaluated the rest
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no worker is left behind


@needs_fork
def test_an_error_here_ends_the_workers_and_is_raised(graph: LoadedSupply, packs: list[ResolvedPack],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    evaluate = engine._Evaluator.evaluate

    def broken(self: Any, compiled: Any, kind: Any = engine.RuleRun) -> Any:
        if os.getpid() == here and kind is engine.RuleRun:
            raise RuntimeError("broken rule")
        return evaluate(self, compiled, kind)

    monkeypatch.setattr(engine._Evaluator, "evaluate", broken)
    with pytest.raises(RuntimeError, match="broken rule"):
        run_audit(graph, packs, as_of=AS_OF, jobs=2)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@needs_fork
def test_workers_leave_no_files_behind(graph: LoadedSupply, packs: list[ResolvedPack], tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    run_audit(graph, packs, as_of=AS_OF, jobs=2)
    assert list(tmp_path.iterdir()) == []


@needs_fork
def test_progress_names_every_rule_once_and_counts_up(graph: LoadedSupply, packs: list[ResolvedPack]) -> None:
    calls: list[tuple[int, int, str]] = []
    result = run_audit(graph, packs, as_of=AS_OF, jobs=2, progress=lambda i, n, rule: calls.append((i, n, rule)))
    total = len(result.rules)
    assert calls[-1] == (total, total, "")
    done = [i for i, _, _ in calls]
    assert done == sorted(done) and {n for _, n, _ in calls} == {total}
    in_force = [r.rule.id for r in result.rules if r.not_in_force is None]
    assert sorted(rule for _, _, rule in calls[:-1]) == sorted(in_force)


def test_how_many_processes() -> None:
    assert parallel.usable_jobs(1, 10**6) == 1
    assert parallel.usable_jobs(None, parallel.PARALLEL_FROM - 1) == 1  # a small graph: not worth a fork
    if hasattr(os, "fork"):
        assert parallel.usable_jobs(3, 10) == 3  # asked for: the same results, so always granted


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers by default on Linux only")
def test_by_default_as_many_processes_as_cpus_and_memory_allow(monkeypatch: pytest.MonkeyPatch) -> None:
    import resource

    cpus = min(len(os.sched_getaffinity(0)), parallel.MOST_JOBS)
    size = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    monkeypatch.setattr(parallel, "available_memory", lambda: None)  # not known: the CPUs decide
    assert parallel.usable_jobs(None, parallel.PARALLEL_FROM) == cpus
    monkeypatch.setattr(parallel, "available_memory", lambda: int(100 * size))
    assert parallel.usable_jobs(None, parallel.PARALLEL_FROM) == cpus
    monkeypatch.setattr(parallel, "available_memory", lambda: int(2.1 * parallel.COPIED_SHARE * size))
    assert parallel.usable_jobs(None, parallel.PARALLEL_FROM) == min(cpus, 2)  # the copies of two processes fit
    monkeypatch.setattr(parallel, "available_memory", lambda: int(0.5 * parallel.COPIED_SHARE * size))
    assert parallel.usable_jobs(None, parallel.PARALLEL_FROM) == 1  # not even one copy fits: no worker
    assert parallel.usable_jobs(2, parallel.PARALLEL_FROM) == 2  # asked for: granted


@pytest.mark.skipif(not Path("/proc/meminfo").exists(), reason="reads /proc/meminfo")
def test_available_memory_is_read_from_the_system() -> None:
    available = parallel.available_memory()
    assert available is not None and available > 0


def test_without_fork_the_rules_run_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fork")
    assert parallel.usable_jobs(4, 10**6) == 1


def test_path_rules_are_taken_first(packs: list[ResolvedPack], graph: LoadedSupply) -> None:
    from nofakes.audit.compile import compile_rules

    document = graph.document
    supply = build_graph(document)
    params = {p.id: {name: d.default for name, d in p.parameters.items()} for p in packs}
    compiled = compile_rules(packs, params, AS_OF, supply, build_subjects(document, supply))
    order = parallel.heaviest_first(compiled)
    paths = [i for i, rule in enumerate(compiled) if rule.rule.target is Target.path]
    assert paths and order[:len(paths)] == paths and sorted(order) == list(range(len(compiled)))


def test_every_target_names_its_subjects_by_a_key_that_gives_them_back(graph: LoadedSupply) -> None:
    from nofakes.audit.pathrules import ProductEnd

    subjects = build_subjects(graph.document, build_graph(graph.document))
    node = next(iter(subjects.nodes.values()))
    product = subjects.products[0]
    samples = {
        Target.node: list(subjects.nodes.values()),
        Target.edge: subjects.edges,
        Target.product: subjects.products,
        Target.company: [subjects.company],
        Target.path: [node, ProductEnd(node, product)],
    }
    for target, views in samples.items():
        rule_target = TARGETS[target]
        for view in views:
            key = rule_target.locate(view)
            assert hash(key) is not None
            assert rule_target.view_at(key, subjects) == view, (target, key)


@needs_fork
def test_the_jobs_option(tmp_path: Path) -> None:
    example = ROOT / "examples" / "electronics" / "supply.yaml"
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.json"
        code, _, err = run("audit", str(example), "--format", "json", "-o", str(out), "--jobs", jobs)
        assert code in (0, 1), err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    code, _, err = run("audit", str(example), "--jobs", "0")
    assert code == 2 and "--jobs" in err


def test_the_help_says_when_workers_are_used() -> None:
    code, out, _ = run("audit", "--help")
    assert code == 0
    text = " ".join(out.split())
    assert f"for graphs of {parallel.PARALLEL_FROM:,} partners or more" in text
    assert f"up to {parallel.MOST_JOBS}" in text


@needs_fork
def test_when_no_process_can_start_the_rules_run_here(graph: LoadedSupply, packs: list[ResolvedPack],
                                                      one_process: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> int:
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refuse)
    assert _report(graph, packs, jobs=2) == one_process


@needs_fork
def test_without_a_temporary_folder_the_rules_run_here(graph: LoadedSupply, packs: list[ResolvedPack],
                                                       one_process: bytes, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    assert _report(graph, packs, jobs=2) == one_process


@needs_fork
def test_forking_beside_a_thread_warns_nobody(graph: LoadedSupply, packs: list[ResolvedPack], one_process: bytes,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import warnings

    stop = threading.Event()
    beside = threading.Thread(target=stop.wait, daemon=True)  # as a progress bar's refresh thread is
    beside.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert _report(graph, packs, jobs=2) == one_process
    finally:
        stop.set()
        beside.join()
