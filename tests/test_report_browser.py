"""The HTML report in a real browser: headless Chromium renders it with no console error and no network request.

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON
messages ending in NUL on file descriptors 3 and 4), with the standard library only. Skipped
when Chromium is not installed (`.ci/run` installs the Debian package).
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT
from nofakes.audit.engine import run_audit
from nofakes.audit.result import Partner
from nofakes.packs.catalogue import resolve_pack
from nofakes.reports.base import RenderOptions
from nofakes.reports.html_report import HtmlFormatter
from nofakes.reports.view import ReportView, build_view
from nofakes.supply.loading import load_supply

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TIMEOUT = 60.0
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")


# Runs Chromium with the two pipe ends given as arguments on file descriptors 3 and 4
WIRE = "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); os.execv(sys.argv[3], sys.argv[3:])"


def _above_4(fd: int) -> int:
    """The same pipe end on a descriptor above 10, so that moving it to 3 or 4 in the child clobbers nothing."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class Browser:
    """One headless Chromium with one page, driven over the DevTools pipe."""

    def __init__(self, profile: Path):
        commands_in, self._commands = os.pipe()  # Chromium reads commands on fd 3
        self._replies, replies_out = os.pipe()  # and writes replies and events on fd 4
        commands_in, replies_out = _above_4(commands_in), _above_4(replies_out)

        assert CHROMIUM is not None
        self.process = subprocess.Popen(
            [sys.executable, "-c", WIRE, str(commands_in), str(replies_out), CHROMIUM, "--headless", "--no-sandbox",
             "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
             "--disable-sync", "--disable-dev-shm-usage", "--remote-debugging-pipe", f"--user-data-dir={profile}",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(commands_in, replies_out))
        os.close(commands_in)
        os.close(replies_out)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.events: list[dict[str, Any]] = []
        self._next = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.session = ""

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._replies, "rb", buffering=0) as stream:
            while chunk := stream.read(65536):
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                for message in messages:
                    self.messages.put(json.loads(message))

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if self.session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.messages.get(timeout=TIMEOUT)
            if reply.get("id") == self._next:
                assert "error" not in reply, reply
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_for(self, method: str) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self.messages.get(timeout=TIMEOUT)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def attach(self) -> None:
        """A new page, with the events of the console, the log, the network and the page turned on."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(f"{domain}.enable")

    def open(self, url: str) -> None:
        self.attach()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in reply, reply
        return reply["result"].get("value")

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (OSError, queue.Empty):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)

    def problems(self, url: str) -> list[str]:
        """Console errors and warnings, uncaught exceptions, dialogs, and every request for anything but `url`."""
        out = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                out.append(f"console {params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
                out.append(f"log {params['entry']['level']}: {params['entry'].get('text')}")
            elif method == "Network.requestWillBeSent" and params["request"]["url"] != url:
                out.append(f"request: {params['request']['url']}")
            elif method == "Page.javascriptDialogOpening":
                out.append(f"dialog: {params.get('message')}")
        return out


def electronics_view() -> ReportView:
    return build_view(run_audit(load_supply(ROOT / "examples" / "electronics" / "supply.yaml"),
                                [resolve_pack("ntif")]), RenderOptions())


@pytest.fixture
def browser(tmp_path: Path) -> Any:
    browser = Browser(tmp_path / "profile")
    yield browser
    browser.close()


def test_the_report_renders_with_no_error_and_no_request_and_its_tables_sort_and_filter(
        tmp_path: Path, browser: Browser) -> None:
    view = electronics_view()
    page = tmp_path / "report.html"
    page.write_bytes(HtmlFormatter().render(view))
    url = page.as_uri()
    browser.open(url)
    assert browser.evaluate("document.querySelectorAll('section').length") == 8
    assert browser.evaluate("document.querySelectorAll('svg.chain g.node').length") == len(view.partners)
    # the script ran (it is allowed by the page's policy): headers are sort buttons, long tables have a filter box
    assert browser.evaluate("document.querySelectorAll('#plan-table th button').length") == 8
    last = browser.evaluate("""(function () {
        var button = document.querySelector('#plan-table th button');
        button.click(); button.click();
        return document.querySelector('#plan-table tbody tr td').textContent; })()""")
    assert last == str(len(view.plan))  # sorted by '#', descending
    shown = browser.evaluate("""new Promise(function (done) {
        var box = document.querySelector('#gaps input[type=search]');
        box.value = 'waived';
        box.dispatchEvent(new Event('input'));
        setTimeout(function () {
            done(Array.prototype.filter.call(document.querySelectorAll('#gaps-table tbody tr'),
                 function (row) { return !row.hidden; }).length);
        }, 400); })""")
    assert shown == len(view.waived)
    assert browser.problems(url) == []


def test_hostile_names_run_no_script_in_the_browser(tmp_path: Path, browser: Browser) -> None:
    view = electronics_view()
    payload = "<script>alert(1)</script>\"><img src=x onerror=alert(2)> "
    names = {node_id: payload + node_id for node_id in view.partners}
    partners = {node_id: Partner(names[node_id], p.role, p.country, p.tier) for node_id, p in view.partners.items()}
    hostile = dataclasses.replace(view, partners=partners, names=names, company_name=names[next(iter(names))])
    page = tmp_path / "hostile.html"
    page.write_bytes(HtmlFormatter().render(hostile))
    browser.open(page.as_uri())
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert browser.evaluate("document.querySelectorAll('script').length") == 1
    assert browser.problems(page.as_uri()) == []


def test_the_harness_sees_requests_console_errors_and_dialogs(tmp_path: Path, browser: Browser) -> None:
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png">'
                    '<script>console.error("boom"); alert("hi");</script></body></html>', encoding="utf-8")
    browser.attach()
    browser.send("Page.navigate", url=page.as_uri())
    browser.wait_for("Page.javascriptDialogOpening")
    browser.send("Page.handleJavaScriptDialog", accept=True)
    browser.wait_for("Page.loadEventFired")
    problems = browser.problems(page.as_uri())
    assert "request: http://127.0.0.1:9/x.png" in problems
    assert any(p.startswith("console error") and "boom" in p for p in problems)
    assert "dialog: hi" in problems
