"""Keep hidden tests out of the feedback students receive.

Upstream nbgrader 0.9.6 renders autograded notebooks, hidden tests included, into the feedback
HTML (upstream issues #917 and #1363). ``nbgrader_config.py`` inserts :class:`HideHiddenTests`
into ``GenerateFeedback.preprocessors`` so that plain ``nbgrader generate_feedback`` is safe too.

Removing the hidden regions from the test cells is not enough: student code can read the hidden
tests while it runs (``In``, an event hook, the working copy) and print them in a later cell. So
every line of every hidden region is collected first, from the test cells nbgrader restored from
the gradebook, and then removed wherever else it appears: in any cell's source and in every text
output (streams, displayed text and HTML, error messages and tracebacks).
"""
from __future__ import annotations

import html

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests

from .cells import is_locked, is_test

NOTICE = "# (hidden tests ran here when your notebook was graded)"
REMOVED = "[a line of the hidden tests was removed here]"
MIN_LENGTH = 8          # shorter lines (")", "else:") say nothing and appear everywhere
BINARY_TYPES = ("image/png", "image/jpeg", "image/gif")


class HideHiddenTests(ClearHiddenTests):
    """Remove hidden-test regions from test cells, and every hidden-test line from everything
    else in the notebook, outputs included.

    An IPython traceback quotes the failing source lines, so the error output of a cell that held
    hidden tests is reduced to its exception name and message, which the course writes to teach.
    """

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict
                   ) -> tuple[NotebookNode, ResourcesDict]:
        self._hidden = self.hidden_lines(nb)
        return super().preprocess(nb, resources)

    def hidden_lines(self, nb: NotebookNode) -> set[str]:
        """The distinctive lines inside the hidden regions of the test cells, minus those the
        student sees anyway in the visible part of a test or read-only cell."""
        hidden, public = set(), set()
        for cell in nb.cells:
            if not (is_test(cell) or is_locked(cell)):
                continue
            inside = False
            for line in cell.source.split("\n"):
                text = line.strip()
                if self.begin_test_delimeter in text:
                    inside = True
                elif self.end_test_delimeter in text:
                    inside = False
                elif len(text) >= MIN_LENGTH:
                    (hidden if inside else public).add(text)
        return hidden - public

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
                        ) -> tuple[NotebookNode, ResourcesDict]:
        hidden = getattr(self, "_hidden", None)
        if hidden is None:                 # called on its own, without preprocess()
            hidden = self.hidden_lines(NotebookNode(cells=[cell]))
        if is_test(cell) and self.begin_test_delimeter in cell.source:
            self._remove_hidden_test_region(cell)
            cell.source = cell.source.rstrip("\n") + "\n" + NOTICE
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: "
                                           f"{output.get('evalue', '')}"]
        elif hidden:
            cell.source = scrub(cell.source, hidden)
        if hidden:
            for output in cell.get("outputs", []):
                scrub_output(output, hidden)
        return cell, resources


def scrub(text: str, hidden: set[str]) -> str:
    """``text`` with every line that shows a hidden line (as is or HTML-escaped) replaced."""
    if not any(line in text or html.escape(line) in text for line in hidden):
        return text
    return "\n".join(REMOVED if any(line in row or html.escape(line) in row for line in hidden)
                     else row for row in text.split("\n"))


def scrub_output(output: NotebookNode, hidden: set[str]) -> None:
    def clean(value):
        if isinstance(value, str):
            return scrub(value, hidden)
        if isinstance(value, list):
            return [clean(item) for item in value]
        return value

    if "text" in output:
        output["text"] = clean(output["text"])
    for key in ("evalue", "traceback"):
        if key in output:
            output[key] = clean(output[key])
    for mime, value in output.get("data", {}).items():
        if mime not in BINARY_TYPES:
            output["data"][mime] = clean(value)
