"""Shared fixtures: a whole simulated class graded once per assignment by real nbgrader."""
from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from course import classroom, paths, pipeline
from course.classroom import Student


# Students are split over this many course directories graded side by side (one nbgrader
# process each), so the suite uses every core; each directory is one ordinary autograde run.
SHARDS = max(1, min(2, os.cpu_count() or 1))


@dataclass
class GradedClass:
    courses: list[pipeline.CourseDir]   # courses[0] holds the perfect and the blank student
    assignment: str
    release_dir: Path
    students: list[Student]
    scores: dict[str, list[pipeline.CellScore]]

    @property
    def course(self) -> pipeline.CourseDir:
        return self.courses[0]

    def feedback_pages(self) -> list[Path]:
        return sorted(p for c in self.courses for p in (c.root / "feedback").rglob("*.html"))

    def score(self, student: str, grade_id: str) -> pipeline.CellScore:
        matches = [c for c in self.scores.get(student, []) if c.grade_id == grade_id]
        assert matches, f"{student} has no grade for {grade_id!r}: was the submission graded?"
        return matches[0]


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):
    """``graded_class(assignment)``: the perfect student, the blank release and one student per
    catalog mistake, graded with real ``nbgrader autograde`` (all students of a shard in one run:
    much faster than one run each), with feedback generated."""
    cache: dict[str, GradedClass] = {}

    def grade(assignment: str) -> GradedClass:
        if assignment not in cache:
            first = pipeline.make_course(tmp_path_factory.mktemp(assignment) / "shard-0", [assignment])
            release_dir = pipeline.generate_release(first, assignment)
            courses = [first]
            for number in range(1, SHARDS):      # same release and gradebook, other students
                root = first.root.parent / f"shard-{number}"
                shutil.copytree(first.root, root)
                courses.append(pipeline.CourseDir(root))
            students = [classroom.perfect(), classroom.blank(), *classroom.one_per_mistake(assignment)]
            for index, student in enumerate(students):
                shard = 0 if index < 2 else (index - 1) % SHARDS   # perfect and blank in shard 0
                pipeline.submit(courses[shard], student.id, assignment, classroom.submission(
                    student, release_dir, paths.SOURCE / assignment))

            def run(course: pipeline.CourseDir) -> dict[str, list[pipeline.CellScore]]:
                log = course.root / "nbgrader.log"
                pipeline.autograde(course, assignment, log=log)
                pipeline.generate_feedback(course, assignment, log=log)
                return pipeline.cell_scores(course, assignment)

            with ThreadPoolExecutor(SHARDS) as pool:
                scores = {k: v for part in pool.map(run, courses) for k, v in part.items()}
            cache[assignment] = GradedClass(courses, assignment, release_dir, students, scores)
        return cache[assignment]

    return grade


def pytest_report_header(config):
    return f"course assignments: {', '.join(paths.assignments()) or '(none)'}"
