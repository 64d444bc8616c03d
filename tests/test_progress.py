"""`python -m course progress`: a student's test cells, run afresh, summed by exam item."""
from __future__ import annotations

import json

import nbformat
import pytest

from course import progress
from course.tools import paths, student_export


def _cell(source: str, grade_id: str | None = None, saved_ok: bool = False):
    cell = nbformat.v4.new_code_cell(source)
    if grade_id:
        cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True,
                                     "points": 1, "schema_version": 3, "solution": False, "task": False}
    if saved_ok:                         # a stale output saying it passed
        cell.execution_count = 7
        cell.outputs = [nbformat.v4.new_output("stream", text="✔ 1 visible check passed.")]
    return cell


@pytest.mark.slow
def test_a_run_records_each_test_cell_afresh(tmp_path):
    folder = tmp_path / "release" / "99-toy"
    folder.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[
        _cell("x = 1"),
        _cell("assert x == 1", "test_passes"),
        _cell("assert x == 2, 'x is not 2'", "test_fails", saved_ok=True),
        _cell("import time\ntime.sleep(30)", "test_hangs"),
        _cell("assert True", "test_after_the_hang")])
    nbformat.write(notebook, folder / "toy.ipynb")
    before = (folder / "toy.ipynb").read_bytes()
    assert progress.run(folder, timeout=3) == {"test_passes": "passed", "test_fails": "failed",
                                               "test_hangs": "failed", "test_after_the_hang": "not run"}
    assert (folder / "toy.ipynb").read_bytes() == before, "the student's notebook is never touched"


def test_the_report_sums_checks_and_questions_by_item(tmp_path):
    exam_map = {"12-x": {"test_a": {"C01": ["T3.K1"], "C02": ["C2-2.3.6"], "question": False},
                         "test_b": {"C01": ["T3.K1", "T3.S1"], "C02": ["C2-2.3.6"], "question": False},
                         "test_q1_c": {"C01": ["T3.S1"], "C02": [], "question": True}}}
    results = {"12-x": {"test_a": "passed", "test_b": "failed", "test_q1_c": "passed", "unmapped": "passed"}}
    table = progress.by_item(results, exam_map, "C01")
    assert table["T3.K1"] == {"checks": 2, "checks passed": 1, "questions": 0, "questions answered": 0}
    assert table["T3.S1"] == {"checks": 1, "checks passed": 0, "questions": 1, "questions answered": 1}
    assert progress.by_item(results, exam_map, "C02")["C2-2.3.6"]["checks passed"] == 1
    text = progress.report(results, exam_map, "C01")
    assert "12-x" in text and "answered, not as right" in text
    assert progress.plot(results, exam_map, "C02", tmp_path / "p.png").stat().st_size > 1000


def test_the_map_names_every_test_cell_with_its_items():
    exam_map = student_export.progress_map()
    assert sorted(exam_map) == paths.assignments()
    twelve = exam_map["12-classification-metrics"]
    assert twelve["test_specificity"] == {"C01": ["T3.K1"], "C02": ["C2-2.3.6"], "question": False}
    assert twelve["test_q1_medical_screening"]["question"] is True
    mock = exam_map["21-mock-exam-mla-c01"]
    assert len(mock) == 17 and all(entry["question"] and entry["C01"] for entry in mock.values())
    json.dumps(exam_map)


def test_a_missing_folder_gets_a_clear_message(tmp_path, capsys):
    args = type("Args", (), {"folder": tmp_path / "nowhere", "assignments": [], "exam": "C01",
                             "plot": tmp_path / "p.png", "timeout": 5})()
    assert progress.progress(args, {"12-x": {}}) == 2
    assert "No assignment notebooks to read" in capsys.readouterr().out
