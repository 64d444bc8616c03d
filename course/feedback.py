"""Keep hidden tests out of the feedback students receive.

Upstream nbgrader 0.9.6 renders autograded notebooks, hidden tests included, into the feedback
HTML (upstream issues #917 and #1363). ``nbgrader_config.py`` inserts :class:`HideHiddenTests`
into ``GenerateFeedback.preprocessors`` so that plain ``nbgrader generate_feedback`` is safe too.
"""
from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests

NOTICE = "# (hidden tests ran here when your notebook was graded)"


class HideHiddenTests(ClearHiddenTests):
    """Remove hidden-test regions from test cells and hidden code from their error tracebacks.

    An IPython traceback quotes the failing source lines, so the error output of a cell that held
    hidden tests is reduced to its exception name and message, which the course writes to teach.
    """

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, cell_index: int
                        ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type != "code" or self.begin_test_delimeter not in cell.source:
            return cell, resources
        self._remove_hidden_test_region(cell)
        cell.source = cell.source.rstrip("\n") + "\n" + NOTICE
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
