"""How a test cell earns its points: by running to the end without an error, and no other way.

nbgrader 0.9.6 scores a test cell from its outputs (``nbgrader.utils.determine_grade``):

* the *first* ``execute_result`` is read as a partial score. Any value the kernel displays as a
  result counts, so a student's function that calls ``sys.displayhook("ok")`` while the checks
  run would earn full marks even when the checks then fail;
* any output to stderr scores 0, silently: a correct answer that triggers a library warning, or
  leaves a debug print to stderr, would lose the cell while its visible checks said "passed".

:class:`ScoreByCompletion`, placed before ``SaveAutoGrades`` in ``nbgrader_config.py`` (plain
``nbgrader autograde``) and in the grading workers (``course grade``), turns both into ordinary
output of the cell: the student still sees every word, and the cell scores full marks exactly
when it raised no error, that is when every check in it passed. (Where a contract forbids
warnings, a check says so with a message.)
"""
from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from .cells import is_test


class ScoreByCompletion(NbGraderPreprocessor):
    """Make results and stderr output of test cells count for nothing when nbgrader scores them."""

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int
                        ) -> tuple[NotebookNode, ResourcesDict]:
        if is_test(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "execute_result":
                    output["output_type"] = "display_data"
                    output.pop("execution_count", None)
                elif output.get("output_type") == "stream" and output.get("name") == "stderr":
                    output["name"] = "stdout"
        return cell, resources
