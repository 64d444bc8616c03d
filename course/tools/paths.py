"""Where the course lives: the repository root holds source/, release/ and nbgrader_config.py."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "source"
RELEASE = ROOT / "release"
# Per assignment, the instructor's data, kept out of source/ (nbgrader copies every file there to
# students): instructor/<assignment>/exam.toml and mistakes.toml.
INSTRUCTOR = ROOT / "instructor"
EXAM_MAP = "exam.toml"            # exam item -> grade ids of the cells that grade it
MISTAKES = "mistakes.toml"        # the misconception catalog (course.tools.catalog)
MOCK = "mock.toml"                # present for a timed mock exam section (course.tools.mock)
# The self-study practice questions: their bank, and the notebook rendered from it that students
# receive (answers and explanations included, so none of them is ever graded).
PRACTICE_BANK = INSTRUCTOR / "practice" / "questions.toml"
PRACTICE = ROOT / "practice"
CONFIG = ROOT / "nbgrader_config.py"
# Where `course demo` writes its results: a folder of its own, never the course's real
# autograded/, feedback/ or grades.csv.
DEMO_OUTPUT = ROOT / "demo-output"
PACKAGE = ROOT / "course"
# The instructor's tools and the grading engine: subpackages students never receive.
INSTRUCTOR_PACKAGES = ("tools", "grader")


def student_helpers() -> list[Path]:
    """The modules notebooks import (``course.checks``, ``course.datasets`` ...) and the student's
    ``python -m course progress``: students receive them with the notebooks; the instructor's
    subpackages stay behind."""
    return sorted(p for p in PACKAGE.rglob("*.py")
                  if p.relative_to(PACKAGE).parts[0] not in INSTRUCTOR_PACKAGES)


def assignments(source: Path = SOURCE) -> list[str]:
    """Assignment ids, in course order (folders of source/ named NN-slug)."""
    if not source.is_dir():
        return []
    return sorted(p.name for p in source.iterdir() if p.is_dir() and p.name[:2].isdigit())


def is_mock(assignment: str) -> bool:
    return (INSTRUCTOR / assignment / MOCK).exists()


def lessons(source: Path = SOURCE) -> list[str]:
    """The teaching assignments: every assignment but the mock exam sections, which draw their
    questions from the lessons' and teach nothing of their own (so the syllabus leaves them out)."""
    return [a for a in assignments(source) if not is_mock(a)]


def notebooks(folder: Path) -> list[Path]:
    """The notebooks of one assignment folder, checkpoints excluded."""
    return sorted(p for p in folder.glob("*.ipynb"))
