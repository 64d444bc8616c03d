"""The misconception catalog: realistic wrong answers, one simulated student each.

The catalog lives in instructor/<assignment>/mistakes.toml, outside source/ (every file in source/ is
copied to students). The tests grade every mistake to prove that the graders reject it, and the
demo builds its sample class from the same entries.

A mistake edits one solution cell of the *perfect* answer: the source cell with its
``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines deleted. It either replaces snippets
(``replace = [{old, new}]``, each ``old`` occurring exactly once) or the whole cell (``code``).
The same file holds ``[[correct]]`` entries, written the same way: answers that are right in
another style and must keep full marks (the graders are fair both ways).
"""
from __future__ import annotations

import copy
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import paths
from ..grader.cells import REGIONS, grade_id, is_solution

SOLUTION_MARKERS = tuple(f"### {marker}" for marker in REGIONS["solution"])


class CatalogError(ValueError):
    """The catalog no longer matches the source notebook (a stale ``old`` snippet, a bad id)."""


@dataclass(frozen=True)
class Mistake:
    id: str
    cell: str
    loses: tuple[str, ...]
    why: str
    replace: tuple[tuple[str, str], ...] = ()
    code: str | None = None

    @property
    def student(self) -> str:
        """The simulated student's id in nbgrader."""
        return f"x-{self.id}"


def _read(path: Path, table: str, assignment: str) -> list[Mistake]:
    with path.open("rb") as handle:
        entries = tomllib.load(handle).get(table, [])
    found = []
    for entry in entries:
        try:
            found.append(Mistake(
                id=entry["id"], cell=entry["cell"],
                loses=tuple(entry["loses"]) if table == "mistake" else (), why=entry["why"],
                replace=tuple((r["old"], r["new"]) for r in entry.get("replace", [])),
                code=entry.get("code")))
        except KeyError as missing:
            raise CatalogError(f"{assignment}/{path.name}: {table} {entry.get('id', '?')!r} "
                               f"lacks {missing}") from None
    return found


def _entries(assignment: str, folder: Path) -> tuple[list[Mistake], list[Mistake]]:
    path = folder / assignment / paths.MISTAKES
    if not path.exists():
        return [], []
    mistakes, correct = _read(path, "mistake", assignment), _read(path, "correct", assignment)
    ids = [m.id for m in mistakes + correct]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CatalogError(f"{assignment}/{path.name}: duplicated ids {duplicates}")
    return mistakes, correct


def load(assignment: str, folder: Path = paths.INSTRUCTOR) -> list[Mistake]:
    """The ``[[mistake]]`` entries of ``folder/<assignment>/mistakes.toml``: wrong answers that
    must lose points on the cells they name (none without a catalog)."""
    return _entries(assignment, folder)[0]


def load_correct(assignment: str, folder: Path = paths.INSTRUCTOR) -> list[Mistake]:
    """The ``[[correct]]`` entries of the same file: right answers written another way (another
    plotting call, another type, a warning on stderr) that must keep full marks everywhere."""
    return _entries(assignment, folder)[1]


def solution_code(source: str) -> str:
    """The perfect student's answer: the instructor's cell without the solution marker lines."""
    return "\n".join(line for line in source.split("\n")
                     if line.strip() not in SOLUTION_MARKERS)


def apply(mistake: Mistake, answer: str) -> str:
    """The perfect answer of ``mistake.cell`` turned into the mistaken one."""
    if mistake.code is not None:
        return mistake.code
    for old, new in mistake.replace:
        count = answer.count(old)
        if count != 1:
            raise CatalogError(f"mistake {mistake.id!r}: {old!r} occurs {count} times in the answer "
                               f"to {mistake.cell!r}; it must occur exactly once")
        answer = answer.replace(old, new)
    return answer


def answered(release: dict[str, nbformat.NotebookNode], source: dict[str, nbformat.NotebookNode],
             mistakes: Sequence[Mistake] = ()) -> dict[str, nbformat.NotebookNode]:
    """A student's submission: the release notebooks with every solution cell answered from the
    source solution, except the cells that ``mistakes`` edit."""
    answers = {}
    for notebook in source.values():
        for cell in notebook.cells:
            if is_solution(cell):
                answers[grade_id(cell)] = solution_code(cell.source)
    for mistake in mistakes:
        if mistake.cell not in answers:
            raise CatalogError(f"mistake {mistake.id!r}: no solution cell {mistake.cell!r}")
        answers[mistake.cell] = apply(mistake, answers[mistake.cell])
    submission = {}
    for name, notebook in release.items():
        notebook = copy.deepcopy(notebook)
        for cell in notebook.cells:
            if is_solution(cell) and grade_id(cell) in answers:
                cell.source = answers[grade_id(cell)]
        submission[name] = notebook
    return submission


def read_notebooks(folder: Path) -> dict[str, nbformat.NotebookNode]:
    return {p.name: nbformat.read(p, as_version=4) for p in paths.notebooks(folder)}
