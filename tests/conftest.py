"""Shared fixtures: a whole simulated class graded once per assignment by real nbgrader."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from course import classroom, paths, pipeline
from course.classroom import Student


@dataclass
class GradedClass:
    course: pipeline.CourseDir
    assignment: str
    release_dir: Path
    students: list[Student]
    scores: dict[str, list[pipeline.CellScore]]

    def score(self, student: str, grade_id: str) -> pipeline.CellScore:
        matches = [c for c in self.scores.get(student, []) if c.grade_id == grade_id]
        assert matches, f"{student} has no grade for {grade_id!r}: was the submission graded?"
        return matches[0]


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):
    """``graded_class(assignment)``: the perfect student, the blank release and one student per
    catalog mistake, graded in one ``nbgrader autograde`` run (much faster than one run each),
    with feedback generated."""
    cache: dict[str, GradedClass] = {}

    def grade(assignment: str) -> GradedClass:
        if assignment not in cache:
            course = pipeline.make_course(tmp_path_factory.mktemp(assignment), [assignment])
            release_dir = pipeline.generate_release(course, assignment)
            students = [classroom.perfect(), classroom.blank(), *classroom.one_per_mistake(assignment)]
            for student in students:
                pipeline.submit(course, student.id, assignment, classroom.submission(
                    student, release_dir, classroom.source_dir(assignment)))
            log = course.root / "nbgrader.log"
            pipeline.autograde(course, assignment, log=log)
            pipeline.generate_feedback(course, assignment, log=log)
            cache[assignment] = GradedClass(course, assignment, release_dir, students,
                                            pipeline.cell_scores(course, assignment))
        return cache[assignment]

    return grade


def pytest_report_header(config):
    return f"course assignments: {', '.join(paths.assignments()) or '(none)'}"
