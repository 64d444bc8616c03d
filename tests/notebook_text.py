"""Reading notebooks for the leak tests: what is secret, what is visible."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import nbformat

REGIONS = {"solution": ("BEGIN SOLUTION", "END SOLUTION"),
           "hidden": ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")}


def secret_lines(notebook: Path, kind: str, min_length: int = 12) -> set[str]:
    """Distinctive lines inside ``kind`` regions of a source notebook: long enough to be
    meaningful and never written outside such a region (so finding one elsewhere is a leak)."""
    begin, end = REGIONS[kind]
    inside, outside = set(), set()
    for cell in nbformat.read(notebook, as_version=4).cells:
        active = False
        for line in cell.source.split("\n"):
            text = line.strip()
            if begin in text:
                active = True
            elif end in text:
                active = False
            elif text:
                (inside if active else outside).add(text)
    return {line for line in inside - outside if len(line) >= min_length and not line.startswith("#")}


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
