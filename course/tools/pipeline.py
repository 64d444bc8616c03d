"""The nbgrader pipeline, run for real in a course directory.

Every step shells out to the `nbgrader` command of this Python environment, exactly as an
instructor would type it, so the demo and the tests exercise upstream nbgrader plus this course's
`nbgrader_config.py` and nothing else. Scores are read back through nbgrader's own Gradebook API.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from ..grader import gradebook
from ..grader.gradebook import CellScore
from ..grader.layout import CONFIG_NAME, Course, NbgraderFailed
from . import paths

__all__ = ["Course", "CellScore", "NbgraderFailed", "make_course", "generate_release",
           "regenerate_repository_release", "submit", "autograde", "grade", "generate_feedback",
           "export_grades", "cell_scores"]


def make_course(dest: Path, assignments: list[str] | None = None, source: Path = paths.SOURCE,
                gradebook_url: str | None = None) -> Course:
    """A fresh course directory: the course's config and the chosen source assignments. Its
    gradebook is its own (SQLite in the folder, or ``gradebook_url``), pinned in its config, so
    a gradebook URL set for the instructor's real course is never touched."""
    dest.mkdir(parents=True, exist_ok=True)
    # SQLite beside the config, wherever the folder is copied to; or the URL given
    url = repr(gradebook_url) if gradebook_url else \
        '"sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db")'
    (dest / CONFIG_NAME).write_text(f"{paths.CONFIG.read_text()}\n"
                                    f"# A scratch copy of the course: its own gradebook.\n"
                                    f"c.CourseDirectory.db_url = {url}\n")
    for assignment in assignments or paths.assignments(source):
        shutil.copytree(source / assignment, dest / "source" / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return Course(dest)


def generate_release(course: Course, assignment: str) -> Path:
    """``nbgrader generate_assignment``: student version in release/, cells saved in the gradebook."""
    course.nbgrader("generate_assignment", assignment, "--force")
    return course.release(assignment)


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


def submit(course: Course, student: str, assignment: str,
           notebooks: dict[str, nbformat.NotebookNode]) -> Path:
    """Place a student's notebooks where ``nbgrader autograde`` looks for them."""
    folder = course.submitted(student, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    for name, notebook in notebooks.items():
        nbformat.write(notebook, folder / name)
    return folder


def autograde(course: Course, assignment: str, log: Path | None = None) -> None:
    """``nbgrader autograde`` for every submitted student.

    nbgrader exits 1 when any one submission fails (a dead kernel, an unreadable file); the others
    are graded all the same, so the exit code is not treated as fatal here — the scores are read
    back from the gradebook instead, and a student with no autograded notebook is reported there.
    """
    course.nbgrader("autograde", assignment, "--force", check=False, log=log)


def grade(course: Course, *args: str, log: Path | None = None) -> subprocess.CompletedProcess:
    """``course grade`` here: every submission graded in parallel, each kernel sandboxed
    (see course.grader.coordinator). Extra ``args`` go to the command (e.g. ``--workers 2``)."""
    result = subprocess.run([sys.executable, "-m", "course", "grade", str(course.root), *args],
                            capture_output=True, text=True)
    if log is not None:
        with log.open("a") as handle:
            handle.write(f"$ course grade {' '.join(args)}\n{result.stdout}{result.stderr}\n")
    if result.returncode == 2:       # refused: no sandbox on this machine
        raise NbgraderFailed(result.stderr.strip())
    return result


def generate_feedback(course: Course, assignment: str, log: Path | None = None) -> Path:
    """``nbgrader generate_feedback``: one HTML page per notebook, hidden tests removed by the
    course's preprocessor (see course.grader.feedback)."""
    course.nbgrader("generate_feedback", assignment, "--force", check=False, log=log)
    return course.root / course.coursedir.feedback_directory


def export_grades(course: Course, csv_path: Path | None = None) -> Path:
    """``nbgrader export``: the gradebook as a CSV, one row per student and assignment."""
    target = csv_path or course.root / "grades.csv"
    course.nbgrader("export", "--to", str(target))
    return target


def cell_scores(course: Course, assignment: str) -> dict[str, list[CellScore]]:
    """Per submitted student, the score of every graded cell of ``assignment`` as stored in the
    gradebook (an empty list: submitted but never graded)."""
    students = sorted(student for a, student in course.submissions([assignment]))
    return gradebook.cell_scores(course.db_url, course.course_id, assignment, students)
