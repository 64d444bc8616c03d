"""Where a course keeps its folders and its gradebook: as nbgrader's ``CourseDirectory`` says,
loaded from the course's ``nbgrader_config.py``.

An instructor may rename ``submitted/`` or ``autograded/``, change the directory structure or
point the gradebook at a database server; nbgrader follows the config, and so must the grading
command and its workers. Every course path outside this module is built through it.
"""
from __future__ import annotations

import re
from pathlib import Path

from traitlets.config import Config

CONFIG_NAME = "nbgrader_config.py"


def load_config(root: Path) -> Config:
    """The course's nbgrader configuration, as ``nbgrader`` run in ``root`` would load it."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()


class Layout:
    """The folders and gradebook of the course at ``root`` under ``config``."""

    def __init__(self, config: Config, root: Path):
        from nbgrader.coursedir import CourseDirectory

        self.root = Path(root).resolve()
        self.coursedir = CourseDirectory(config=config)
        self.coursedir.root = str(self.root)

    @property
    def db_url(self) -> str:
        return self.coursedir.db_url

    @property
    def course_id(self) -> str:
        return self.coursedir.course_id

    def _path(self, step: str, student: str, assignment: str) -> Path:
        return Path(self.coursedir.format_path(step, student, assignment))

    def source(self, assignment: str) -> Path:
        return self._path(self.coursedir.source_directory, ".", assignment)

    def release(self, assignment: str) -> Path:
        return self._path(self.coursedir.release_directory, ".", assignment)

    def submitted(self, student: str, assignment: str) -> Path:
        return self._path(self.coursedir.submitted_directory, student, assignment)

    def autograded(self, student: str, assignment: str) -> Path:
        return self._path(self.coursedir.autograded_directory, student, assignment)

    def submissions(self) -> list[tuple[str, str]]:
        """(assignment, student) of every submission folder, as nbgrader autograde finds them."""
        step = self.coursedir.submitted_directory
        pattern = self._path(step, "*", "*").relative_to(self.root)
        parse = re.compile(self.coursedir.format_path(
            step, "(?P<student_id>[^/]+)", "(?P<assignment_id>[^/]+)", escape=True) + "$")
        found = []
        for folder in self.root.glob(str(pattern)):
            match = parse.match(str(folder))
            if folder.is_dir() and match:
                found.append((match["assignment_id"], match["student_id"]))
        return sorted(found)
