"""Every read and write of a gradebook, through nbgrader's own ``Gradebook`` API.

The course's gradebook may be SQLite or any SQLAlchemy URL (PostgreSQL for several graders);
workers get a private SQLite copy holding one assignment's cells (``template``) and hand back
what nbgrader saved there (``saved_grades``), which the coordinator alone writes into the course's
gradebook (``save_grades``), one transaction per submission.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Base, Gradebook, MissingEntry
from sqlalchemy import create_engine, text

__all__ = ["MissingEntry", "CellScore", "assignment_fingerprint", "extensions", "template",
           "grant_extension", "saved_grades", "save_grades", "zero_grades", "submission_scores",
           "cell_scores"]


@dataclass(frozen=True)
class CellScore:
    notebook: str
    grade_id: str
    score: float
    max_score: float


def assignment_fingerprint(db_url: str, course_id: str, assignment: str) -> str:
    """Identifies the assignment as the gradebook holds it: its cells (test code, hidden tests
    included, and points) and due date. Regenerating it after fixing a test changes this."""
    with Gradebook(db_url, course_id) as gradebook:
        found = gradebook.find_assignment(assignment)
        cells = sorted([notebook.name,
                        sorted([c.name, c.max_score, c.cell_type] for c in notebook.grade_cells),
                        sorted([c.name, c.cell_type, c.locked, c.checksum, c.source]
                               for c in notebook.source_cells)]
                       for notebook in found.notebooks)
        due = str(found.duedate)
    return hashlib.sha256(json.dumps([cells, due]).encode()).hexdigest()


def extensions(db_url: str, course_id: str, assignment: str) -> dict[str, float]:
    """Student → seconds of extension the instructor granted for ``assignment``."""
    with Gradebook(db_url, course_id) as gradebook:
        try:
            submissions = gradebook.assignment_submissions(assignment)
        except MissingEntry:        # not released: grading it fails with that reason
            return {}
        return {s.student.id: s.extension.total_seconds() for s in submissions if s.extension}


def _empty(path: Path, version: str) -> None:
    """An empty SQLite gradebook at schema ``version``, made as nbgrader makes one, without the
    ``alembic`` subprocess (seconds) nbgrader starts only to learn that version."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        Base.metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version "
                                    "(version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": version})
    finally:
        engine.dispose()


def template(db_url: str, course_id: str, assignment: str, folder: Path) -> bytes:
    """A SQLite gradebook holding only ``assignment`` and its cells, copied from the course's
    gradebook: what a worker grades against."""
    path = folder / f"template-{assignment}.db"
    path.unlink(missing_ok=True)
    with Gradebook(db_url, course_id) as source:
        _empty(path, source.db.execute(text("SELECT version_num FROM alembic_version")).scalar())
        with Gradebook(f"sqlite:///{path}", course_id) as copy:
            # a throw-away file: no fsync after each of the API's many small commits
            copy.db.execute(text("PRAGMA synchronous=OFF"))
            found = source.find_assignment(assignment)
            copy.update_or_create_assignment(assignment, duedate=found.duedate)
            for notebook in found.notebooks:
                copy.update_or_create_notebook(notebook.name, assignment)
                for cell in notebook.grade_cells:
                    copy.update_or_create_grade_cell(cell.name, notebook.name, assignment,
                                                     max_score=cell.max_score,
                                                     cell_type=cell.cell_type)
                for cell in notebook.task_cells:
                    copy.update_or_create_task_cell(cell.name, notebook.name, assignment,
                                                    max_score=cell.max_score,
                                                    cell_type=cell.cell_type)
                for cell in notebook.solution_cells:
                    copy.update_or_create_solution_cell(cell.name, notebook.name, assignment)
                for cell in notebook.source_cells:
                    copy.update_or_create_source_cell(cell.name, notebook.name, assignment,
                                                      cell_type=cell.cell_type, locked=cell.locked,
                                                      source=cell.source, checksum=cell.checksum)
    return path.read_bytes()


def grant_extension(db_url: str, course_id: str, assignment: str, student: str,
                    seconds: float) -> None:
    """Record an extension, where nbgrader's late-penalty step reads it."""
    with Gradebook(db_url, course_id) as gradebook:
        gradebook.update_or_create_student(student)
        gradebook.update_or_create_submission(assignment, student)
        gradebook.grant_extension(assignment, student, minutes=seconds / 60)


def saved_grades(db_url: str, assignment: str, student: str) -> dict:
    """What nbgrader's autograde saved for one submission, as plain (picklable) data."""
    with Gradebook(db_url) as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {"timestamp": submission.timestamp, "notebooks": {
            notebook.name: {
                "late_submission_penalty": notebook.late_submission_penalty,
                "auto_scores": {g.name: g.auto_score for g in notebook.grades},
                "auto_comments": {c.name: c.auto_comment for c in notebook.comments},
            } for notebook in submission.notebooks}}


def save_grades(db_url: str, course_id: str, assignment: str, student: str, saved: dict) -> None:
    """Copy ``saved_grades`` field by field into a gradebook, in one transaction."""
    with Gradebook(db_url, course_id) as gradebook:
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(assignment, student,
                                                           timestamp=saved["timestamp"])
        for notebook in submission.notebooks:
            grades = saved["notebooks"][notebook.name]
            notebook.late_submission_penalty = grades["late_submission_penalty"]
            for grade in notebook.grades:
                grade.auto_score = grades["auto_scores"][grade.name]
                # as nbgrader's SaveAutoGrades: a manual score, or none at all, needs review
                grade.needs_manual_grade = (grade.manual_score is not None
                                            or grade.auto_score is None)
            for comment in notebook.comments:
                comment.auto_comment = grades["auto_comments"][comment.name]
        gradebook.db.commit()


def zero_grades(db_url: str, course_id: str, assignment: str, student: str) -> None:
    """Zero for every cell: how nbgrader scores a submission with no notebook to grade."""
    with Gradebook(db_url, course_id) as gradebook:
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
        gradebook.db.commit()


def submission_scores(db_url: str, course_id: str, assignment: str, student: str
                      ) -> tuple[float, float, list[CellScore]] | None:
    """(score, max score, every graded cell's score) of one submission; None if never graded."""
    with Gradebook(db_url, course_id) as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return None
        cells = [CellScore(notebook.name, grade.name, float(grade.score or 0.0),
                           float(grade.max_score))
                 for notebook in submission.notebooks for grade in notebook.grades]
        # sorted: the order rows come back in depends on the database (PostgreSQL differs)
        return (float(submission.score), float(submission.max_score),
                sorted(cells, key=lambda c: (c.notebook, c.grade_id)))


def cell_scores(db_url: str, course_id: str, assignment: str, students: list[str]
                ) -> dict[str, list[CellScore]]:
    """Per student, the score of every graded cell of ``assignment`` (empty: never graded)."""
    return {student: (found[2] if (found := submission_scores(db_url, course_id, assignment,
                                                              student)) else [])
            for student in students}
