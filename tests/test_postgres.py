"""A PostgreSQL gradebook shared by graders: ``course grade`` and plain nbgrader on one server.

CI starts a real server on loopback (``.ci/postgres``) and sets ``MDL_TEST_POSTGRES_URL``; there,
``MDL_REQUIRE_POSTGRES=1`` turns a missing server into a failure instead of a skip.
"""
from __future__ import annotations

import csv
import os
import uuid

import pytest

from course.tools import classroom, pipeline
from tests.support import hostile
from tests.support.classes import course_grade, course_with

pytestmark = pytest.mark.slow

URL = os.environ.get("MDL_TEST_POSTGRES_URL")
ASSIGNMENT = hostile.ASSIGNMENT


@pytest.fixture
def database():
    if not URL:
        if os.environ.get("MDL_REQUIRE_POSTGRES"):
            pytest.fail("MDL_REQUIRE_POSTGRES is set but MDL_TEST_POSTGRES_URL is not")
        pytest.skip("no PostgreSQL server: eval \"$(bash .ci/postgres)\" starts one")
    import psycopg

    server = URL.replace("postgresql+psycopg://", "postgresql://")
    name = f"mdl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_course_grade_writes_to_a_postgresql_gradebook(database, tmp_path):
    mistake = classroom.one_per_mistake(ASSIGNMENT)[0]
    crash = next(e for e in hostile.CATALOG if e.id == "os-exit")
    course = course_with(tmp_path / "course", (classroom.perfect(), classroom.blank(), mistake),
                         [crash], gradebook_url=database)
    assert not (course.root / "gradebook.db").exists()

    run = course_grade(course, "--workers", "2", "--budget", "60")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert not (course.root / "gradebook.db").exists(), "grades went to SQLite, not PostgreSQL"

    scores = pipeline.cell_scores(course, ASSIGNMENT)
    total = {student: sum(c.score for c in cells) for student, cells in scores.items()}
    assert total["perfect"] == sum(c.max_score for c in scores["perfect"]) > 0
    assert total["blank"] == 0
    assert f"test_{mistake.mistakes[0].cell}" in {c.grade_id for c in scores[mistake.id] if c.score < c.max_score}
    assert {c.grade_id for c in scores[crash.student] if c.score < c.max_score} == set(crash.lose)

    # Another grader reads the same gradebook with plain nbgrader.
    exported = pipeline.export_grades(course, tmp_path / "grades.csv")
    rows = {row["student_id"]: float(row["score"]) for row in csv.DictReader(exported.open())}
    assert rows == total
