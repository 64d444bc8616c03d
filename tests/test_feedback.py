"""The feedback preprocessor removes hidden tests and the tracebacks that would quote them."""
from __future__ import annotations

from nbformat.v4 import new_code_cell, new_output

from course.feedback import NOTICE, HideHiddenTests


def test_hidden_region_and_traceback_removed():
    cell = new_code_cell("visible()\n### BEGIN HIDDEN TESTS\nassert secret() == 42\n### END HIDDEN TESTS")
    cell.outputs = [new_output("error", ename="AssertionError", evalue="secret failed",
                               traceback=["----> 3 assert secret() == 42", "AssertionError: secret failed"])]
    cell, _ = HideHiddenTests().preprocess_cell(cell, {}, 0)
    assert "secret()" not in cell.source and "HIDDEN" not in cell.source
    assert cell.source == "visible()\n" + NOTICE
    assert cell.outputs[0]["traceback"] == ["AssertionError: secret failed"]


def test_cells_without_hidden_tests_untouched():
    cell = new_code_cell("visible()")
    cell.outputs = [new_output("error", ename="E", evalue="v", traceback=["line 1", "E: v"])]
    cell, _ = HideHiddenTests().preprocess_cell(cell, {}, 0)
    assert cell.source == "visible()" and cell.outputs[0]["traceback"] == ["line 1", "E: v"]
