"""The pieces of ``course grade``'s report and its skip digest, tested on their own."""
from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from course.grader import coordinator, execute, integrity, worker


def graded_cell(grade_id: str, *outputs) -> nbformat.NotebookNode:
    cell = new_code_cell("check()")
    cell.metadata.nbgrader = {"grade": True, "solution": False, "grade_id": grade_id, "points": 1}
    cell.outputs = list(outputs)
    return cell


def test_each_error_output_gets_the_reason_an_instructor_understands():
    notebook = new_notebook(cells=[
        graded_cell("test_a", new_output("error", ename="CellTimeoutError", evalue="")),
        graded_cell("test_b", new_output("error", ename=integrity.TAMPERED, evalue="...")),
        graded_cell("test_c", new_output("error", ename="OSError",
                                         evalue="[Errno 28] No space left on device: 'x'")),
        graded_cell("test_d", new_output("error", ename="CheckFailed", evalue="wrong")),
        graded_cell("test_e", new_output("stream", name="stdout", text="fine")),
        new_code_cell("x = 1"),
    ])
    notebook.cells[-1].outputs = [new_output("error", ename=execute.KERNEL_DIED, evalue="")]
    assert coordinator.reasons_in(notebook) == {
        "test_a": "timed out", "test_b": "tampering suspected", "test_c": coordinator.DISK_FULL,
        "test_d": "CheckFailed", "cell 5": "the kernel died"}


def test_the_real_cause_of_a_failure_is_found_in_nbgrader_s_log():
    log = ("[AutogradeApp | ERROR] There was an error processing assignment: x\n"
           "Traceback (most recent call last):\n"
           "nbgrader.converters.base.NbGraderException: No assignment with ID 'x' exists\n")
    outcome = worker.Outcome("x", "s", {}, None, False, log, 0.0,
                             "NbGraderException: Please see the the above traceback for details")
    assert coordinator.failure_cause(outcome) == "NbGraderException: No assignment with ID 'x' exists"
    bare = worker.Outcome("x", "s", {}, None, False, "", 0.0, "something odd\nlast words")
    assert coordinator.failure_cause(bare) == "last words"


def test_the_skip_digest_changes_with_everything_a_grade_depends_on():
    files = {"a.ipynb": b"{}"}
    base = coordinator.digest(files, worker.Limits(), None, "assignment-1")
    assert base == coordinator.digest(dict(files), worker.Limits(), None, "assignment-1")
    for changed in (coordinator.digest({"a.ipynb": b"{ }"}, worker.Limits(), None, "assignment-1"),
                    coordinator.digest({"b.ipynb": b"{}"}, worker.Limits(), None, "assignment-1"),
                    coordinator.digest(files, worker.Limits(budget=10), None, "assignment-1"),
                    coordinator.digest(files, worker.Limits(), 3600.0, "assignment-1"),
                    coordinator.digest(files, worker.Limits(), None, "assignment-2")):
        assert changed != base
