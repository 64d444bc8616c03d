"""release/ is exactly what nbgrader generates from source/, and nothing secret is in it."""
from __future__ import annotations

import json

import nbformat
import pytest

from course.tools import paths, pipeline

from course.tools.leaks import secret_lines

ASSIGNMENTS = paths.assignments()


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and ".ipynb_checkpoints" not in p.parts)


def _canonical(path):
    if path.suffix == ".ipynb":
        return json.dumps(nbformat.read(path, as_version=4), sort_keys=True)
    return path.read_bytes()


@pytest.fixture(scope="module")
def fresh_release(tmp_path_factory):
    course = pipeline.make_course(tmp_path_factory.mktemp("release"), ASSIGNMENTS)
    return {a: pipeline.generate_release(course, a) for a in ASSIGNMENTS}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_is_in_sync_with_source(fresh_release, assignment):
    committed, fresh = paths.RELEASE / assignment, fresh_release[assignment]
    assert committed.is_dir(), f"release/{assignment} is missing: run `course release`"
    assert _files(committed) == _files(fresh), "release/ files differ: run `course release`"
    for name in _files(fresh):
        assert _canonical(committed / name) == _canonical(fresh / name), (
            f"release/{assignment}/{name} is stale: run `course release {assignment}`")


def test_every_release_has_a_source():
    assert sorted(p.name for p in paths.RELEASE.iterdir() if p.is_dir()) == ASSIGNMENTS


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
@pytest.mark.parametrize("kind", ["solution", "hidden"])
def test_release_holds_no_secret_code(assignment, kind):
    for source in paths.notebooks(paths.SOURCE / assignment):
        secrets = secret_lines(source, kind)
        assert secrets, f"{source.name} has no {kind} regions: the check would prove nothing"
        released = nbformat.read(paths.RELEASE / assignment / source.name, as_version=4)
        lines = {line.strip() for cell in released.cells for line in cell.source.split("\n")}
        assert not any("BEGIN SOLUTION" in line or "HIDDEN TESTS" in line for line in lines)
        leaked = sorted(secrets & lines)
        assert not leaked, f"release/{assignment}/{source.name} contains {kind} code: {leaked[:3]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebooks_have_no_outputs(assignment):
    for source in paths.notebooks(paths.SOURCE / assignment):
        cells = nbformat.read(source, as_version=4).cells
        with_output = [i for i, c in enumerate(cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
        assert not with_output, f"{source.name}: strip outputs of cells {with_output}"


def test_files_a_notebook_writes_as_it_runs_are_never_released(tmp_path):
    """10's notebook writes train.py and serve.py where it runs: left behind in source/ by a run
    (nbval, an instructor in JupyterLab), they must not reach students (nbgrader_config.py's
    ignore list); a data file beside a notebook still does (the control)."""
    assignment = "10-sagemaker-integration"
    course = pipeline.make_course(tmp_path / "course", [assignment])
    for name in ("train.py", "serve.py", "extra_data.csv"):
        (course.root / "source" / assignment / name).write_text("1,2\n")
    released = _files(pipeline.generate_release(course, assignment))
    assert "extra_data.csv" in released
    assert "train.py" not in released and "serve.py" not in released
