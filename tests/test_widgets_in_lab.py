"""The widgets in a live Jupyter session.  The book draws them with a loader of its own
(coursebook/widgets/js/loader.js); a student who downloads a chapter's notebook and opens
it in JupyterLab gets them from anywidget's front end and a kernel instead.  Here a real
JupyterLab server is started, each chapter's notebook, as the built book offers it for
download, is run in it with the notebook's own "Run All" command in headless Chromium,
and every widget the chapter shows must be drawn and respond to its controls (the keys
pressed on them going to the widget, not to the notebook's shortcuts), with no error in
the page and no request to another host; on one chapter, the widgets take up JupyterLab's
dark theme when it is switched on."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import ENV, ROOT
from widget_actions import responds

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGES = [*sorted(p.stem for p in (ROOT / "book").glob("ch[0-9]-*.md")), "synthesis"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def widgets_shown(notebook: dict) -> int:
    """How many cells show a widget, by the outputs saved when the book ran the notebook."""
    return sum(any(WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", []))
               for cell in notebook["cells"] if cell["cell_type"] == "code")


# ---------------------------------------------------------------- a real JupyterLab

@dataclass
class Lab:
    url: str
    token: str
    root: Path
    log: Path

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(f"{self.url}api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`jupyter lab` from this environment on 127.0.0.1, with settings, data and runtime
    folders of its own, so that nothing of the machine's Jupyter set-up takes part."""
    root = tmp_path_factory.mktemp("lab")
    home = tmp_path_factory.mktemp("lab-home")
    settings = home / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # no "Would you like to get notified about official Jupyter news?" toast over the widgets
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    env = {**ENV, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "IPYTHONDIR": str(home / "ipython"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "lab-settings"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    token, port = os.urandom(16).hex(), free_port()
    log = home / "lab.log"
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
               f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}",
               "--expose-app-in-browser"]   # window.jupyterapp, so that the test can run the notebook's own command
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}/", token, root, log)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                lab.api("status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.3)
        yield lab
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def lab_window(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


# The notebook in view has a kernel that is connected and idle: "Run All" now runs every
# cell (sent any earlier, while the kernel still connects, it runs nothing).
KERNEL_READY = """() => {
  const kernel = window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel;
  return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""
DRAWN = "(n) => document.querySelectorAll('.jp-OutputArea-output .cp-widget').length >= n"
# The notebook's cells, by type: what a keyboard shortcut of the notebook's command mode
# would change.  Pressed on a focused control of a widget, "d d" (delete the cell), "a"
# (insert a cell above) or "m" (make it markdown) must reach the widget, not the notebook.
CELL_TYPES = "() => window.jupyterapp.shell.currentWidget.content.widgets.map((cell) => cell.model.type)"
NOTEBOOK_SHORTCUTS = ["d", "d", "a", "b", "m", "ArrowDown"]
KEYBOARD_CONTROLS = "select, input[type=range], input[type=radio], input[type=checkbox], button"   # not text fields
# The widgets take up JupyterLab's dark theme (its body[data-jp-theme-light] and --jp-*
# colours): checked on one chapter, its theme switched to dark and back.
DARK_THEME_PAGE = "ch4-security-guarantees"
SWITCH_THEME = "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', { theme })"
WIDGET_LOOK = """(w) => ({ scheme: getComputedStyle(w).colorScheme, paper: getComputedStyle(w).backgroundColor,
  lab: getComputedStyle(document.body).getPropertyValue('--jp-layout-color0').trim(),
  chart: getComputedStyle(w.querySelector('svg text') || w).fill })"""


@pytest.mark.parametrize("page_name", PAGES)
def test_the_chapter_notebooks_widgets_work_in_jupyterlab(site, lab, lab_window, page_name):
    downloaded = site / "_sources" / "book" / f"{page_name}.ipynb"
    notebook = json.loads(downloaded.read_text(encoding="utf-8"))
    expected = widgets_shown(notebook)
    assert expected >= 1, f"{downloaded}: the book's run of it shows no widget"
    (lab.root / downloaded.name).write_bytes(downloaded.read_bytes())

    page = lab_window.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console error: {m.text}") if m.type == "error" else None)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(lab.url)
               else (problems.append(f"off-site request: {route.request.url}"), route.abort()))
    try:
        # a workspace of its own: JupyterLab would otherwise reopen the last test's notebook
        page.goto(f"{lab.url}lab/workspaces/{page_name}/tree/{downloaded.name}?token={lab.token}")
        page.wait_for_function(KERNEL_READY, timeout=90000)
        # not awaited: the command's promise settles only when every cell has run
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        try:
            page.wait_for_function(DRAWN, arg=expected, timeout=120000)
        except Exception:
            drawn = page.locator(".jp-OutputArea-output .cp-widget").count()
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
            pytest.fail(f"{page_name}: {drawn} of {expected} widgets drawn in JupyterLab; errors: {errors}; {problems}\n"
                        f"JupyterLab's log ends:\n{lab.log.read_text()[-2000:]}")
        widgets = page.locator(".jp-OutputArea-output .cp-widget")
        assert widgets.count() == expected
        silent = [i for i in range(expected) if not responds(page, widgets.nth(i))]
        assert not silent, f"{page_name}: widgets {silent} (in the notebook's order) did not respond in JupyterLab"
        cells = page.evaluate(CELL_TYPES)
        for i in range(expected):
            controls = widgets.nth(i).locator(KEYBOARD_CONTROLS)
            for c in range(controls.count()):
                if controls.nth(c).is_visible() and controls.nth(c).is_enabled():
                    controls.nth(c).focus()
                    for key in NOTEBOOK_SHORTCUTS:
                        page.keyboard.press(key)
                    break
        assert page.evaluate(CELL_TYPES) == cells, f"{page_name}: keys pressed on a widget's control changed the notebook"
        if page_name == DARK_THEME_PAGE:
            chart = page.locator(".jp-OutputArea-output .cp-widget:has(svg text)").first
            light = chart.evaluate(WIDGET_LOOK)
            page.evaluate(SWITCH_THEME, "JupyterLab Dark")
            page.wait_for_function("document.body.dataset.jpThemeLight === 'false'")
            dark = chart.evaluate(WIDGET_LOOK)
            page.evaluate(SWITCH_THEME, "JupyterLab Light")
            page.wait_for_function("document.body.dataset.jpThemeLight === 'true'")
            assert light["scheme"] == "light" and dark["scheme"] == "dark" and dark["chart"] != light["chart"], (light, dark)
            dark_paper = sum(int(v) for v in re.findall(r"\d+", dark["paper"])[:3]) < 3 * 96
            assert dark_paper and dark["lab"] != light["lab"], (light, dark)
        assert not problems, f"{page_name}: {problems}"
    finally:
        page.close()
        for session in lab.api("sessions"):   # the next notebook must not share the machine with this one's kernel
            lab.api(f"sessions/{session['id']}", method="DELETE")
