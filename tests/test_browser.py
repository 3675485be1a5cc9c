"""Run notebooks through JupyterLab's own UI in headless Chromium, as a reader would.

A real JupyterLab server starts on 127.0.0.1 (a free port, token authentication on) over a
temporary copy of notebooks/, so autosave never touches the committed files, with its config, data,
runtime, settings and workspace directories in a temporary folder: no "Jupyter news" toast, no
state from earlier runs. Playwright drives Debian's Chromium (``/usr/bin/chromium``; a test tool
cannot download a browser of its own here). For each notebook the test clears every output, picks
Run > Run All Cells from the menu bar, waits until every code cell has an execution count and the
kernel is idle, then checks that no error was rendered, that figures were, and saves a screenshot
to build/browser/<name>.png.

Without Chromium the test is skipped, except under CI (``CI`` set), where it fails: ``make browser``
installs it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tools.course import NOTEBOOK_DIR, ROOT

pytestmark = pytest.mark.browser

NOTEBOOKS = ["01_introduction", "02_rnn_basics"]
SCREENSHOT_DIR = ROOT / "build" / "browser"
SERVER_START_TIMEOUT = 90  # s: JupyterLab's first start on a busy 2-core machine
KERNEL_IDLE_TIMEOUT = 90  # s: the kernel must be up before Run All
RUN_TIMEOUT = 120  # s per notebook, from Run All to the last execution count

# User settings written into the server's temporary settings directory.
LAB_SETTINGS = {
    # No "Would you like to get notified about official Jupyter news?" toast, no update check.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Every cell in the DOM, so that prompts and outputs of off-screen cells can be read.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}
# Plugins switched off: the news/announcement plugin and the extension manager (it asks PyPI).
DISABLED_PLUGINS = {
    "@jupyterlab/apputils-extension:announcements": True,
    "@jupyterlab/extensionmanager-extension": True,
}

# Read the notebook's state in the page: one entry per code cell, the kernel status, errors.
STATE_JS = r"""
() => {
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  if (!nb) return null;
  const cells = [...nb.querySelectorAll(':scope .jp-Cell.jp-CodeCell')];
  const prompts = cells.map(c => {
    const p = c.querySelector('.jp-InputArea-prompt');
    return p ? p.textContent.trim() : '';
  });
  const indicator = document.querySelector(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
  const stderr = [...nb.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
    .map(e => e.textContent);
  const dialog = document.querySelector('.jp-Dialog');
  return {
    dialog: dialog ? dialog.textContent.trim() : null,
    prompts: prompts,
    status: indicator ? indicator.getAttribute('data-status') : null,
    stderr: stderr,
    images: nb.querySelectorAll('.jp-RenderedImage img').length,
    outputs: nb.querySelectorAll('.jp-OutputArea-output').length,
  };
}
"""
SCROLL_TO_FIRST_IMAGE_JS = r"""
() => {
  const img = document.querySelector(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedImage img');
  if (img) img.scrollIntoView({block: 'center'});
}
"""
# What an error output looks like in the page: IPython's traceback, or its short form for a syntax
# error (``Cell In[3], line 1`` ... ``SyntaxError: ...``). Warnings are stderr too, and pass.
ERROR_PATTERN = re.compile(
    r"Traceback \(most recent call last\)|^\s*Cell In\[\d+\]|^\w*(Error|Exception)\b", re.M
)
NUMBERED = re.compile(r"^\[(\d+)\]:$")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def code_cell_count(path: Path) -> int:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(cell["cell_type"] == "code" for cell in cells)


class LabServer:
    """A JupyterLab server in its own process group, over a copy of notebooks/."""

    def __init__(self, base: Path):
        self.root = base / "notebooks"
        shutil.copytree(NOTEBOOK_DIR, self.root)
        home = base / "home"
        settings = base / "lab-settings"
        config = base / "jupyter-config"
        for directory in (home, settings, config / "labconfig"):
            directory.mkdir(parents=True)
        for plugin, values in LAB_SETTINGS.items():
            target = settings / f"{plugin}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values), encoding="utf-8")
        (config / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": DISABLED_PLUGINS}), encoding="utf-8"
        )
        self.token = secrets.token_hex(24)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
        env.update(
            HOME=str(home),
            JUPYTER_CONFIG_DIR=str(config),
            JUPYTER_DATA_DIR=str(base / "jupyter-data"),
            JUPYTER_RUNTIME_DIR=str(base / "jupyter-runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(base / "lab-workspaces"),
            IPYTHONDIR=str(base / "ipython"),
            MPLCONFIGDIR=str(base / "matplotlib"),
        )
        env.pop("MPLBACKEND", None)  # the kernel's inline backend, as for a reader
        command = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={self.root}",
            f"--IdentityProvider.token={self.token}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={base / 'lab-workspaces'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]  # fmt: skip
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.log_path = base / "server.log"
        self._log = open(self.log_path, "wb")  # closed in stop()
        self.process = subprocess.Popen(
            command,
            cwd=self.root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def api(self, path: str, method: str = "GET") -> bytes:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with {self.process.returncode}:\n{self.log()}"
                )
            try:
                self.api("/api/status")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not answer in {SERVER_START_TIMEOUT} s:\n{self.log()}")

    def shut_down_kernels(self) -> None:
        """End every kernel (a notebook's kernel keeps its memory after the page closes)."""
        try:
            for kernel in json.loads(self.api("/api/kernels")):
                self.api(f"/api/kernels/{kernel['id']}", method="DELETE")
        except (OSError, urllib.error.URLError, ValueError):
            pass

    def stop(self) -> None:
        """Shut the server and its kernels down; kill whatever is left of them."""
        import psutil

        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            children = []
        if self.process.poll() is None:
            try:
                self.api("/api/shutdown", method="POST")  # also shuts the kernels down
                self.process.wait(timeout=15)
            except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
                pass
        if self.process.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(self.process.pid, sig)
                    self.process.wait(timeout=10)
                    break
                except ProcessLookupError:
                    break
                except subprocess.TimeoutExpired:
                    continue
        # Kernels run in sessions of their own: end any that outlived the server, by pid.
        for child in children:
            try:
                child.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(children, timeout=5)
        self._log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory, chromium_path):
    server = LabServer(tmp_path_factory.mktemp("lab"))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def notebook_state(page) -> dict:
    state = page.evaluate(STATE_JS)
    empty = {"dialog": None, "prompts": [], "status": None, "stderr": [], "images": 0, "outputs": 0}
    return state or empty


def wait_for(page, predicate, timeout: float, what: str) -> dict:
    deadline = time.monotonic() + timeout
    state = notebook_state(page)
    while not predicate(state):
        if state["dialog"]:  # e.g. a kernel-selection dialog: nobody is there to answer it
            raise AssertionError(f"{what}: JupyterLab opened a dialog: {state['dialog']!r}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; {state}")
        page.wait_for_timeout(250)
        state = notebook_state(page)
    return state


def errors_in(state: dict) -> list[str]:
    return [text for text in state["stderr"] if ERROR_PATTERN.search(text)]


def menu(page, top: str, item: str) -> None:
    """Pick ``item`` from the menu bar's ``top`` menu, with the mouse, as a reader would."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{top}$")).click()
    entry = page.locator(".lm-Menu:visible .lm-Menu-item", has_text=item).first
    entry.wait_for(state="visible", timeout=10_000)
    entry.click()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_run_all_cells_in_jupyterlab(name, lab, browser):
    source = NOTEBOOK_DIR / f"{name}.ipynb"
    target = lab.root / source.name
    if not target.exists():  # written after the server's copy was made
        shutil.copy2(source, target)
    expected = code_cell_count(target)

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(30_000)
    console_errors: list[str] = []
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    try:
        # A workspace per notebook: the page does not restore the tabs of an earlier test.
        page.goto(
            f"{lab.url}/lab/workspaces/{name}/tree/{source.name}?token={lab.token}",
            timeout=60_000,
        )
        page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        state = wait_for(
            page,
            lambda s: s["status"] == "idle" and len(s["prompts"]) == expected,
            KERNEL_IDLE_TIMEOUT,
            f"{name}: the kernel to start ({expected} code cells expected)",
        )

        # Show the inputs of collapsed cells (the solutions): a collapsed input has no prompt.
        menu(page, "View", "Expand All Code")
        # Clear the committed outputs and counts: whatever is rendered afterwards was computed now.
        menu(page, "Edit", "Clear Outputs of All Cells")
        wait_for(
            page,
            lambda s: (
                s["outputs"] == 0
                and len(s["prompts"]) == expected
                and not any(NUMBERED.match(p) for p in s["prompts"])
            ),
            15,
            f"{name}: outputs and execution counts cleared",
        )

        started = time.monotonic()
        menu(page, "Run", "Run All Cells")

        def done(s: dict) -> bool:
            if errors_in(s):
                return True  # Run All stops at an error: no need to wait for the rest
            return (
                s["status"] == "idle"
                and len(s["prompts"]) == expected
                and all(NUMBERED.match(p) for p in s["prompts"])
            )

        state = wait_for(page, done, RUN_TIMEOUT, f"{name}: every code cell to run")
        elapsed = time.monotonic() - started
        page.wait_for_timeout(500)  # let the last outputs paint before the checks and screenshot
        state = notebook_state(page)

        # The first figure in view, with its cell's execution count, for the screenshot.
        page.evaluate(SCROLL_TO_FIRST_IMAGE_JS)
        page.wait_for_timeout(300)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"))

        errors = errors_in(state)
        assert not errors, f"{name}: error output rendered:\n" + "\n---\n".join(errors)
        counts = [int(NUMBERED.match(p).group(1)) for p in state["prompts"]]
        assert counts == list(range(1, expected + 1)), (
            f"{name}: expected execution counts 1..{expected} in order, got {state['prompts']}"
        )
        assert state["status"] == "idle"
        assert state["images"] >= 1, f"{name}: no figure was rendered"
        assert not console_errors, f"{name}: JavaScript errors in the page: {console_errors}"
        print(
            f"{name}: {expected} code cells ran in {elapsed:.1f} s, {state['images']} images, "
            f"{len(state['stderr'])} stderr outputs (warnings)"
        )
    finally:
        page.close()
        lab.shut_down_kernels()
