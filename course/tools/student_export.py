"""A student-only copy of the course: release notebooks, the helpers they import, environment
files and a student README — then a leak scan that fails loudly if anything secret slipped in.
"""
from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

from . import leaks, paths

COPIED_FILES = ("postBuild",)
EXTRAS = re.compile(r"\[[^\]]*\]")
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
    for helper in paths.student_helpers():
        target = dest / helper.relative_to(paths.ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(helper, target)
    for name in COPIED_FILES:
        shutil.copy2(paths.ROOT / name, dest / name)
    if paths.PRACTICE.is_dir():
        shutil.copytree(paths.PRACTICE, dest / "practice",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    (dest / "course" / "exam_map.json").write_text(json.dumps(progress_map(chosen), indent=1, sort_keys=True))
    (dest / "environment.yml").write_text(_environment())
    (dest / "pyproject.toml").write_text(_pyproject())
    (dest / "README.md").write_text(_readme(repository, chosen))
    findings = leaks.scan(dest, paths.SOURCE, paths.student_helpers())
    if findings:
        raise LeakFound("the student export holds instructor material:\n  " + "\n  ".join(findings))
    return chosen


def progress_map(assignments: list[str] | None = None) -> dict[str, dict[str, dict]]:
    """assignment → test-cell grade id → the MLA-C01 items and MLA-C02 skills it grades, and
    whether it is a question: what `python -m course progress` sums by (exam items are no secret:
    every notebook names them)."""
    from . import questions, syllabus

    found: dict[str, dict[str, dict]] = {}
    for assignment in assignments or paths.assignments():
        cells: dict[str, dict] = {}
        if paths.is_mock(assignment):
            for question in questions.load(assignment):
                cells[question.test_cell] = {"C01": list(question.items("C01")),
                                             "C02": list(question.items("C02")), "question": True}
        else:
            for exam, graded in (("C01", syllabus.GRADED), ("C02", syllabus.GRADED_C02)):
                for item, grade_ids in graded.get(assignment, {}).items():
                    for grade_id in grade_ids:
                        entry = cells.setdefault(grade_id, {"C01": [], "C02": [], "question": bool(
                            re.fullmatch(r"test_q\d+_\w+", grade_id))})
                        entry[exam].append(item)
        found[assignment] = cells
    return found


def package_name(requirement: str) -> str:
    """``psycopg[binary]>=3.1,<4`` -> ``psycopg``."""
    return re.match(r"[A-Za-z0-9_.-]+", requirement.strip()).group(0).lower()


def student_dependencies() -> list[str]:
    """The course's own dependencies without any extra: what the notebooks need."""
    return tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


def _environment() -> str:
    """A conda / Binder environment with exactly the student dependencies."""
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    # pip extras (psycopg[binary]) have no conda spelling: conda's package includes them
    packages = "".join(f"  - {EXTRAS.sub('', d)}\n" for d in student_dependencies())
    return ("# Conda / Binder (repo2docker) environment of the student notebooks.\n"
            "name: model-development-labs-student\nchannels:\n  - conda-forge\n"
            f"dependencies:\n  - python{project['requires-python']}\n{packages}  - pip\n")


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

[tool.setuptools.packages.find]
include = ["course*"]
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

## Practise and check your progress

- `practice/domain2-practice.ipynb`: exam-style questions that tell you at once whether you are
  right, with the explanation (nothing there is graded).
- The mock exam sections in `release/` are timed like the real exam's Domain 2 share.
- `python -m course progress` reruns your notebooks in a scratch copy and shows, by exam item,
  how many visible checks pass and how many questions you have answered (a table and
  `progress.png`); `--exam C02` sums by MLA-C02's skills.
"""
