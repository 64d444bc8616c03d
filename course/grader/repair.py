"""Check a submission before grading and repair what can be repaired safely.

Upstream nbgrader fails or aborts on some damage students do by accident: a duplicated graded
cell, edited nbgrader metadata, a notebook saved under another name, a file that is not JSON.
Each repair here is small, keeps every line of the student's code, and is reported, so the
instructor and the student can see what was changed. The student's own files are never touched:
the repaired copy is what gets graded.
"""
from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .cells import grade_id
from .worker import collect_files

# A file larger than this is not graded (a notebook of the course is well under 1 MB): one
# student's huge upload must not exhaust the grader's memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
# nbgrader metadata a student may not change; restored from the release when it differs.
PROTECTED_KEYS = ("grade", "solution", "locked", "points", "schema_version", "task")


@dataclass
class Repaired:
    files: dict[str, bytes]                      # what will be graded, by relative path
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)   # expected notebooks not graded


def _release_cells(release: nbformat.NotebookNode) -> tuple[dict, dict]:
    by_grade_id, by_cell_id = {}, {}
    for cell in release.cells:
        if grade_id(cell):
            by_grade_id[grade_id(cell)] = cell
            if cell.get("id"):
                by_cell_id[cell["id"]] = cell
    return by_grade_id, by_cell_id


def repair_notebook(name: str, nb: nbformat.NotebookNode, release: nbformat.NotebookNode
                    ) -> list[str]:
    """Repair ``nb`` in place against its release version; return what was done."""
    notes: list[str] = []
    by_grade_id, by_cell_id = _release_cells(release)

    # A duplicated graded cell: nbgrader keeps the last copy, so the others become plain cells.
    last = {}
    for index, cell in enumerate(nb.cells):
        if grade_id(cell):
            last[grade_id(cell)] = index
    for index, cell in enumerate(nb.cells):
        cell_grade_id = grade_id(cell)
        if cell_grade_id and last[cell_grade_id] != index:
            del cell.metadata["nbgrader"]
            notes.append(f"{name}: cell '{cell_grade_id}' appeared more than once; the last copy is "
                         "graded, earlier copies run as ordinary cells")

    present = {grade_id(c) for c in nb.cells if grade_id(c)}
    for cell in nb.cells:
        cell_grade_id = grade_id(cell)
        if cell_grade_id is None:
            # Metadata deleted: recognise the cell by its notebook cell id.
            original = by_cell_id.get(cell.get("id"))
            if original is not None and grade_id(original) not in present:
                cell.setdefault("metadata", {})["nbgrader"] = dict(original.metadata.nbgrader)
                present.add(grade_id(original))
                notes.append(f"{name}: restored the nbgrader metadata of cell "
                             f"'{grade_id(original)}'")
                cell_grade_id = grade_id(original)
            else:
                continue
        original = by_grade_id.get(cell_grade_id)
        if original is None:
            continue
        if cell.cell_type != original.cell_type:
            notes.append(f"{name}: cell '{cell_grade_id}' was changed to {cell.cell_type}; "
                         f"restored to {original.cell_type}")
            cell.cell_type = original.cell_type
            if original.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
            else:
                cell.pop("outputs", None)
                cell.pop("execution_count", None)
        meta = cell.metadata.nbgrader
        changed = [k for k in PROTECTED_KEYS if meta.get(k) != original.metadata.nbgrader.get(k)]
        if changed:
            for key in changed:
                if key in original.metadata.nbgrader:
                    meta[key] = original.metadata.nbgrader[key]
                else:
                    meta.pop(key, None)
            notes.append(f"{name}: restored edited nbgrader metadata ({', '.join(changed)}) "
                         f"of cell '{cell_grade_id}'")
    return notes


def repair_submission(folder: Path, release_dir: Path) -> Repaired:
    """The files of ``folder`` as they will be graded, with what was repaired or is missing."""
    releases = {p.name: nbformat.read(p, as_version=4) for p in sorted(release_dir.glob("*.ipynb"))}
    result = Repaired({})
    notebooks: dict[str, nbformat.NotebookNode] = {}
    too_large: list[str] = []
    for relative, data in collect_files(folder, MAX_FILE_BYTES, too_large).items():  # no links
        if not relative.endswith(".ipynb") or "/" in relative:
            result.files[relative] = data
            continue
        try:
            with warnings.catch_warnings():       # old notebooks without cell ids are fine
                warnings.simplefilter("ignore")
                notebooks[relative] = nbformat.reads(data.decode("utf-8"), as_version=4)
        except (ValueError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as err:
            result.notes.append(f"{relative}: not a readable notebook ({str(err)[:120]}); "
                                "graded as missing")

    for relative in too_large:
        result.notes.append(f"{relative}: larger than {MAX_FILE_BYTES // 2 ** 20} MB; not graded")
    # A notebook saved under another name: rename it back when it is clearly the missing one.
    for expected, release in releases.items():
        if expected in notebooks:
            continue
        wanted = set(_release_cells(release)[0])
        candidates = [n for n in notebooks if n not in releases and wanted and
                      len(wanted & {grade_id(c) for c in notebooks[n].cells}) * 2 >= len(wanted)]
        if len(candidates) == 1:
            notebooks[expected] = notebooks.pop(candidates[0])
            result.notes.append(f"{candidates[0]}: graded as {expected} (it holds that "
                                "notebook's cells)")
    for name in notebooks:
        if name not in releases:
            result.notes.append(f"{name}: not part of the assignment; ignored")
    for name, nb in notebooks.items():
        if name in releases:
            result.notes.extend(repair_notebook(name, nb, releases[name]))
            result.files[name] = nbformat.writes(nb).encode()
    result.missing = [n for n in releases if n not in result.files]
    for name in result.missing:
        if not any(note.startswith(name) for note in result.notes):
            result.notes.append(f"{name}: not submitted; scored zero")
    return result
