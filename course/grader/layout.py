"""A course directory: its folders and its gradebook as nbgrader's ``CourseDirectory`` says,
loaded from the course's ``nbgrader_config.py``.

An instructor may rename ``submitted/`` or ``autograded/``, change the directory structure or
point the gradebook at a database server; nbgrader follows the config, and so must the grading
command, its workers and the instructor's tools. Every course path is built through ``Course``.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from traitlets.config import Config

CONFIG_NAME = "nbgrader_config.py"
STATE = "grading"              # `course grade`'s working folder in the course root


class NbgraderFailed(RuntimeError):
    """An nbgrader command failed in a way that leaves nothing to report."""


def load_config(root: Path) -> Config:
    """The course's nbgrader configuration, as ``nbgrader`` run in ``root`` would load it."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()


class Course:
    """The course at ``root``: the folders and gradebook its config sets, and nbgrader run there."""

    def __init__(self, root: Path, config: Config | None = None):
        from nbgrader.coursedir import CourseDirectory

        self.root = Path(root).resolve()
        self.config = config if config is not None else load_config(self.root)
        self.coursedir = CourseDirectory(config=self.config)
        self.coursedir.root = str(self.root)
        self.state = self.root / STATE

    @property
    def config_text(self) -> str:
        return (self.root / CONFIG_NAME).read_text()

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

    def feedback(self, student: str, assignment: str) -> Path:
        return self._path(self.coursedir.feedback_directory, student, assignment)

    def submissions(self, assignments: list[str] | None = None, students: list[str] | None = None
                    ) -> list[tuple[str, str]]:
        """(assignment, student) of every submission folder, as nbgrader autograde finds them,
        optionally only those of the given assignments and students."""
        step = self.coursedir.submitted_directory
        pattern = self._path(step, "*", "*").relative_to(self.root)
        parse = re.compile(self.coursedir.format_path(
            step, "(?P<student_id>[^/]+)", "(?P<assignment_id>[^/]+)", escape=True) + "$")
        found = []
        for folder in self.root.glob(str(pattern)):
            match = parse.match(str(folder))
            if folder.is_dir() and match:
                found.append((match["assignment_id"], match["student_id"]))
        return sorted((a, s) for a, s in found
                      if (not assignments or a in assignments) and (not students or s in students))

    def support_files(self, assignment: str) -> dict[str, bytes]:
        """The files of the assignment's source folder that are not notebooks (data, modules)."""
        source = self.source(assignment)
        return {p.relative_to(source).as_posix(): p.read_bytes() for p in sorted(source.rglob("*"))
                if p.is_file() and p.suffix != ".ipynb" and ".ipynb_checkpoints" not in p.parts}

    def nbgrader(self, *args: str, check: bool = True, log: Path | None = None
                 ) -> subprocess.CompletedProcess:
        """Run ``nbgrader ARGS`` here with this Python's nbgrader, as an instructor would type it."""
        # nbgrader runs `alembic` from PATH: put this environment's scripts first.
        env = {**os.environ,
               "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
        result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.root, env=env,
                                capture_output=True, text=True)
        if log is not None:
            with log.open("a") as handle:
                handle.write(f"$ nbgrader {' '.join(args)}\n{result.stdout}{result.stderr}\n")
        if check and result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
            raise NbgraderFailed(f"nbgrader {' '.join(args)} failed (exit {result.returncode}):\n{tail}")
        return result
