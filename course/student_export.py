"""A student-only copy of the course: release notebooks, the helpers they import, environment
files and a student README — then a leak scan that fails loudly if anything secret slipped in.
"""
from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from . import leaks, paths

COPIED_FILES = ("postBuild",)
# Packages only the instructor needs (class grading, the test suite): students install less.
INSTRUCTOR_ONLY = frozenset({"distributed", "psutil", "psycopg", "pytest", "nbval", "pyyaml"})
MARKER = ".model-development-labs-student"
PLACEHOLDER_REPOSITORY = "YOUR-ORG/model-development-labs-student"


class LeakFound(RuntimeError):
    """The exported tree holds something students must not see."""


def export(dest: Path, repository: str = PLACEHOLDER_REPOSITORY,
           assignments: list[str] | None = None) -> list[str]:
    """Write the student tree to ``dest`` and scan it; returns the exported assignment ids."""
    chosen = assignments or paths.assignments()
    if dest.exists() and any(dest.iterdir()):
        if not (dest / MARKER).exists():
            raise SystemExit(f"{dest} is not empty and is not an earlier student export.")
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    (dest / MARKER).touch()
    for assignment in chosen:
        shutil.copytree(paths.RELEASE / assignment, dest / "release" / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    (dest / "course").mkdir()
    for helper in paths.STUDENT_HELPERS:
        shutil.copy2(helper, dest / "course" / helper.name)
    for name in COPIED_FILES:
        shutil.copy2(paths.ROOT / name, dest / name)
    (dest / "environment.yml").write_text(_environment())
    (dest / "pyproject.toml").write_text(_pyproject())
    (dest / "README.md").write_text(_readme(repository, chosen))
    findings = leaks.scan(dest, paths.SOURCE, paths.STUDENT_HELPERS)
    if findings:
        raise LeakFound("the student export holds instructor material:\n  " + "\n  ".join(findings))
    return chosen


def package_name(requirement: str) -> str:
    """``psycopg[binary]>=3.1,<4`` -> ``psycopg``."""
    return re.match(r"[A-Za-z0-9_.-]+", requirement.strip()).group(0).lower()


def student_dependencies() -> list[str]:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    return [d for d in project["dependencies"] if package_name(d) not in INSTRUCTOR_ONLY]


def _environment() -> str:
    """The course's environment.yml without the instructor-only packages and their comments."""
    kept = ["# Conda / Binder (repo2docker) environment of the student notebooks."]
    for line in (paths.ROOT / "environment.yml").read_text().splitlines():
        item = line.strip()
        if item.startswith("#") or (item.startswith("- ")
                                    and package_name(item[2:]) in INSTRUCTOR_ONLY):
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def _pyproject() -> str:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    dependencies = "".join(f'    "{d}",\n' for d in student_dependencies())
    return f'''[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "model-development-labs-student"
version = "{project["version"]}"
description = "Student notebooks of Model Development Labs (AWS MLA-C01 Domain 2)."
requires-python = "{project["requires-python"]}"
dependencies = [
{dependencies}]

[tool.setuptools]
packages = ["course"]
'''


def _readme(repository: str, assignments: list[str]) -> str:
    binder = f"https://mybinder.org/v2/gh/{repository}/HEAD?urlpath=lab/tree/release"
    rows = "\n".join(f"- [`{a}`](release/{a}/)" for a in assignments)
    return f"""# Model Development Labs — student edition

[![Binder](https://mybinder.org/badge_logo.svg)]({binder})

Hands-on notebooks for ML model development (AWS Certified Machine Learning Engineer –
Associate, Domain 2). No AWS account, network or GPU needed.

## Start

- **In the browser**: click the Binder badge; JupyterLab opens in `release/`.
- **On your machine** (Python 3.11+):

  ```bash
  python3 -m venv .venv
  .venv/bin/pip install -e .
  .venv/bin/jupyter lab release/
  ```

## Work an assignment

Open the notebook of an assignment and run it from the top. In each exercise replace the lines
`# YOUR CODE HERE` / `raise NotImplementedError(...)` with your code, then run the test cell
below it: the visible checks tell you at once what is wrong; more checks with fresh inputs run
when your notebook is graded. Press **Validate** in the notebook toolbar before you hand in.

{rows}
"""
