"""Execute one submission, anywhere: the task a grading worker runs.

A worker gets everything it needs in one picklable ``Job`` (the submission's files, the course's
``nbgrader_config.py``, and a small SQLite gradebook holding only the assignment's cells) and
sends back an ``Outcome``: the autograded folder and the grades nbgrader saved. It shares no files
and no database with the course, so the same function runs in a local process pool or on a Dask
cluster of many machines; only the coordinator writes to the real gradebook (``course.grader.coordinator``).

Inside, the worker runs nbgrader's own ``autograde`` in a throw-away course directory, with
nbgrader's preprocessors in nbgrader's order, ``Execute`` replaced by
``course.grader.execute.BudgetedExecute``, whose kernels come warm from this worker's fork server
(``course.grader.forkserver``).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .. import checks
from . import forkserver, gradebook
from .layout import CONFIG_NAME, Course, load_config

EXECUTE_NAMES = {"nbgrader.preprocessors.Execute", "nbgrader.preprocessors.execute.Execute"}
BUDGETED_EXECUTE = "course.grader.execute.BudgetedExecute"
SCORE_BY_COMPLETION = "course.grader.scoring.ScoreByCompletion"


@dataclass(frozen=True)
class Limits:
    """Per-notebook limits for student code."""

    budget: float = 300.0          # wall seconds for a whole notebook
    cell_timeout: int | None = None  # seconds for one cell (None: Execute.timeout of the config)
    memory_mb: int = 2048          # kernel address space
    sandbox: str = "bwrap"         # course.grader.sandbox mode: "bwrap", or "none" (limits only)
    max_processes: int = 64        # processes and threads of one kernel (root graders only)
    disk_mb: int = 256             # working folder and /tmp of one kernel, each (sandbox only)
    max_files: int = 10_000        # files and folders in each of them (sandbox only)
    cpus: float = 1.0              # cores one kernel and its processes share (sandbox only)


@dataclass
class Job:
    assignment: str
    student: str
    files: dict[str, bytes]          # the (repaired) submission, by path relative to its folder
    support: dict[str, bytes]        # non-notebook files of source/<assignment>
    config: str                      # text of the course's nbgrader_config.py
    gradebook: bytes                 # SQLite gradebook with this assignment's cells only
    limits: Limits = field(default_factory=Limits)
    digest: str = ""                 # identifies files + limits, to skip unchanged work
    extension: float | None = None   # seconds of extension granted to the student
    seed: int | None = None          # hidden-test seed (course.checks.hidden_seed); None: fixed
    submission: str = ""             # digest of the submission's files alone

    @property
    def key(self) -> tuple[str, str]:
        return self.assignment, self.student


@dataclass
class Outcome:
    assignment: str
    student: str
    files: dict[str, bytes]          # the autograded folder (executed notebooks, timestamp)
    grades: dict | None              # what nbgrader saved: gradebook.saved_grades()
    ok: bool
    log: str
    seconds: float
    error: str = ""


def ensure_tools_on_path() -> None:
    """nbgrader runs ``alembic`` from PATH when it creates a gradebook: use this environment's.
    (Also silences SQLAlchemy's warnings about nbgrader's own session use, harmless and loud.)"""
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([scripts, os.environ.get("PATH", "")])


def worker_preprocessors(config) -> list:
    """The autograde preprocessors of the course's config, nbgrader's own when it sets none,
    with nbgrader's Execute replaced by the budgeted, sandboxed one; the scoring rule of
    ``course.grader.scoring`` is added before SaveAutoGrades if the config lacks it."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    configured = config.Autograde.get("autograde_preprocessors") or \
        Autograde.class_traits()["autograde_preprocessors"].default()
    names = [step if isinstance(step, str) else f"{step.__module__}.{step.__name__}"
             for step in configured]
    chosen = [BUDGETED_EXECUTE if step is Execute or name in EXECUTE_NAMES else step
              for step, name in zip(configured, names)]
    if SCORE_BY_COMPLETION not in names:
        save = next((i for i, n in enumerate(names) if n.endswith("SaveAutoGrades")), len(names))
        chosen.insert(save, SCORE_BY_COMPLETION)
    return chosen


def collect_files(folder: Path, max_bytes: int | None = None,
                  left_out: list[str] | None = None) -> dict[str, bytes]:
    """The regular files under ``folder``, by relative path; links and special files are left,
    and so are files larger than ``max_bytes`` (their names go to ``left_out``)."""
    found = {}
    for base, _, names in os.walk(folder):
        for name in names:
            path = Path(base) / name
            if not path.is_file() or path.is_symlink():
                continue
            relative = path.relative_to(folder).as_posix()
            if max_bytes is not None and path.stat().st_size > max_bytes:
                if left_out is not None:
                    left_out.append(relative)
                continue
            found[relative] = path.read_bytes()
    return dict(sorted(found.items()))


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        target = (folder / name).resolve()
        if folder.resolve() not in target.parents:
            raise ValueError(f"refusing to write outside the job folder: {name!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def grade(job: Job) -> Outcome:
    """Run nbgrader's autograde on ``job`` in a throw-away course directory."""
    from nbgrader.apps import NbGraderAPI

    ensure_tools_on_path()
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="mdl-job-"))
    kernel_dir = root.parent / (root.name + "-kernel")
    try:
        (root / CONFIG_NAME).write_text(job.config)
        (root / "gradebook.db").write_bytes(job.gradebook)
        config = load_config(root)
        config.CourseDirectory.root = str(root)
        config.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
        paths = Course(root, config)          # the course's folder names, in the job's root
        write_files(paths.submitted(job.student, job.assignment), job.files)
        write_files(paths.source(job.assignment), job.support)
        if job.extension:           # nbgrader's late-penalty step reads it from the gradebook
            gradebook.grant_extension(config.CourseDirectory.db_url,
                                      config.CourseDirectory.course_id, job.assignment,
                                      job.student, job.extension)
        config.Autograde.autograde_preprocessors = worker_preprocessors(config)
        if job.limits.cell_timeout:
            config.Execute.timeout = job.limits.cell_timeout
        config.BudgetedExecute.budget = job.limits.budget
        config.LimitedKernelManager.memory_mb = job.limits.memory_mb
        config.LimitedKernelManager.cpu_seconds = int(job.limits.budget) + 30
        config.LimitedKernelManager.sandbox = job.limits.sandbox
        config.LimitedKernelManager.max_processes = job.limits.max_processes
        config.LimitedKernelManager.disk_mb = job.limits.disk_mb
        config.LimitedKernelManager.max_files = job.limits.max_files
        config.LimitedKernelManager.cpus = job.limits.cpus
        config.LimitedKernelManager.forkserver = forkserver.ensure_server()
        # The kernel's private folder, outside the course tree it is graded in. With bwrap the
        # kernel has no network, so it talks to the grader over Unix sockets in there.
        kernel_dir.mkdir()
        config.BudgetedExecute.workdir = str(kernel_dir / "work")
        config.LimitedKernelManager.scratch = str(kernel_dir)
        config.LimitedKernelManager.connection_file = str(kernel_dir / "kernel.json")
        if job.limits.sandbox == "bwrap":
            config.LimitedKernelManager.transport = "ipc"
            config.LimitedKernelManager.ip = str(kernel_dir / "ipc")
        api = NbGraderAPI(paths.coursedir, config=config)
        # the kernel's environment comes from this process's (the sandbox keeps this variable)
        with setenv(checks.SEED_VARIABLE, None if job.seed is None else str(job.seed)):
            result = api.autograde(job.assignment, job.student, force=True, create=True)
        files = collect_files(paths.autograded(job.student, job.assignment))
        ok = bool(result.get("success"))
        grades = gradebook.saved_grades(config.CourseDirectory.db_url, job.assignment,
                                        job.student) if ok else None
        return Outcome(job.assignment, job.student, files, grades, ok, result.get("log", ""),
                       time.monotonic() - started, result.get("error", "") or "")
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(kernel_dir, ignore_errors=True)


@contextmanager
def setenv(name: str, value: str | None):
    """``name`` set to ``value`` (or unset) in this process's environment for a while."""
    before = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


