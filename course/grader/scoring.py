"""How a test cell earns its points: by running to the end without an error, and no other way.

nbgrader 0.9.6 scores a test cell from the *first* ``execute_result`` among its outputs (partial
credit), before it looks for an error. Any value the kernel displays as a result counts, so a
student's function that calls ``sys.displayhook("ok")`` while the checks run earns full marks
even when the checks then fail. The course's test cells never use partial credit, so
:class:`ScoreByCompletion`, placed before ``SaveAutoGrades`` in ``nbgrader_config.py`` (plain
``nbgrader autograde``) and in the grading workers (``course grade``), turns every result a test
cell displayed into ordinary display output: the student still sees it, and the cell scores full
marks only when it produced no error.
"""
from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from .cells import is_test


class ScoreByCompletion(NbGraderPreprocessor):
    """Make results displayed by test cells count for nothing when nbgrader scores them."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int
                        ) -> tuple[NotebookNode, ResourcesDict]:
        if is_test(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "execute_result":
                    output["output_type"] = "display_data"
                    output.pop("execution_count", None)
        return cell, resources
