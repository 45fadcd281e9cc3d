"""Rules evaluated by several processes at once, with the results of one process.

With `jobs` above 1, the audit forks `jobs - 1` worker processes once its rules are compiled. Each
inherits the graph, the subjects and the compiled rules as they are (nothing is copied or sent
ahead). The processes, this one included, take the rules one at a time from a shared counter,
path rules first (the costliest kind), so that whichever finishes a rule early takes the next one.

A worker writes, per rule, what the audit needs to keep its outcomes (`nofakes.audit.runs`) to a
file in a private temporary folder and sends the rule's number through a pipe (a write never waits
for this process to read): the partner places of its passes, and per other outcome what its finding
holds, the subject's key and the reason, worded there. This process turns each into the rule's
findings as it arrives, between rules of its own; the engine then adds every rule in rule order, so
the partner sums are bit for bit those of one process and the findings come in the same order. The
findings' messages are still worded when a report first reads them.

A worker that fails (an error, killed, out of memory) sends nothing more: every rule it took and
did not send is evaluated here, where an error is raised as one process would raise it. Workers
need `os.fork` (Linux, macOS; `jobs` is 1 elsewhere). By default (`usable_jobs`) only Linux forks,
and only for graphs of `PARALLEL_FROM` partners or more, where a rules stage takes seconds, with
no more processes than the available memory holds.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import tempfile
import warnings
from collections.abc import Callable, Sequence
from multiprocessing import get_context
from multiprocessing.connection import Connection, Pipe, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from nofakes.packs.model import Target

if TYPE_CHECKING:
    from nofakes.audit.compile import CompiledRule

PARALLEL_FROM = 5_000  # partners: below this a rules stage takes well under a second, less than forking costs
MOST_JOBS = 4  # by default: past that, rebuilding the workers' findings here is most of the stage
# what a process adds, as a share of the audit's memory: the pages it copies after the fork (1.2 of 4.1 GB at 100k
# partners, for this process and for each worker), with a margin
COPIED_SHARE = 0.4

Run = TypeVar("Run")


def usable_jobs(jobs: int | None, partners: int) -> int:
    """How many processes evaluate the rules: `jobs` where this platform can fork, 1 where it cannot;
    by default (None), on Linux with `PARALLEL_FROM` or more partners, the CPUs this process may use, up to
    `MOST_JOBS` and as many as the available memory holds (`COPIED_SHARE` of this process's size each), else 1."""
    if not hasattr(os, "fork"):
        return 1
    if jobs is not None:
        return max(jobs, 1)
    if not sys.platform.startswith("linux") or partners < PARALLEL_FROM:
        return 1
    import resource  # noqa: PLC0415 - Unix only, as this branch is

    cpus = min(len(os.sched_getaffinity(0)), MOST_JOBS)
    available, size = available_memory(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    if available is not None and size > 0:
        cpus = min(cpus, int(available / (COPIED_SHARE * size)))  # this process's own copies count as one
    return max(1, cpus)


def available_memory() -> int | None:
    """Bytes the system can give without swapping (`MemAvailable`), None where it does not say."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def heaviest_first(rules: Sequence[CompiledRule]) -> list[int]:
    """The order in which the processes take the rules: path rules (a traversal each) before the others, each kind
    in rule order, so that the cheap rules even out the processes' ends."""
    return sorted(range(len(rules)), key=lambda i: (rules[i].rule.target is not Target.path, i))


def evaluate_rules(count: int, local: Callable[[int], Run], remote: Callable[[int], Any],
                   absorb: Callable[[int, Any], Run], *, jobs: int, order: Sequence[int],
                   started: Callable[[int], None]) -> list[Run]:
    """Every rule's run, by index: `local(i)` evaluates rule i here; in a worker `remote(i)` evaluates it and gives
    what is sent (picklable), which `absorb(i, sent)` turns into the run here. `started(i)` is called here
    before either (with one process: before each rule, in rule order)."""
    if jobs <= 1 or count < 2:
        return [_local(local, i, started) for i in range(count)]
    runs: dict[int, Run] = {}
    try:
        scratch = tempfile.TemporaryDirectory(prefix="nofakes-rules-", ignore_cleanup_errors=True)
    except OSError:  # no temporary folder to write to: the rules run here, as with one job
        return [_local(local, i, started) for i in range(count)]
    with scratch as folder:
        claim = _Counter(order)
        workers: list[tuple[int, Connection]] = []
        ended = False  # every worker has sent all it will
        try:
            for _ in range(min(jobs, count) - 1):
                worker = _fork(claim, remote, Path(folder))
                if worker is None:  # the system refuses another process: the ones there are do the work
                    break
                workers.append(worker)
            readers = [reader for _, reader in workers]

            def take(block: bool) -> None:
                """Absorbs the rules the workers have sent (waiting for the workers to end, with `block`)."""
                while readers:
                    ready = wait(readers, timeout=None if block else 0)
                    if not ready:
                        return
                    for reader in ready:
                        try:
                            index = int(reader.recv_bytes())  # type: ignore[union-attr]
                        except (EOFError, OSError):  # it sends nothing more
                            readers.remove(reader)  # type: ignore[arg-type]
                            continue
                        path = Path(folder) / f"{index}.pickle"
                        with path.open("rb") as stream:
                            sent = pickle.load(stream)
                        path.unlink()
                        started(index)
                        runs[index] = absorb(index, sent)

            while (index := claim()) is not None:
                take(block=False)  # the rules that arrived: their findings made while the workers go on
                runs[index] = _local(local, index, started)
            take(block=True)
            ended = True
        finally:
            for pid, reader in workers:
                reader.close()
                _end(pid, ended)
    for index in order:  # taken by a worker that failed before sending them
        if index not in runs:
            runs[index] = _local(local, index, started)
    return [runs[i] for i in range(count)]


def _local(local: Callable[[int], Run], index: int, started: Callable[[int], None]) -> Run:
    started(index)
    return local(index)


class _Counter:
    """The next rule to take, shared by the processes (a counter in shared memory, under a lock)."""

    def __init__(self, order: Sequence[int]):
        self.order = list(order)
        self.next = get_context("fork").Value("q", 0)

    def __call__(self) -> int | None:
        with self.next.get_lock():
            taken = self.next.value
            self.next.value = taken + 1
        return self.order[taken] if taken < len(self.order) else None


def _fork(claim: _Counter, remote: Callable[[int], Any], folder: Path) -> tuple[int, Connection] | None:
    """A worker process that takes rules until none is left. It writes each rule's outcomes to a file in `folder`
    (writing never waits for this process to read) and sends the rule's index; its pid and our end of the pipe
    (None: the system would not start a process)."""
    reader, writer = Pipe(duplex=False)
    try:
        with warnings.catch_warnings():  # Python 3.12+ warns of forking beside threads (a progress bar's): the
            warnings.simplefilter("ignore", DeprecationWarning)  # worker takes no lock but the counter's, writes
            pid = os.fork()  # no stream and runs no code of theirs
    except OSError:
        reader.close()
        writer.close()
        return None
    if pid == 0:  # the worker: it never returns, and leaves the parent's streams, handlers and files alone
        try:
            reader.close()
            while (index := claim()) is not None:
                sent = remote(index)
                with (folder / f"{index}.pickle").open("wb") as stream:
                    pickle.dump(sent, stream, protocol=pickle.HIGHEST_PROTOCOL)
                writer.send_bytes(str(index).encode())
        except BaseException:  # noqa: BLE001, S110 - what it took and did not send is evaluated in the parent
            pass
        finally:
            os._exit(0)
    writer.close()  # the worker's end: when the worker ends, reading ours ends
    return pid, reader


def _end(pid: int, ended: bool) -> None:
    """Waits for a worker that has sent all it will (`ended`), or ends it first (this process was interrupted,
    or an error stopped it)."""
    try:
        if not ended:
            os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass
