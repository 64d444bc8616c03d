"""Sample classes of simulated students, built from the solution and the misconception catalog.

The same builder serves the demo (a small mixed class) and the tests (one student per mistake).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import catalog
from .catalog import Mistake


@dataclass(frozen=True)
class Student:
    id: str
    mistakes: tuple[Mistake, ...] = ()
    blank: bool = False
    description: str = field(default="", compare=False)


def perfect() -> Student:
    return Student("perfect", description="the instructor's solution")


def blank() -> Student:
    return Student("blank", blank=True, description="the release, unanswered")


def making(mistake: Mistake) -> Student:
    """The student whose only mistake is ``mistake``."""
    return Student(mistake.student, (mistake,), description=mistake.why)


def one_per_mistake(assignment: str) -> list[Student]:
    """One student per catalog entry: each mistake on its own."""
    return [making(m) for m in catalog.load(assignment)]


def mixed(assignment: str, size: int, per_student: int = 3, seed: int = 0) -> list[Student]:
    """``size`` students, each making ``per_student`` catalog mistakes in different cells."""
    mistakes = catalog.load(assignment)
    rng = random.Random(seed)
    students = []
    for number in range(1, size + 1):
        chosen: list[Mistake] = []
        for mistake in rng.sample(mistakes, len(mistakes)):
            if len(chosen) < per_student and mistake.cell not in {m.cell for m in chosen}:
                chosen.append(mistake)
        students.append(Student(f"student-{number:02d}", tuple(chosen),
                                description=", ".join(m.id for m in chosen)))
    return students


def submission(student: Student, release_dir: Path, source_dir: Path
               ) -> dict[str, nbformat.NotebookNode]:
    """The notebooks ``student`` hands in for the assignment in ``release_dir``."""
    release = catalog.read_notebooks(release_dir)
    if student.blank:
        return release
    return catalog.answered(release, catalog.read_notebooks(source_dir), student.mistakes)
