"""The main job: `course demo` releases, grades a sample class and writes feedback and grades."""
from __future__ import annotations

import csv

import pytest

from course.tools import paths
from course.tools.demo import MARKER, run

pytestmark = pytest.mark.slow


def test_demo_grades_a_sample_class(tmp_path, capsys):
    assignment = paths.assignments()[0]
    assert run([assignment], class_size=2, output=tmp_path, workdir=tmp_path / "scratch")
    out = capsys.readouterr().out
    assert "Graders behaved" in out
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "grades.csv").open())}
    assert set(rows) == {"perfect", "blank", "student-01", "student-02"}
    full = float(rows["perfect"]["max_score"])
    assert float(rows["perfect"]["score"]) == full > 0
    assert float(rows["blank"]["score"]) == 0
    for student in ("student-01", "student-02"):
        assert 0 < float(rows[student]["score"]) < full, "catalog students get partial marks"
        assert f"{student:<12} {assignment}" in out
    for student in rows:
        assert list((tmp_path / "feedback" / student / assignment).glob("*.html"))
        assert list((tmp_path / "autograded" / student / assignment).glob("*.ipynb"))


def test_demo_refuses_to_wipe_a_foreign_directory(tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("do not delete")
    with pytest.raises(SystemExit, match="not made by the demo"):
        run(output=tmp_path, workdir=precious)
    assert (precious / "thesis.tex").exists() and not (precious / MARKER).exists()


def test_demo_never_overwrites_a_real_class(tmp_path):
    """A course directory with graded students: the demo refuses to publish into it."""
    course = tmp_path / "course"
    (course / "autograded" / "alice" / "12-classification-metrics").mkdir(parents=True)
    (course / "feedback" / "alice").mkdir(parents=True)
    (course / "grades.csv").write_text("assignment,student_id,score\n")
    before = sorted(p.relative_to(course) for p in course.rglob("*"))
    with pytest.raises(SystemExit, match="did not write"):
        run(output=course, workdir=tmp_path / "scratch")
    assert sorted(p.relative_to(course) for p in course.rglob("*")) == before
    assert (course / "grades.csv").read_text() == "assignment,student_id,score\n"


def test_the_demo_writes_to_a_folder_of_its_own_by_default():
    assert paths.DEMO_OUTPUT != paths.ROOT and paths.DEMO_OUTPUT.parent == paths.ROOT
