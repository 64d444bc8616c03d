"""Small simulated classes for the tests: a scratch course of one assignment with ordinary
students (built from the catalog) and hostile ones (``tests.support.hostile``), and its report."""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from course.grader import coordinator
from course.tools import classroom, paths, pipeline
from course.tools.classroom import Student

from . import hostile


def submit_hostile(course: pipeline.Course, entry: hostile.Hostile,
                   assignment: str = hostile.ASSIGNMENT) -> None:
    """Hand in a hostile entry's files as they are (some are not even notebooks)."""
    folder = course.submitted(entry.student, assignment)
    folder.mkdir(parents=True)
    for name, data in hostile.files(entry).items():
        (folder / name).write_bytes(data)


def course_with(root: Path, students: Iterable[Student] = (),
                hostile_entries: Iterable[hostile.Hostile] = (),
                assignment: str = hostile.ASSIGNMENT, gradebook_url: str | None = None
                ) -> pipeline.Course:
    """A released scratch course of ``assignment`` with these submissions in submitted/."""
    course = pipeline.make_course(root, [assignment], gradebook_url=gradebook_url)
    release_dir = pipeline.generate_release(course, assignment)
    for student in students:
        pipeline.submit(course, student.id, assignment, classroom.submission(
            student, release_dir, paths.SOURCE / assignment))
    for entry in hostile_entries:
        submit_hostile(course, entry, assignment)
    return course


def course_grade(course: pipeline.Course, *args: str, **popen) -> subprocess.CompletedProcess:
    """``course grade`` on ``course`` as an instructor types it."""
    return subprocess.run([sys.executable, "-m", "course", "grade", str(course.root), *args],
                          capture_output=True, text=True, timeout=900, **popen)


def report(course: pipeline.Course) -> dict[str, dict]:
    """The last run's report: student -> report line."""
    data = json.loads((course.state / coordinator.REPORT).read_text())
    return {line["student"]: line for line in data["submissions"]}
