"""A student's JupyterLab, driven in a real headless Chromium: open a notebook, run all cells,
press nbgrader's Validate button and read its verdict. Screenshots go to test-artifacts/.

JupyterLab gets the student set-up of `course lab` — `postBuild`'s steps (Validate only; no
formgrader, no create-assignment toolbar) applied to a private Jupyter config directory.
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from course.tools import classroom, paths
from course.tools.lab import student_environment

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = paths.ROOT / "test-artifacts"
ASSIGNMENT = paths.assignments()[0]

playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[browser]'")
if not CHROMIUM:
    if os.environ.get("CI"):
        raise RuntimeError("CI must install Debian's chromium for the browser test (.ci/run does)")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A student's JupyterLab on loopback with a token, serving a solved and an unsolved notebook."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "work"
    (root / "solved").mkdir(parents=True)
    (root / "unsolved").mkdir()
    release_dir = paths.RELEASE / ASSIGNMENT
    solved = classroom.submission(classroom.perfect(), release_dir, paths.SOURCE / ASSIGNMENT)
    for name, notebook in solved.items():
        nbformat.write(notebook, root / "solved" / name)
        shutil.copy2(release_dir / name, root / "unsolved" / name)
    # the student set-up of `course lab`: postBuild's steps at user level, private config dir
    env = {**student_environment(base / "config"),
           "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces")}
    (base / "settings" / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (base / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
     ).write_text('{"fetchNews": "false"}')     # no "get news?" pop-up over the screenshot
    port, token = _free_port(), secrets.token_hex(16)
    log = (base / "jupyter.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--allow-root"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        else:
            pytest.fail(f"JupyterLab did not start: {(base / 'jupyter.log').read_text()[-2000:]}")
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


def _run_all_and_validate(page, url: str, token: str, path: str, shot: str) -> str:
    workspace = Path(shot).stem             # a fresh workspace: only this notebook is open
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{path}?reset&token={token}")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    ARTIFACTS.mkdir(exist_ok=True)
    # A Run All sent while JupyterLab is still connecting the kernel can be dropped (the cells
    # stay "[ ]" on a slow machine): send it again until the first cells show they were queued.
    for attempt in range(4):
        page.click(".lm-MenuBar-item:has-text('Run')")
        page.click(".lm-Menu-item:has-text('Run All Cells')")
        try:
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-InputArea-prompt')]"
                ".some(e => /[*\\d]/.test(e.textContent))", timeout=20_000)
            break
        except Exception:
            if attempt == 3:
                page.screenshot(path=str(ARTIFACTS / f"not-run-{shot}"))
                raise
    try:
        page.wait_for_function(
            "() => { const p = [...document.querySelectorAll('.jp-InputArea-prompt')];"
            " return p.length > 0 && p.every(e => !e.textContent.includes('*'))"
            " && p.some(e => /\\d/.test(e.textContent)); }", timeout=120_000)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / f"timeout-{shot}"))
        raise
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-ToolbarButtonComponent-label",
                 has_text="Validate").click()
    dialog = page.wait_for_selector(".jp-Dialog-content", timeout=120_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / shot))
    verdict = dialog.inner_text()
    page.keyboard.press("Escape")
    return verdict


def test_student_lab_validates_a_solved_notebook(lab, browser):
    url, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    notebook = paths.notebooks(paths.RELEASE / ASSIGNMENT)[0].name
    verdict = _run_all_and_validate(page, url, token, f"solved/{notebook}", "validate-solved.png")
    assert "Success! Your notebook passes all the tests." in verdict
    # a student sees Validate, not the instructor tools
    assert page.locator(".lm-MenuBar-item:has-text('Nbgrader')").count() == 0
    assert page.locator("text=Create Assignment").count() == 0
    page.close()


def test_student_lab_reports_failures_of_an_unsolved_notebook(lab, browser):
    url, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    notebook = paths.notebooks(paths.RELEASE / ASSIGNMENT)[0].name
    verdict = _run_all_and_validate(page, url, token, f"unsolved/{notebook}", "validate-unsolved.png")
    assert "Success!" not in verdict
    assert "NotImplementedError" in verdict or "failed" in verdict.lower(), verdict[:500]
    page.close()


def test_formgrader_is_not_served_to_students(lab):
    url, token = lab
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{url}/formgrader?token={token}", timeout=10)
    assert error.value.code == 404
