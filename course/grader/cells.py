"""What a notebook cell is to the course, defined once: its grade id, whether it is an answer
(solution) cell or a test cell, and the markers of solution and hidden-test regions.

Read straight from the metadata with defaults, never trusting its shape: these run on students'
notebooks before and after grading, where the metadata may have been edited into anything.
"""
from __future__ import annotations

from collections.abc import Mapping

REGIONS = {"solution": ("BEGIN SOLUTION", "END SOLUTION"),
           "hidden": ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")}
MARKERS = tuple(marker for pair in REGIONS.values() for marker in pair)


def nbgrader(cell: Mapping) -> Mapping:
    """The cell's nbgrader metadata, or an empty mapping when it is missing or malformed."""
    metadata = cell.get("metadata") if isinstance(cell, Mapping) else None
    meta = metadata.get("nbgrader") if isinstance(metadata, Mapping) else None
    return meta if isinstance(meta, Mapping) else {}


def grade_id(cell: Mapping) -> str | None:
    value = nbgrader(cell).get("grade_id")
    return value if isinstance(value, str) else None


def is_solution(cell: Mapping) -> bool:
    return bool(nbgrader(cell).get("solution"))


def is_locked(cell: Mapping) -> bool:
    return bool(nbgrader(cell).get("locked"))


def is_test(cell: Mapping) -> bool:
    """A graded code cell that is not an answer: its code comes from the gradebook."""
    meta = nbgrader(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")
