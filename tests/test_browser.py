"""End to end, as a learner sees it: every chapter run in JupyterLab in a real (headless) Chromium.

For each notebook in notebooks/, this test starts from a fresh copy, opens it in JupyterLab, clicks
*Run > Run All Cells* and waits for the kernel, then checks what a learner would see:

- no cell shows an error or anything on stderr (the pink boxes), in the page and in the saved notebook;
- every widget output renders as a widget: no "Error displaying widget", no "Loading widget..." left over,
  and the chapter shows at least one slider;
- dragging a slider of a panel with the mouse changes the panel's figure (the chapter's first panel whose
  slider does: some sliders only change text);
- screenshots go to build/browser/ (git-ignored): the top of each chapter, each checked panel before and after.

It needs Chromium and Playwright for Python (``pip install -r requirements-test.txt``; Playwright drives the
system's Chromium, its own browser download is never used). Without them it is skipped with a message that
says what to install, unless NNFZ_REQUIRE_BROWSER=1 is set (CI sets it), which turns the skip into a failure.
Point NNFZ_CHROMIUM at another Chromium or Chrome binary if yours is not on the PATH.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
SHOTS = ROOT / "build" / "browser"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Flags that work on a machine without a network or a GPU, as root (no sandbox) and headless.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
RUN_TIMEOUT_S = 300  # a whole chapter, run all cells
SERVER_TIMEOUT_S = 90
REQUIRED = os.environ.get("NNFZ_REQUIRE_BROWSER") == "1"


def _skip_or_fail(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (NNFZ_REQUIRE_BROWSER=1, so this is a failure, not a skip)")
    pytest.skip(reason)


def _find_chromium() -> str | None:
    candidates = [os.environ.get("NNFZ_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                  shutil.which("chromium-browser"), shutil.which("google-chrome")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------------------------
# Fixtures: one JupyterLab server and one browser for the whole module.


@pytest.fixture(scope="module")
def chromium_path():
    path = _find_chromium()
    if path is None:
        _skip_or_fail("browser test skipped: no Chromium found. Install it (Debian/Ubuntu: "
                      "sudo apt-get install chromium) or set NNFZ_CHROMIUM=/path/to/chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _skip_or_fail("browser test skipped: Playwright for Python is not installed. "
                      "Fix: pip install -r requirements-test.txt (it drives your Chromium; no browser download)")
    return path


@pytest.fixture(scope="module")
def lab(chromium_path, tmp_path_factory):
    """A JupyterLab server on a random localhost port, serving copies of the chapters (the originals stay clean)."""
    home = tmp_path_factory.mktemp("lab")
    served = home / "notebooks"
    served.mkdir()
    for nb in NOTEBOOKS:
        shutil.copy(nb, served / nb.name)
    # Own settings, workspaces and config, so nothing from this machine's user leaks in (no news prompt either).
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port, token = _free_port(), uuid.uuid4().hex
    env = dict(os.environ)
    env.update({
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    log = open(home / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={served}",
         "--ServerApp.allow_root=True", "--LabApp.news_url=", "--ServerApp.open_browser=False"],
        cwd=served, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                pytest.fail("JupyterLab did not start:\n" + (home / "server.log").read_text()[-3000:])
            time.sleep(0.3)
    try:
        yield {"base": base, "token": token, "dir": served, "log": home / "server.log"}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield b
        finally:
            b.close()


# ---------------------------------------------------------------------------------------------------------------
# Page helpers.

ACCEPT_KERNEL_DIALOG = """() => {
  // The intermittent "Select Kernel" dialog: accept its default (the notebook's own Python 3 kernel).
  for (const dialog of document.querySelectorAll('.jp-Dialog')) {
    const header = dialog.querySelector('.jp-Dialog-header');
    if (header && /select kernel/i.test(header.textContent)) {
      const accept = dialog.querySelector('.jp-Dialog-button.jp-mod-accept');
      if (accept) { accept.click(); return true; }
    }
  }
  return false;
}"""

NOTEBOOK_STATE = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell.jp-CodeCell')];
  const prompts = cells.map(c => (c.querySelector('.jp-InputPrompt') || {textContent: ''}).textContent.trim());
  const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  return {
    code_cells: cells.length,
    prompts: prompts,
    busy: prompts.filter(p => p.includes('*')).length,
    done: prompts.filter(p => /\\[\\d+\\]/.test(p)).length,
    kernel: status ? (status.getAttribute('data-status') || '') : '',
  };
}"""


def _wait_until(page, predicate, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.evaluate(ACCEPT_KERNEL_DIALOG):
            print(f"accepted JupyterLab's Select Kernel dialog while waiting for {what}")
        value = predicate()
        if value:
            return value
        page.wait_for_timeout(250)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


def _click_menu(page, menu: str, command: str):
    page.evaluate(ACCEPT_KERNEL_DIALOG)  # a modal dialog would swallow the click
    page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{menu}$")).first.click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').first.click()


def _open_and_run(page, lab, name: str) -> dict:
    url = f"{lab['base']}/lab/workspaces/w{uuid.uuid4().hex[:8]}/tree/{name}?reset&token={lab['token']}"
    page.goto(url, wait_until="domcontentloaded")
    expected = sum(c["cell_type"] == "code" for c in json.loads((lab["dir"] / name).read_text())["cells"])
    _wait_until(page, lambda: (page.evaluate(NOTEBOOK_STATE) or {}).get("code_cells") == expected,
                60, f"{name} to open with its {expected} code cells")
    _wait_until(page, lambda: page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count() > 0,
                60, f"the kernel of {name} to start")
    _click_menu(page, "Run", "runmenu:run-all")
    # Done when the kernel is idle and no cell waits ([*]) twice in a row, half a second apart. Run All stops at
    # the first error, so fewer cells than expected may have run: the error checks below then say why.
    settled = []

    def finished():
        state = page.evaluate(NOTEBOOK_STATE)
        quiet = bool(state) and state["done"] > 0 and not state["busy"] and state["kernel"] == "idle"
        settled.append(quiet)
        return state if settled[-2:] == [True, True] else None

    def wait_half_second():
        page.wait_for_timeout(500)
        return finished()

    return _wait_until(page, wait_half_second, RUN_TIMEOUT_S, f"the cells of {name} to run")


def _save(page, lab, name: str) -> dict:
    path = lab["dir"] / name
    before = path.stat().st_mtime_ns
    _click_menu(page, "File", "docmanager:save")
    _wait_until(page, lambda: path.stat().st_mtime_ns != before, 30, f"{name} to be saved")
    time.sleep(0.3)  # the file is written in one go, but give the server a moment to close it
    return json.loads(path.read_text(encoding="utf-8"))


def _drag_slider(page, slider) -> bool:
    """Drag a slider's handle with the mouse (noUiSlider in ipywidgets 8, jQuery UI in 7); True if it moved."""
    readout = slider.locator(".widget-readout")
    before = readout.first.inner_text() if readout.count() else None
    handle = slider.locator(".noUi-handle, .ui-slider-handle").first
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    track = slider.locator(".noUi-base, .ui-slider").first.bounding_box()
    if box is None or track is None:
        return False
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # move a quarter of the track towards its far side, so there is always room to move
    target = x + track["width"] / 4 if x < track["x"] + track["width"] / 2 else x - track["width"] / 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(target, y, steps=8)
    page.mouse.up()
    if readout.count():
        try:
            _wait_until(page, lambda: readout.first.inner_text() != before, 5, "the slider's readout to change")
        except AssertionError:
            return False
    return True


FIGURE_SOURCES = """el => [...el.querySelectorAll('img')].map(i => i.src).join('|')"""


# ---------------------------------------------------------------------------------------------------------------
# The test.


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_runs_and_its_widgets_work_in_jupyterlab(path, lab, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console_errors = []
    page.on("pageerror", lambda err: console_errors.append(str(err)))
    try:
        state = _open_and_run(page, lab, path.name)
        page.wait_for_timeout(500)  # let the last outputs and widget views attach
        page.screenshot(path=str(SHOTS / f"{path.stem}-top.png"))
        saved = _save(page, lab, path.name)

        # 1. no errors and nothing on stderr, as saved by JupyterLab and as shown on the page
        problems = []
        for index, cell in enumerate(saved["cells"]):
            for out in cell.get("outputs", []):
                if out["output_type"] == "error":
                    problems.append(f"cell {index}: {out['ename']}: {out['evalue']}")
                elif out["output_type"] == "stream" and out["name"] == "stderr":
                    problems.append(f"cell {index} wrote to stderr: {''.join(out['text'])[:300]}")
        assert not problems, f"{path.name} in JupyterLab:\n" + "\n".join(problems)
        assert state["done"] == state["code_cells"], (
            f"{path.name}: only {state['done']} of {state['code_cells']} code cells ran (prompts: {state['prompts']})")
        shown_errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert shown_errors.count() == 0, f"{path.name} shows an error box: {shown_errors.first.inner_text()[:300]}"

        # 2. every widget output is a rendered widget
        n_widget_outputs = sum(WIDGET_MIME in out.get("data", {}) for cell in saved["cells"]
                               for out in cell.get("outputs", []))
        # JupyterLab marks every rendered output with its MIME type, except widget views
        views = page.locator(".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output:not([data-mime-type])")
        assert views.count() == n_widget_outputs, (
            f"{path.name}: {n_widget_outputs} widget outputs in the notebook, {views.count()} shown as widgets")
        for i in range(views.count()):
            view = views.nth(i)
            text = view.inner_text()
            assert "Error displaying widget" not in text, f"{path.name}, widget {i + 1}: {text[:200]}"
            assert "Loading widget" not in text, f"{path.name}, widget {i + 1} never finished loading"
            assert view.locator(".jupyter-widgets, .widget-box, .widget-inline-hbox").count() > 0, (
                f"{path.name}, widget {i + 1} rendered no controls")
        sliders = page.locator(".jp-OutputArea-output .widget-slider")
        assert sliders.count() > 0, f"{path.name} shows no slider"

        # 3. dragging a slider redraws a panel's figure
        changed = None
        for i in range(views.count()):
            view = views.nth(i)
            if view.locator("img").count() == 0:
                continue
            for j in range(view.locator(".widget-slider").count()):
                before = view.evaluate(FIGURE_SOURCES)
                if j == 0:
                    view.scroll_into_view_if_needed()
                    view.screenshot(path=str(SHOTS / f"{path.stem}-panel{i + 1}-before.png"))
                if not _drag_slider(page, view.locator(".widget-slider").nth(j)):
                    continue
                try:
                    _wait_until(page, lambda: view.evaluate(FIGURE_SOURCES) not in (before, ""), 20,
                                "the figure to be redrawn")
                except AssertionError:
                    continue
                page.wait_for_timeout(300)
                view.screenshot(path=str(SHOTS / f"{path.stem}-panel{i + 1}-after.png"))
                changed = (i, j)
                break
            if changed:
                break
        assert changed, f"{path.name}: dragging the sliders changed no panel's figure"
        assert not console_errors, f"{path.name}: errors in the page's JavaScript: {console_errors[:3]}"
    finally:
        context.close()
