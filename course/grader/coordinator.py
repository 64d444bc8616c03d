"""Grade a whole class: ``course grade [COURSE_DIR] [--assignment A] [--workers N]``.

Upstream ``nbgrader autograde`` grades one submission after another in one process; one bad
submission can stop the batch, a runaway one can stall it, and nothing shows progress. Here:

1. every submission is checked and, where safe, repaired (``course.grader.repair``); the
   repaired copy is what gets graded, the student's own files are left as they were;
2. workers execute the submissions side by side (``course.grader.worker``; a Dask cluster: local
   processes by default, or an existing scheduler for many machines), each kernel with its own
   time budget and memory limit (``course.grader.execute``);
3. as each result arrives, this process alone copies the grades nbgrader saved in the worker's
   private gradebook into the course's gradebook (one transaction per submission), so it ends
   exactly as a sequential run would leave it, whatever the number of workers or the order;
4. a report lists every student's score, the cells that lost points and why.

A submission whose files have not changed since it was last imported is skipped (``--force``
regrades), so re-running is idempotent and an interrupted run resumes where it stopped.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import nbformat

from . import cells, execute, gradebook, integrity, repair, sandbox, worker
from .gradebook import MissingEntry
from .layout import Course

REPORT = "report.json"
# Error names in executed outputs, and what they mean for the report.
REASONS = {
    execute.KERNEL_DIED: "the kernel died",
    execute.KERNEL_RESTARTED: "the kernel stopped answering and was restarted",
    execute.BUDGET_USED_UP: "not run: time budget used up",
    "CellTimeoutError": "timed out",
    "MemoryError": "ran out of memory",
    "_ArrayMemoryError": "ran out of memory",
    integrity.TAMPERED: "tampering suspected",
}
DISK_FULL = "disk space used up"      # ENOSPC: the kernel's capped working folder or /tmp


def reason(error: dict) -> str:
    """What an error output of an executed cell means, for the report."""
    name = error.get("ename", "")
    if name in ("OSError", "IOError") and "[Errno 28]" in str(error.get("evalue", "")):
        return DISK_FULL
    return REASONS.get(name, name)


@dataclass
class Line:
    """One submission's row in the report."""

    assignment: str
    student: str
    score: float = 0.0
    max_score: float = 0.0
    failed_cells: dict[str, str] = field(default_factory=dict)    # grade id -> why
    notes: list[str] = field(default_factory=list)                # repairs, limits, errors
    review: list[str] = field(default_factory=list)               # for the instructor to look at
    seed: int | None = None         # the hidden tests' seed this submission was graded with
    seconds: float = 0.0
    status: str = "graded"          # graded | skipped (unchanged) | error


def files_digest(files: dict[str, bytes]) -> str:
    """Identifies a submission's files: names and contents."""
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


def digest(files: dict[str, bytes], limits: worker.Limits, extension: float | None,
           assignment: str = "") -> str:
    """Identifies a grading job: the files and everything about how they are graded (limits,
    extension, and ``assignment``: the digest of the assignment's grading, see
    ``Staging.assignment_digest``). A job whose digest is unchanged need not run again."""
    return hashlib.sha256(json.dumps([asdict(limits), extension, files_digest(files), assignment],
                                     sort_keys=True).encode()).hexdigest()


def code_digest() -> str:
    """The version of the grading code: the grading engine and the helpers tests call (every
    module of the course package but the instructor's tools)."""
    package = Path(__file__).resolve().parents[1]
    return files_digest({p.relative_to(package).as_posix(): p.read_bytes()
                         for p in sorted(package.rglob("*.py")) if "tools" not in p.parts})


def reasons_in(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """Cell (grade id, or position) -> why it failed, for every cell whose outputs show an error."""
    found = {}
    for index, cell in enumerate(notebook.cells):
        grade_id = cells.grade_id(cell) or f"cell {index}"
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            found[grade_id] = reason(errors[-1])
    return found


def score_line(course: Course, line: Line, executed: dict[str, nbformat.NotebookNode]) -> None:
    """Fill ``line`` from the gradebook (the grades that count) and the executed notebooks."""
    why = {}
    for notebook in executed.values():
        why.update(reasons_in(notebook))
    found = gradebook.submission_scores(course.db_url, course.course_id, line.assignment,
                                        line.student)
    if found is None:
        line.status = "error"
        line.notes.append("no grades in the gradebook")
        return
    line.score, line.max_score, graded = found
    for cell in graded:
        if cell.score < cell.max_score:
            line.failed_cells[cell.grade_id] = why.get(cell.grade_id, "wrong answer")
    for known in dict.fromkeys([*REASONS.values(), DISK_FULL]):
        named = [cell for cell, why_cell in why.items() if why_cell == known]
        if named:
            line.notes.append(f"{known}: {', '.join(named)}")
    evidence = dict.fromkeys(item for notebook in executed.values() for cell in notebook.cells
                             for output in cell.get("outputs", [])
                             if output.get("ename") == integrity.TAMPERED
                             for item in integrity.evidence_in(str(output.get("evalue", ""))))
    if evidence:
        line.notes.append(f"tampering evidence: {'; '.join(evidence)}")


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


def stop_cluster(client, cluster) -> None:
    client.close()
    if cluster is not None:
        cluster.close()


class Staging:
    """What the jobs of one assignment share, read from the course once per assignment, and the
    grading run's hidden-test seed."""

    def __init__(self, course: Course, seed: int | None = None, fixed_seed: bool = False):
        self.course = course
        self.seed = seed
        self.fixed_seed = fixed_seed          # chosen by the instructor: used for everyone
        self.templates: dict[str, bytes] = {}
        self.support: dict[str, dict[str, bytes]] = {}
        self.extensions: dict[str, dict[str, float]] = {}
        self.assignments: dict[str, str] = {}
        self.code = code_digest()

    def assignment_digest(self, assignment: str) -> str:
        """Everything a grade of ``assignment`` depends on besides the submission: its cells as
        the gradebook holds them (test code, hidden tests included, and points), the support
        files of source/, ``nbgrader_config.py`` and the grading code. Regenerating the
        assignment after fixing a test changes it, so its submissions are graded again."""
        if assignment not in self.assignments:
            self.assignments[assignment] = hashlib.sha256(json.dumps([
                gradebook.assignment_fingerprint(self.course.db_url, self.course.course_id,
                                                 assignment),
                files_digest(self.course.support_files(assignment)),
                self.course.config_text, self.code]).encode()).hexdigest()
        return self.assignments[assignment]

    def extension(self, assignment: str, student: str) -> float | None:
        """Seconds of extension the instructor granted (``nbgrader`` late-submission rules)."""
        if assignment not in self.extensions:
            self.extensions[assignment] = gradebook.extensions(
                self.course.db_url, self.course.course_id, assignment)
        return self.extensions[assignment].get(student)

    def job(self, assignment: str, student: str, files: dict[str, bytes],
            limits: worker.Limits, key: str, seed: int | None, submission: str) -> worker.Job:
        if assignment not in self.templates:
            self.templates[assignment] = gradebook.template(
                self.course.db_url, self.course.course_id, assignment, self.course.state)
            self.support[assignment] = self.course.support_files(assignment)
        return worker.Job(assignment, student, files, self.support[assignment],
                          self.course.config_text, self.templates[assignment], limits, key,
                          extension=self.extension(assignment, student), seed=seed,
                          submission=submission)


def stage(staging: Staging, line: Line, limits: worker.Limits, force: bool) -> worker.Job | None:
    """Check and repair one submission; the job that grades it, or None when there is nothing
    to run (unchanged since its last import, or no notebook at all)."""
    course, assignment, student = staging.course, line.assignment, line.student
    fixed = repair.repair_submission(course.submitted(student, assignment),
                                     course.release(assignment))
    line.notes.extend(fixed.notes)
    for name, data in fixed.files.items():
        if name.endswith(".ipynb") and "/" not in name:
            line.review.extend(integrity.screen_notebook(name, data))
    key = digest(fixed.files, limits, staging.extension(assignment, student),
                 staging.assignment_digest(assignment))
    submission = files_digest(fixed.files)
    record = course.state / "done" / assignment / f"{student}.json"
    previous = json.loads(record.read_text()) if record.exists() else {}
    if not force and previous.get("digest") == key:
        line.status = "skipped"
        return None
    if not any(name.endswith(".ipynb") and "/" not in name for name in fixed.files):
        score_missing(course, line)
        return None
    # The same submission graded again draws the same hidden inputs, so its grade is reproduced.
    line.seed = staging.seed
    if (not staging.fixed_seed and previous.get("submission") == submission
            and previous["line"].get("seed") is not None):
        line.seed = previous["line"].get("seed")
    return staging.job(assignment, student, fixed.files, limits, key, line.seed, submission)


def grade_class(root: Path, assignments: list[str] | None = None,
                students: list[str] | None = None, workers: int | None = None,
                scheduler: str | None = None, limits: worker.Limits = worker.Limits(),
                force: bool = False, quiet: bool = False, unsandboxed: bool = False,
                seed: int | None = None) -> list[Line]:
    """Grade every chosen submission of the course at ``root``; return the report lines.

    Hidden tests draw their inputs from ``seed``, or from a seed drawn for this run (a submission
    graded before, unchanged, keeps the seed it had)."""
    worker.ensure_tools_on_path()
    course = Course(root)
    workers = workers or os.cpu_count() or 1
    done = course.state / "done"
    started = time.monotonic()
    course.state.mkdir(exist_ok=True)
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))

    # 1. check, repair and stage; skip what is unchanged since its last import
    lines: dict[tuple[str, str], Line] = {}
    jobs: list[worker.Job] = []
    staging = Staging(course, seed if seed is not None else secrets.randbelow(2 ** 31),
                      fixed_seed=seed is not None)
    # The workers start (seconds of imports) while this process stages the submissions.
    with ThreadPoolExecutor(max_workers=1) as background:
        starting = None
        try:
            for assignment, student in course.submissions(assignments, students):
                line = lines[(assignment, student)] = Line(assignment, student)
                try:
                    job = stage(staging, line, limits, force)
                except Exception as err:      # noqa: BLE001  (reported; the class goes on)
                    line.status, job = "error", None
                    line.notes.append(f"could not be prepared for grading: {describe(err)}")
                if job is not None:
                    starting = starting or background.submit(start_cluster, workers, scheduler)
                    jobs.append(job)
        except BaseException:
            if starting is not None:
                stop_cluster(*starting.result())
            raise
    skipped = sum(line.status == "skipped" for line in lines.values())
    say(f"Grading {len(jobs)} submission(s) on {scheduler or f'{workers} local worker(s)'}; "
        f"{skipped} unchanged since the last run. Hidden tests draw fresh inputs from seed "
        f"{staging.seed} (a submission graded before keeps its own seed; --seed chooses one).")

    # 2 + 3. execute in parallel, save one by one as results arrive
    if jobs:
        from dask.distributed import as_completed

        client, cluster = starting.result()
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
                        outcome = worker.Outcome(job.assignment, job.student, {}, None, False,
                                                 "", 0.0, f"{type(err).__name__}: {err}")
                    try:
                        save_outcome(course, outcome, line)
                    except Exception as err:  # noqa: BLE001  (reported; the class goes on)
                        line.status = "error"
                        line.notes.append(f"grades could not be saved: {describe(err)}")
                    record = done / job.assignment / f"{job.student}.json"
                    record.parent.mkdir(parents=True, exist_ok=True)
                    if line.status == "graded":
                        record.write_text(json.dumps({"digest": job.digest,
                                                      "submission": job.submission,
                                                      "line": asdict(line)}))
                    say(progress(count, len(jobs), line, started))
                    if interrupt.requested:
                        for pending in futures:
                            pending.cancel()
                        break
        finally:
            stop_cluster(client, cluster)
    for line in lines.values():
        if line.status == "skipped":
            previous = json.loads((done / line.assignment / f"{line.student}.json").read_text())
            line.__dict__.update({**previous["line"], "status": "skipped"})
    report = sorted(lines.values(), key=lambda l: (l.assignment, l.student))
    (course.state / REPORT).write_text(json.dumps(
        {"seconds": round(time.monotonic() - started, 1), "workers": workers,
         "seed": staging.seed,
         "submissions": [asdict(l) for l in report]}, indent=1))
    return report


def save_outcome(course: Course, outcome: worker.Outcome, line: Line) -> None:
    """Write one worker's result into the course: the autograded folder, then the grades nbgrader
    saved in the worker's gradebook, copied field by field into the course's gradebook in one
    transaction (a Ctrl-C cannot leave a student half-saved)."""
    line.seconds = round(outcome.seconds, 1)
    if outcome.grades is None:
        line.status = "error"
        line.notes.append(f"could not be graded: {failure_cause(outcome)}")
        return
    folder = course.autograded(outcome.student, outcome.assignment)
    shutil.rmtree(folder, ignore_errors=True)
    worker.write_files(folder, outcome.files)
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        gradebook.save_grades(course.db_url, course.course_id, outcome.assignment,
                              outcome.student, outcome.grades)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    executed = {name: nbformat.reads(data.decode(), as_version=4)
                for name, data in outcome.files.items() if name.endswith(".ipynb")}
    score_line(course, line, executed)


EXCEPTION_LINE = re.compile(r"^\s*(?:[\w.]+\.)?(\w+(?:Error|Exception|Exit|Entry)): (.+)$")
GENERIC = ("Please see the", "There was an error processing")


def failure_cause(outcome: worker.Outcome) -> str:
    """The real reason nbgrader could not grade a submission: the last exception its log and
    error text name, other than nbgrader's own "please see the above traceback"."""
    found = []
    for text in (outcome.log, outcome.error):
        for line in (text or "").splitlines():
            match = EXCEPTION_LINE.match(line)
            if match and not any(g in match.group(2) for g in GENERIC):
                found.append(f"{match.group(1)}: {match.group(2).strip()}")
    if found:
        return found[-1]
    lines = (outcome.error or "").strip().splitlines()
    return lines[-1] if lines else "no details"


def describe(error: BaseException) -> str:
    if isinstance(error, MissingEntry):
        return f"not in the gradebook ({error}); run nbgrader generate_assignment first"
    return f"{type(error).__name__}: {error}"


def score_missing(course: Course, line: Line) -> None:
    """No notebook can be graded: zero for every cell, as nbgrader scores a missing notebook."""
    gradebook.zero_grades(course.db_url, course.course_id, line.assignment, line.student)
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
        rows.extend(f"{'':<36} REVIEW (grader-facing code; no score changed): {flag}"
                    for flag in line.review)
    graded = [l for l in report if l.status != "error"]
    rows.append(f"{len(report)} submission(s): {len(graded)} graded, "
                f"{len(report) - len(graded)} with errors.")
    return "\n".join(rows)
