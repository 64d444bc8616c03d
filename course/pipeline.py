"""The nbgrader pipeline, run for real in a course directory.

Every step shells out to the `nbgrader` command of this Python environment, exactly as an
instructor would type it, so the demo and the tests exercise upstream nbgrader plus this course's
`nbgrader_config.py` and nothing else. Scores are read back through nbgrader's own Gradebook API.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from . import paths


class PipelineError(RuntimeError):
    """An nbgrader step failed in a way that leaves nothing to report."""


@dataclass(frozen=True)
class CourseDir:
    """A self-contained nbgrader course directory with its own gradebook: SQLite in the folder
    unless another SQLAlchemy URL (e.g. a PostgreSQL server) is given."""

    root: Path
    gradebook_url: str | None = None

    @property
    def db_url(self) -> str:
        return self.gradebook_url or f"sqlite:///{self.root / 'gradebook.db'}"

    def nbgrader(self, *args: str, check: bool = True, log: Path | None = None
                 ) -> subprocess.CompletedProcess:
        """Run ``nbgrader ARGS`` here with this Python's nbgrader. The gradebook is pinned to this
        directory so that a MDL_GRADEBOOK_URL set for the instructor's real course is never touched."""
        env = {**os.environ, "MDL_GRADEBOOK_URL": self.db_url,
               # nbgrader runs `alembic` from PATH: put this environment's scripts first.
               "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
        result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.root, env=env,
                                capture_output=True, text=True)
        if log is not None:
            with log.open("a") as handle:
                handle.write(f"$ nbgrader {' '.join(args)}\n{result.stdout}{result.stderr}\n")
        if check and result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
            raise PipelineError(f"nbgrader {' '.join(args)} failed (exit {result.returncode}):\n{tail}")
        return result


def make_course(dest: Path, assignments: list[str] | None = None, source: Path = paths.SOURCE,
                gradebook_url: str | None = None) -> CourseDir:
    """Copy the course config and the chosen source assignments into a fresh directory."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(paths.CONFIG, dest / "nbgrader_config.py")
    for assignment in assignments or paths.assignments(source):
        shutil.copytree(source / assignment, dest / "source" / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return CourseDir(dest, gradebook_url)


def generate_release(course: CourseDir, assignment: str) -> Path:
    """``nbgrader generate_assignment``: student version in release/, cells saved in the gradebook."""
    course.nbgrader("generate_assignment", assignment, "--force")
    return course.root / "release" / assignment


def regenerate_repository_release(assignments: list[str] | None = None, scratch: Path | None = None
                                  ) -> list[Path]:
    """Rewrite release/ of the repository from source/ (built in a scratch course directory so
    that no gradebook is created in the repository)."""
    chosen = assignments or paths.assignments()
    written = []
    with tempfile.TemporaryDirectory(dir=scratch) as tmp:
        course = make_course(Path(tmp), chosen)
        for assignment in chosen:
            built = generate_release(course, assignment)
            target = paths.RELEASE / assignment
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(built, target)
            written.append(target)
    return written


def submit(course: CourseDir, student: str, assignment: str,
           notebooks: dict[str, nbformat.NotebookNode]) -> Path:
    """Place a student's notebooks where ``nbgrader autograde`` looks for them."""
    folder = course.root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / name)
    return folder


def autograde(course: CourseDir, assignment: str, log: Path | None = None) -> None:
    """``nbgrader autograde`` for every submitted student.

    nbgrader exits 1 when any one submission fails (a dead kernel, an unreadable file); the others
    are graded all the same, so the exit code is not treated as fatal here — the scores are read
    back from the gradebook instead, and a student with no autograded notebook is reported there.
    """
    course.nbgrader("autograde", assignment, "--force", check=False, log=log)


def grade(course: CourseDir, *args: str, log: Path | None = None) -> subprocess.CompletedProcess:
    """``course grade`` here: every submission graded in parallel, each kernel sandboxed
    (see course.grading). Extra ``args`` go to the command (e.g. ``--workers 2``)."""
    env = {**os.environ, "MDL_GRADEBOOK_URL": course.db_url}
    result = subprocess.run([sys.executable, "-m", "course", "grade", str(course.root), *args],
                            env=env, capture_output=True, text=True)
    if log is not None:
        with log.open("a") as handle:
            handle.write(f"$ course grade {' '.join(args)}\n{result.stdout}{result.stderr}\n")
    if result.returncode == 2:       # refused: no sandbox on this machine
        raise PipelineError(result.stderr.strip())
    return result


def generate_feedback(course: CourseDir, assignment: str, log: Path | None = None) -> Path:
    """``nbgrader generate_feedback``: one HTML page per notebook, hidden tests removed by the
    course's preprocessor (see course.feedback)."""
    course.nbgrader("generate_feedback", assignment, "--force", check=False, log=log)
    return course.root / "feedback"


def export_grades(course: CourseDir, csv_path: Path | None = None) -> Path:
    """``nbgrader export``: the gradebook as a CSV, one row per student and assignment."""
    target = csv_path or course.root / "grades.csv"
    course.nbgrader("export", "--to", str(target))
    return target


@dataclass(frozen=True)
class CellScore:
    notebook: str
    grade_id: str
    score: float
    max_score: float


def cell_scores(course: CourseDir, assignment: str) -> dict[str, list[CellScore]]:
    """Per student, the score of every graded cell of ``assignment`` as stored in the gradebook.

    A student who was submitted but whose notebook could not be graded has an empty list.
    """
    result: dict[str, list[CellScore]] = {}
    submitted = course.root / "submitted"
    students = sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())
    with Gradebook(course.db_url) as gradebook:
        for student in students:
            scores: list[CellScore] = []
            try:
                submission = gradebook.find_submission(assignment, student)
            except Exception:  # MissingEntry: the student was never graded
                result[student] = scores
                continue
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    scores.append(CellScore(notebook.name, grade.name, float(grade.score or 0.0),
                                            float(grade.max_score)))
            # sorted: the order rows come back in depends on the database (PostgreSQL differs)
            result[student] = sorted(scores, key=lambda c: (c.notebook, c.grade_id))
    return result
