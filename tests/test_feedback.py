"""The feedback preprocessor removes hidden tests wherever they appear: in the test cells, in the
tracebacks that would quote them, and in anything student code printed after reading them."""
from __future__ import annotations

import html

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course.grader.feedback import NOTICE, REMOVED, HideHiddenTests

SECRET = "assert secret(41) == 42, 'the answer'"


def graded_test_cell(source: str) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata.nbgrader = {"grade": True, "solution": False, "locked": True, "points": 1,
                              "grade_id": "test_secret", "schema_version": 3}
    return cell


def solution_cell(source: str) -> nbformat.NotebookNode:
    cell = new_code_cell(source)
    cell.metadata.nbgrader = {"grade": False, "solution": True, "locked": False,
                              "grade_id": "secret", "schema_version": 3}
    return cell


def hide(*cells) -> nbformat.NotebookNode:
    notebook, _ = HideHiddenTests().preprocess(new_notebook(cells=list(cells)), {})
    return notebook


def test_hidden_region_and_traceback_removed():
    cell = graded_test_cell(f"visible()\n### BEGIN HIDDEN TESTS\n{SECRET}\n### END HIDDEN TESTS")
    cell.outputs = [new_output("error", ename="AssertionError", evalue="the answer",
                               traceback=[f"----> 3 {SECRET}", "AssertionError: the answer"])]
    cell = hide(cell).cells[0]
    assert "secret(" not in cell.source and "HIDDEN" not in cell.source
    assert cell.source == "visible()\n" + NOTICE
    assert cell.outputs[0]["traceback"] == ["AssertionError: the answer"]


def test_cells_without_hidden_tests_untouched():
    cell = new_code_cell("visible()")
    cell.outputs = [new_output("error", ename="E", evalue="v", traceback=["line 1", "E: v"])]
    cell = hide(cell).cells[0]
    assert cell.source == "visible()" and cell.outputs[0]["traceback"] == ["line 1", "E: v"]


def test_hidden_lines_printed_by_student_code_are_removed_from_every_output():
    """A student's later cell prints ``In`` (which holds the hidden tests it ran), shows it as
    HTML and raises it as an error message: none of it reaches the feedback."""
    tests = graded_test_cell(f"visible()\n### BEGIN HIDDEN TESTS\n{SECRET}\n### END HIDDEN TESTS")
    spy = new_code_cell("print('\\n'.join(In))")
    spy.outputs = [
        new_output("stream", name="stdout", text=f"visible()\n  {SECRET}\nmine\n"),
        new_output("display_data", data={"text/html": f"<pre>{html.escape(SECRET)}</pre>",
                                         "text/plain": [SECRET]}),
        new_output("error", ename="RuntimeError", evalue=SECRET, traceback=[f"boom {SECRET}"]),
    ]
    notebook = hide(tests, spy, new_markdown_cell(SECRET))
    text = nbformat.writes(notebook)
    assert "secret(41)" not in text and "secret(41)" not in html.unescape(text)
    stream = notebook.cells[1].outputs[0]["text"]
    assert stream.splitlines() == ["visible()", REMOVED, "mine"]     # the rest is kept
    assert notebook.cells[2].source == REMOVED


def test_a_solution_cell_holding_region_markers_does_not_break_feedback():
    weird = solution_cell("### BEGIN HIDDEN TESTS\nx = 1  # my own code, no END marker")
    tests = graded_test_cell(f"check(x)\n### BEGIN HIDDEN TESTS\n{SECRET}\n### END HIDDEN TESTS")
    notebook = hide(weird, tests)
    assert notebook.cells[0].source == weird.source
    assert "secret(41)" not in notebook.cells[1].source
