"""Grade a whole class: ``course grade [COURSE_DIR] [--assignment A] [--workers N]``.

Upstream ``nbgrader autograde`` grades one submission after another in one process; one bad
submission can stop the batch, a runaway one can stall it, and nothing shows progress. Here:

1. every submission is checked and, where safe, repaired into ``grading/staged/``
   (``course.repair``); the student's own files are left as they were;
2. workers execute the submissions side by side (``course.worker``; a Dask cluster: local
   processes by default, or an existing scheduler for many machines), each kernel with its own
   time budget and memory limit (``course.execute``);
3. as each result arrives, this process alone writes it to the course's gradebook with nbgrader's
   own autograde (outputs replayed instead of executing again), so the gradebook ends exactly as a
   sequential run would leave it, whatever the number of workers or the order of completion;
4. a report lists every student's score, the cells that lost points and why.

A submission whose files have not changed since it was last imported is skipped (``--force``
regrades), so re-running is idempotent and an interrupted run resumes where it stopped.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from . import execute, integrity, repair, sandbox, worker

STATE = "grading"              # working folder in the course root (nbgrader skips hidden ones)
REPORT = "report.json"
# After the worker's execution, the course's own gradebook is written by these (nbgrader's
# autograde list with Execute replaced by the worker's outputs).
IMPORT_PREPROCESSORS = [
    "course.execute.ReplayExecution",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
# Error names in executed outputs, and what they mean for the report.
REASONS = {
    execute.KERNEL_DIED: "the kernel died",
    execute.KERNEL_RESTARTED: "the kernel stopped answering and was restarted",
    execute.BUDGET_USED_UP: "not run: time budget used up",
    "CellTimeoutError": "timed out",
    "MemoryError": "ran out of memory",
    "_ArrayMemoryError": "ran out of memory",
    integrity.TAMPERED: "replaced library functions",
}


@dataclass
class Line:
    """One submission's row in the report."""

    assignment: str
    student: str
    score: float = 0.0
    max_score: float = 0.0
    failed_cells: dict[str, str] = field(default_factory=dict)    # grade id -> why
    notes: list[str] = field(default_factory=list)                # repairs, limits, errors
    seconds: float = 0.0
    status: str = "graded"          # graded | skipped (unchanged) | error


class Course:
    """A course directory as the grading command sees it."""

    def __init__(self, root: Path):
        from traitlets.config.loader import PyFileConfigLoader

        self.root = root.resolve()
        self.config_text = (self.root / worker.CONFIG_NAME).read_text()
        self.config = PyFileConfigLoader(worker.CONFIG_NAME, path=str(self.root)).load_config()
        self.db_url = self.config.CourseDirectory.db_url
        self.course_id = self.config.CourseDirectory.course_id
        self.state = self.root / STATE

    def submissions(self, assignments: list[str] | None, students: list[str] | None
                    ) -> list[tuple[str, str]]:
        found = []
        for folder in sorted((self.root / "submitted").glob("*/*")):
            student, assignment = folder.parent.name, folder.name
            if folder.is_dir() and (not assignments or assignment in assignments) and (
                    not students or student in students):
                found.append((assignment, student))
        return sorted(found)

    def support_files(self, assignment: str) -> dict[str, bytes]:
        source = self.root / "source" / assignment
        return {p.relative_to(source).as_posix(): p.read_bytes() for p in sorted(source.rglob("*"))
                if p.is_file() and p.suffix != ".ipynb" and ".ipynb_checkpoints" not in p.parts}

    def import_api(self, results: Path):
        """nbgrader's API on this course, set to replay worker results from ``results``."""
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = self.config.copy()
        config.CourseDirectory.submitted_directory = f"{STATE}/staged"
        config.Autograde.autograde_preprocessors = IMPORT_PREPROCESSORS
        config.ReplayExecution.results_dir = str(results)
        return NbGraderAPI(CourseDirectory(config=config), config=config)


def digest(files: dict[str, bytes], limits: worker.Limits) -> str:
    h = hashlib.sha256(json.dumps(asdict(limits), sort_keys=True).encode())
    for name in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


def reasons_in(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """Cell (grade id, or position) -> why it failed, for every cell whose outputs show an error."""
    found = {}
    for index, cell in enumerate(notebook.cells):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {index}"
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            name = errors[-1].get("ename", "")
            found[grade_id] = REASONS.get(name, name)
    return found


def score_line(course: Course, line: Line, executed: dict[str, nbformat.NotebookNode]) -> None:
    """Fill ``line`` from the gradebook (the grades that count) and the executed notebooks."""
    why = {}
    for notebook in executed.values():
        why.update(reasons_in(notebook))
    with Gradebook(course.db_url, course.course_id) as gradebook:
        try:
            submission = gradebook.find_submission(line.assignment, line.student)
        except MissingEntry:
            line.status = "error"
            return
        line.score, line.max_score = float(submission.score), float(submission.max_score)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if float(grade.score or 0) < float(grade.max_score):
                    line.failed_cells[grade.name] = why.get(grade.name, "wrong answer")
    for reason in dict.fromkeys(REASONS.values()):
        cells = [cell for cell, why_cell in why.items() if why_cell == reason]
        if cells:
            line.notes.append(f"{reason}: {', '.join(cells)}")


class SandboxUnavailable(RuntimeError):
    """The grading machines cannot confine student code and the instructor has not accepted it."""


def choose_sandbox(client, limits: worker.Limits, unsandboxed: bool, say) -> worker.Limits:
    """Check every worker machine: sandbox, refuse, or (explicitly accepted) run unsandboxed."""
    if unsandboxed or limits.sandbox == "none":
        print("WARNING: student code runs UNSANDBOXED, as accepted with --unsandboxed: it can "
              "read and change anything the grader can (the gradebook, source/, other "
              "students' work). Only memory and CPU limits apply.", file=sys.stderr, flush=True)
        return replace(limits, sandbox="none")
    problems = sorted({p for found in client.run(sandbox.check).values() for p in found})
    if problems:
        listing = "\n".join(f"  - {p}" for p in problems)
        raise SandboxUnavailable(
            "Refusing to grade: student code cannot be sandboxed on the grading machine(s):\n"
            f"{listing}\nFix this (see the README's threat model), or pass --unsandboxed to "
            "accept running student code with the grader's rights.")
    say("Sandbox: bubblewrap namespaces, a user and a process cap per kernel, rlimits.")
    return limits


class Interrupt:
    """Ctrl-C stops dispatching, never the write of one submission's grades half-way."""

    def __init__(self):
        self.requested = False

    def __enter__(self):
        self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, *_):
        if self.requested:          # a second Ctrl-C: stop now (the gradebook is still valid)
            raise KeyboardInterrupt
        self.requested = True
        print("\nInterrupted: finishing the submission being saved; run again to resume.",
              file=sys.stderr, flush=True)

    def __exit__(self, *exc):
        signal.signal(signal.SIGINT, self.previous)


def start_cluster(workers: int, scheduler: str | None):
    """A Dask client: an existing scheduler when given, else local worker processes."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, memory_limit=0, silence_logs=40)
    return Client(cluster), cluster


def grade_class(root: Path, assignments: list[str] | None = None,
                students: list[str] | None = None, workers: int | None = None,
                scheduler: str | None = None, limits: worker.Limits = worker.Limits(),
                force: bool = False, quiet: bool = False, unsandboxed: bool = False
                ) -> list[Line]:
    """Grade every chosen submission of the course at ``root``; return the report lines."""
    worker.ensure_tools_on_path()
    course = Course(root)
    workers = workers or os.cpu_count() or 1
    staged, results, done = (course.state / "staged", course.state / "results",
                             course.state / "done")
    started = time.monotonic()
    course.state.mkdir(exist_ok=True)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))

    # 1. check, repair and stage; skip what is unchanged since its last import
    lines: dict[tuple[str, str], Line] = {}
    jobs: list[worker.Job] = []
    templates: dict[str, bytes] = {}
    for assignment, student in course.submissions(assignments, students):
        line = lines[(assignment, student)] = Line(assignment, student)
        fixed = repair.repair_submission(course.root / "submitted" / student / assignment,
                                         course.root / "release" / assignment)
        line.notes.extend(fixed.notes)
        key = digest(fixed.files, limits)
        record = done / assignment / f"{student}.json"
        if not force and record.exists() and json.loads(record.read_text())["digest"] == key:
            line.status = "skipped"
            continue
        if not any(name.endswith(".ipynb") and "/" not in name for name in fixed.files):
            score_missing(course, line)
            continue
        if assignment not in templates:
            templates[assignment] = worker.assignment_gradebook(
                course.db_url, course.course_id, assignment, course.state)
        target = staged / student / assignment
        shutil.rmtree(target, ignore_errors=True)
        worker._write(target, fixed.files)
        jobs.append(worker.Job(assignment, student, fixed.files, course.support_files(assignment),
                               course.config_text, templates[assignment], limits, key))
    skipped = sum(line.status == "skipped" for line in lines.values())
    say(f"Grading {len(jobs)} submission(s) on {scheduler or f'{workers} local worker(s)'}; "
        f"{skipped} unchanged since the last run.")

    # 2 + 3. execute in parallel, import one by one as results arrive
    apis = {}
    if jobs:
        from dask.distributed import as_completed

        client, cluster = start_cluster(workers, scheduler)
        try:
            limits = choose_sandbox(client, limits, unsandboxed, say)
            jobs = [replace(job, limits=limits) for job in jobs]
            with Interrupt() as interrupt:
                futures = {client.submit(worker.grade, job, key=f"grade-{job.assignment}-"
                                         f"{job.student}-{job.digest[:12]}",
                                         pure=False): job for job in jobs}
                for count, future in enumerate(as_completed(futures), 1):
                    job = futures[future]
                    line = lines[job.key]
                    try:
                        outcome = future.result()
                    except Exception as err:          # the worker itself failed (not the student)
                        outcome = worker.Outcome(job.assignment, job.student, {}, False, "", 0.0,
                                                 f"{type(err).__name__}: {err}")
                    if job.assignment not in apis:
                        apis[job.assignment] = course.import_api(results)
                    import_outcome(course, apis[job.assignment], outcome, line, results)
                    record = done / job.assignment / f"{job.student}.json"
                    record.parent.mkdir(parents=True, exist_ok=True)
                    if line.status == "graded":
                        record.write_text(json.dumps({"digest": job.digest,
                                                      "line": asdict(line)}))
                    say(progress(count, len(jobs), line, started))
                    if interrupt.requested:
                        for pending in futures:
                            pending.cancel()
                        break
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    for line in lines.values():
        if line.status == "skipped":
            previous = json.loads((done / line.assignment / f"{line.student}.json").read_text())
            line.__dict__.update({**previous["line"], "status": "skipped"})
    report = sorted(lines.values(), key=lambda l: (l.assignment, l.student))
    (course.state / REPORT).write_text(json.dumps(
        {"seconds": round(time.monotonic() - started, 1), "workers": workers,
         "submissions": [asdict(l) for l in report]}, indent=1))
    return report


def import_outcome(course: Course, api, outcome: worker.Outcome, line: Line, results: Path) -> None:
    """Write one worker result into the course's gradebook through nbgrader's autograde."""
    line.seconds = round(outcome.seconds, 1)
    folder = results / outcome.student / outcome.assignment
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, data in outcome.notebooks.items():
        (folder / name).write_bytes(data)
    if not outcome.notebooks and not outcome.ok:
        line.status = "error"
        line.notes.append(f"could not be executed: {outcome.error.strip().splitlines()[-1:]}")
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        result = api.autograde(outcome.assignment, outcome.student, force=True, create=True)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    if not result.get("success"):
        line.status = "error"
        line.notes.append("nbgrader could not save the grades: "
                          + (result.get("error") or "").strip().splitlines()[-1:][0]
                          if result.get("error") else "nbgrader could not save the grades")
    executed = {n: nbformat.reads(d.decode(), as_version=4) for n, d in outcome.notebooks.items()}
    score_line(course, line, executed)


def score_missing(course: Course, line: Line) -> None:
    """No notebook can be graded: zero for every cell, as nbgrader scores a missing notebook."""
    with Gradebook(course.db_url, course.course_id) as gradebook:
        gradebook.update_or_create_student(line.student)
        submission = gradebook.update_or_create_submission(line.assignment, line.student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
        gradebook.db.commit()
    score_line(course, line, {})


def progress(count: int, total: int, line: Line, started: float) -> str:
    elapsed = time.monotonic() - started
    eta = elapsed / count * (total - count)
    mark = {"graded": "", "error": "  ERROR", "skipped": ""}[line.status]
    return (f"[{count:>{len(str(total))}}/{total}] {line.assignment} {line.student}: "
            f"{line.score:g}/{line.max_score:g} in {line.seconds:.1f} s{mark}"
            f"  (elapsed {elapsed:.0f} s, about {eta:.0f} s left)")


def summary(report: list[Line]) -> str:
    """The report as a table an instructor reads at the end of a run."""
    rows = []
    for line in report:
        failed = ", ".join(f"{k} ({v})" for k, v in line.failed_cells.items()) or "-"
        rows.append(f"{line.assignment:<36} {line.student:<28} {line.score:>5g}/{line.max_score:<4g}"
                    f" {line.status:<8} {failed}")
        rows.extend(f"{'':<36} note: {note}" for note in line.notes)
    graded = [l for l in report if l.status != "error"]
    rows.append(f"{len(report)} submission(s): {len(graded)} graded, "
                f"{len(report) - len(graded)} with errors.")
    return "\n".join(rows)
