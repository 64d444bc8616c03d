"""The student export works on its own: a clean virtual environment built from the tree's own
files (environment.yml's packages, then postBuild, as Binder does) runs every notebook.

We cannot run repo2docker here; this is what can be proven without it.
"""
from __future__ import annotations

import json
import os
import subprocess
import venv

import nbformat
import pytest
import yaml

from course.tools import classroom, paths, student_export

pytestmark = pytest.mark.slow


def _run(args, **kwargs):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def student_env(tmp_path_factory):
    base = tmp_path_factory.mktemp("clean")
    tree = base / "student"
    student_export.export(tree, repository="example/labs")
    venv.EnvBuilder(with_pip=True).create(base / "venv")
    bin_dir = base / "venv" / "bin"
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_CONFIG_DIR", "JUPYTER_PATH")}
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    packages = [d for d in yaml.safe_load((tree / "environment.yml").read_text())["dependencies"]
                if isinstance(d, str) and not d.startswith(("python", "pip"))]
    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", *packages], env=env, cwd=tree)
    _run(["bash", "postBuild"], env=env, cwd=tree)           # installs the tree's course package
    return tree, bin_dir, env


def test_course_helpers_come_from_the_tree(student_env):
    tree, bin_dir, env = student_env
    where = _run([bin_dir / "python", "-c", "import course, os; print(os.path.realpath(course.__file__))"],
                 env=env, cwd="/").stdout.strip()
    assert where == str((tree / "course" / "__init__.py").resolve())


def test_post_build_leaves_students_validate_only(student_env):
    tree, bin_dir, env = student_env
    config = json.loads((bin_dir.parent / "etc" / "jupyter" / "labconfig" / "page_config.json").read_text())
    disabled = {k for k, v in config["disabledExtensions"].items() if v}
    assert "@jupyter/nbgrader:create-assignment" in disabled and "@jupyter/nbgrader:formgrader" in disabled
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
    listing = _run([bin_dir / "jupyter", "server", "extension", "list"], env=env, cwd=tree)
    text = listing.stdout + listing.stderr
    assert "formgrader \x1b[31mdisabled" in text or "formgrader disabled" in text


@pytest.mark.parametrize("assignment", paths.assignments())
def test_solved_notebooks_run_in_the_clean_environment(student_env, tmp_path, assignment):
    tree, bin_dir, env = student_env
    release_dir = tree / "release" / assignment
    solved = classroom.submission(classroom.perfect(), release_dir, paths.SOURCE / assignment)
    for name, notebook in solved.items():
        path = release_dir / f"solved-{name}"        # beside the release: same relative paths
        nbformat.write(notebook, path)
        try:
            _run([bin_dir / "jupyter", "nbconvert", "--to", "notebook", "--execute",
                  f"--output-dir={tmp_path}", "--ExecutePreprocessor.timeout=120", path], env=env, cwd=release_dir)
        finally:
            path.unlink()
