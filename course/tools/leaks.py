"""What must never reach a student, and a scan that proves it did not.

Secret: the code inside solution regions and hidden-test regions of the source notebooks, the
misconception catalog, gradebooks and instructor-only folders. Used by the student export (which
refuses to finish when the scan finds anything) and by the tests of release/ and feedback.
"""
from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from ..grader.cells import MARKERS, REGIONS
from . import paths

INSTRUCTOR_FOLDERS = {"source", "submitted", "autograded", "feedback", "instructor", "tests"}
# the instructor's tools and the grading engine: students get the helpers of course/ only
INSTRUCTOR_PACKAGES = {f"course/{name}" for name in paths.INSTRUCTOR_PACKAGES}
INSTRUCTOR_FILES = {"nbgrader_config.py", "grades.csv", "nbgrader.log"}
DATABASE_SUFFIXES = {".db", ".sqlite", ".sqlite3", ".db-journal", ".db-wal"}


def _lines(notebook: Path) -> list[tuple[str | None, str]]:
    """Every non-blank, stripped source line with the region it sits in (None: outside all)."""
    result = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        kind = None
        for line in cell.source.split("\n"):
            text = line.strip()
            opened = [k for k, (begin, _) in REGIONS.items() if begin in text]
            if opened:
                kind = opened[0]
            elif any(end in text for _, end in REGIONS.values()):
                kind = None
            elif text:
                result.append((kind, text))
    return result


def _distinctive(line: str, min_length: int) -> bool:
    return len(line) >= min_length and not line.startswith("#")


def secret_lines(notebook: Path, kind: str, min_length: int = 12) -> set[str]:
    """Distinctive lines inside ``kind`` regions of a source notebook: long enough to be
    meaningful and never written outside such a region (so finding one elsewhere is a leak)."""
    lines = _lines(notebook)
    inside = {text for k, text in lines if k == kind}
    elsewhere = {text for k, text in lines if k != kind}
    return {line for line in inside - elsewhere if _distinctive(line, min_length)}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a reader of an HTML page sees: tags removed (syntax highlighting splits code lines
    into many spans), entities decoded, styles and scripts dropped."""
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def all_secret_lines(source: Path, published: Iterable[Path] = (), min_length: int = 12
                     ) -> dict[str, str]:
    """Every distinctive solution or hidden-test line of the course → where it is from.

    A line that some notebook shows outside any region (``import itertools`` in one lab's setup,
    say), even as part of a longer line (a hidden check's ``what="..."),`` continuation that a
    visible check writes on one line), or that a ``published`` helper module contains is not
    secret anywhere, so the scan flags only what no student is ever shown.
    """
    found: dict[str, str] = {}
    visible = {line.strip() for path in published for line in path.read_text().splitlines()}
    for notebook in sorted(source.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in notebook.parts:
            continue
        for kind, text in _lines(notebook):
            if kind is None:
                visible.add(text)
            elif _distinctive(text, min_length):
                found.setdefault(text, f"{kind} code of {notebook.parent.name}/{notebook.name}")
    shown = "\n".join(visible)
    return {line: origin for line, origin in found.items() if line not in shown}


def _text_lines(path: Path) -> set[str] | None:
    """The stripped lines a reader of ``path`` sees (notebook cells and outputs included)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None                                   # binary: only its name is checked
    if path.suffix == ".ipynb":
        try:
            notebook = nbformat.reads(text, as_version=4)
        except Exception:
            return {line.strip() for line in text.splitlines()}
        parts = [cell.source for cell in notebook.cells]
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                parts.append(str(output.get("text", "")))
                parts.extend(str(v) for v in output.get("data", {}).values() if isinstance(v, str))
                parts.extend(output.get("traceback", []))
        text = "\n".join(parts)
    elif path.suffix in (".html", ".htm"):
        text = visible_text(text)
    return {line.strip() for line in text.splitlines()}


def scan(tree: Path, source: Path, published: Iterable[Path] = ()) -> list[str]:
    """Everything in ``tree`` that must not reach students, one finding per line (empty = clean).

    ``published``: files students receive anyway (the helper modules), whose lines are not secret.
    """
    secrets = all_secret_lines(source, published)
    findings = []
    for path in sorted(tree.rglob("*")):
        relative = path.relative_to(tree).as_posix()
        if path.is_dir():
            if path.name in INSTRUCTOR_FOLDERS or relative in INSTRUCTOR_PACKAGES:
                findings.append(f"{relative}/: instructor-only folder")
            continue
        if path.name in INSTRUCTOR_FILES or path.name.startswith("gradebook"):
            findings.append(f"{relative}: instructor-only file")
        if path.suffix in DATABASE_SUFFIXES:
            findings.append(f"{relative}: a database (gradebooks hold hidden tests and grades)")
        lines = _text_lines(path)
        if lines is None:
            continue
        if any("[[mistake]]" in line for line in lines):
            findings.append(f"{relative}: misconception catalog content")
        markers = sorted({m for m in MARKERS for line in lines if m in line})
        if markers:
            findings.append(f"{relative}: region markers {', '.join(markers)}")
        by_origin: dict[str, list[str]] = {}
        for line in sorted(lines & secrets.keys()):
            by_origin.setdefault(secrets[line], []).append(line)
        for origin, leaked in sorted(by_origin.items()):
            findings.append(f"{relative}: {len(leaked)} line(s) of {origin}, e.g. {leaked[0]!r}")
    return findings
