"""The student export holds what students need and nothing secret; its scan catches planted leaks."""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tomllib

import pytest
import yaml

from course.tools import leaks, paths, practice, student_export

ASSIGNMENT = paths.assignments()[0]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    dest = tmp_path_factory.mktemp("student") / "tree"
    student_export.export(dest, repository="example/labs")
    return dest


def test_export_has_what_students_need(exported):
    for assignment in paths.assignments():
        for notebook in paths.notebooks(paths.RELEASE / assignment):
            assert (exported / "release" / assignment / notebook.name).read_bytes() == notebook.read_bytes()
    shipped = sorted(p.relative_to(exported).as_posix() for p in (exported / "course").rglob("*")
                     if p.is_file())
    assert shipped == sorted([h.relative_to(paths.ROOT).as_posix() for h in paths.student_helpers()]
                             + ["course/exam_map.json"])
    assert (exported / "practice" / practice.NOTEBOOK.name).read_bytes() == practice.NOTEBOOK.read_bytes()
    assert "course/datasets/__init__.py" in shipped and "course/checks.py" in shipped
    readme = (exported / "README.md").read_text()
    assert "mybinder.org/v2/gh/example/labs/HEAD?urlpath=lab/tree/release" in readme
    project = tomllib.loads((exported / "pyproject.toml").read_text())["project"]
    main = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    assert project["dependencies"] == main["dependencies"]      # no extra: nothing of the grader
    assert "nbgrader==0.9.6" in project["dependencies"]


@pytest.mark.slow
def test_the_student_edition_runs_only_progress(exported):
    """`python -m course` in the export has no instructor command, and `progress` reads the
    student's own notebooks with the exam map the export wrote."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(exported)}
    run = subprocess.run([sys.executable, "-m", "course", "progress", "21-mock-exam-mla-c01"],
                         cwd=exported, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert re.search(r"21-mock-exam-mla-c01 +0 of 0 +0 of 17", run.stdout), run.stdout
    assert (exported / "progress.png").exists()
    refused = subprocess.run([sys.executable, "-m", "course", "release"], cwd=exported, env=env,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "invalid choice: 'release'" in refused.stderr


def test_students_install_only_what_the_notebooks_need(exported):
    """The instructor's grading and test packages (pyproject extras) stay out of the student
    environment, and the two environment files still list the same packages."""
    environment = yaml.safe_load((exported / "environment.yml").read_text())["dependencies"]
    names = {student_export.package_name(d) for d in environment if isinstance(d, str)}
    extras = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    instructor_only = {student_export.package_name(d) for group in extras.values() for d in group}
    assert {"distributed", "psycopg", "pytest"} <= instructor_only
    assert not names & instructor_only, names
    project = tomllib.loads((exported / "pyproject.toml").read_text())["project"]
    assert {student_export.package_name(d) for d in project["dependencies"]} == \
        names - {"python", "pip"}


def test_export_is_clean(exported):
    assert leaks.scan(exported, paths.SOURCE, paths.student_helpers()) == []


def _plant_source_notebook(tree):
    shutil.copy2(paths.notebooks(paths.SOURCE / ASSIGNMENT)[0], tree / "release" / "copy.ipynb")


def _plant_gradebook(tree):
    sqlite3.connect(tree / "grades.sqlite").close()


def _plant_catalog(tree):
    shutil.copy2(paths.INSTRUCTOR / ASSIGNMENT / paths.MISTAKES, tree / "notes.txt")


def _a_secret(kind):
    secrets = leaks.all_secret_lines(paths.SOURCE, paths.student_helpers())
    return sorted(line for line, origin in secrets.items() if origin.startswith(kind))[0]


def _plant_hidden_line(tree):
    line = _a_secret("hidden")
    with (tree / "course" / "datasets.py").open("a") as handle:
        handle.write(f"\n# {line}\n{line}\n")


def _plant_solution_in_output(tree):
    import nbformat
    from nbformat.v4 import new_output
    notebook_path = next((tree / "release" / ASSIGNMENT).glob("*.ipynb"))
    notebook = nbformat.read(notebook_path, as_version=4)
    line = _a_secret("solution")
    code = next(c for c in notebook.cells if c.cell_type == "code")
    code.outputs = [new_output("stream", name="stdout", text=f"    {line}\n")]
    nbformat.write(notebook, notebook_path)


def _plant_source_folder(tree):
    (tree / "source").mkdir()


@pytest.mark.parametrize(("plant", "finding"), [
    (_plant_source_notebook, "region markers"),
    (_plant_gradebook, "database"),
    (_plant_catalog, "misconception catalog"),
    (_plant_hidden_line, "hidden code"),
    (_plant_solution_in_output, "solution code"),
    (_plant_source_folder, "instructor-only folder"),
])
def test_scan_catches_planted_leaks(exported, tmp_path, plant, finding):
    tree = tmp_path / "tree"
    shutil.copytree(exported, tree)
    plant(tree)
    findings = leaks.scan(tree, paths.SOURCE, paths.student_helpers())
    assert any(finding in f for f in findings), findings


def test_export_refuses_when_a_leak_slips_in(tmp_path, monkeypatch):
    leaky_release = tmp_path / "release"
    shutil.copytree(paths.SOURCE, leaky_release)     # as if source/ had been copied into release/
    monkeypatch.setattr(paths, "RELEASE", leaky_release)
    with pytest.raises(student_export.LeakFound, match="solution code"):
        student_export.export(tmp_path / "out")
