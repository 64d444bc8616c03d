"""The main job in one command: release → sample class → grade (``course grade``) → feedback → grades.

Runs in a scratch course directory with its own gradebook, then copies the results into a
folder of its own (``demo-output/`` by default): autograded/ (nbgrader's autograded notebooks),
feedback/ (HTML, hidden tests removed) and grades.csv. It never writes into a folder holding
anything it did not create, so a real class's results cannot be overwritten by a demo.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from ..grader import sandbox
from . import classroom, paths, pipeline

MARKER = ".model-development-labs-demo"  # lets a re-run safely wipe its own scratch directory


def run(assignments: list[str] | None = None, class_size: int = 4,
        output: Path = paths.DEMO_OUTPUT, workdir: Path | None = None, seed: int = 0) -> bool:
    """Grade a sample class for each assignment; print a summary; True when the graders behaved
    (perfect student full marks, blank student zero)."""
    chosen = assignments or paths.assignments()
    started = time.perf_counter()
    scratch = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="mdl-demo-"))
    if scratch.exists() and any(scratch.iterdir()):
        if not (scratch / MARKER).exists():
            raise SystemExit(f"{scratch} is not empty and was not made by the demo; choose another --workdir.")
        shutil.rmtree(scratch)
    output = Path(output)
    if output.exists() and any(output.iterdir()) and not (output / MARKER).exists():
        raise SystemExit(f"{output} holds files the demo did not write (a real class's results?); "
                         "the demo writes only into an empty folder or its own earlier output. "
                         "Choose another --output.")
    output.mkdir(parents=True, exist_ok=True)
    (output / MARKER).touch()
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / MARKER).touch()
    try:
        return _run(chosen, class_size, output, scratch, seed, started)
    finally:
        if workdir is None:
            shutil.rmtree(scratch, ignore_errors=True)


def _run(chosen: list[str], class_size: int, output: Path, scratch: Path, seed: int,
         started: float) -> bool:
    course = pipeline.make_course(scratch, chosen)
    log = scratch / "nbgrader.log"
    print(f"Scratch course directory: {scratch}")
    rows, healthy = [], True
    classes = {}
    for assignment in chosen:
        print(f"[{assignment}] generating the student release ...", flush=True)
        release_dir = pipeline.generate_release(course, assignment)
        classes[assignment] = [classroom.perfect(), classroom.blank(),
                               *classroom.mixed(assignment, class_size, seed=seed)]
        for student in classes[assignment]:
            notebooks = classroom.submission(student, release_dir, paths.SOURCE / assignment)
            pipeline.submit(course, student.id, assignment, notebooks)
    total = sum(len(students) for students in classes.values())
    print(f"Grading {total} submissions with `course grade` (parallel, sandboxed) ...", flush=True)
    # The demo's students are built by the course itself from its own catalog, so where this
    # machine cannot sandbox (no bubblewrap, not root) the demo says so and grades all the same;
    # `course grade` on real submissions refuses instead.
    problems = sandbox.check()
    if problems:
        print("NOTE: no sandbox on this machine (" + "; ".join(problems) + "). The demo grades "
              "its own generated students unsandboxed; real submissions need the sandbox.",
              flush=True)
    pipeline.grade(course, *(["--unsandboxed"] if problems else []), log=log)
    for assignment, students in classes.items():
        print(f"[{assignment}] writing feedback ...", flush=True)
        pipeline.generate_feedback(course, assignment, log=log)
        scores = pipeline.cell_scores(course, assignment)
        for student in students:
            cells = scores.get(student.id, [])
            total = sum(c.score for c in cells)
            maximum = sum(c.max_score for c in cells)
            lost = [c.grade_id for c in cells if c.score < c.max_score]
            rows.append((student.id, assignment, total, maximum, lost, student.description))
            if student.id == "perfect" and (not cells or lost):
                healthy = False
            if student.id == "blank" and total != 0:
                healthy = False
    pipeline.export_grades(course)
    _publish(scratch, output)
    _print_summary(rows)
    print(f"\nFeedback: {output / 'feedback'}   Grades: {output / 'grades.csv'}   "
          f"Autograded notebooks: {output / 'autograded'}   nbgrader's log: {output / 'nbgrader.log'}   "
          f"Grading report: {output / 'grading-report.json'}")
    print(f"Done in {time.perf_counter() - started:.0f} s. "
          + ("Graders behaved: the perfect student has full marks and the blank one zero."
             if healthy else "PROBLEM: a perfect submission lost points or a blank one scored."))
    return healthy


def _publish(scratch: Path, output: Path) -> None:
    for name in ("autograded", "feedback"):
        target = output / name
        if target.exists():
            for child in target.iterdir():
                if child.name != ".gitkeep":
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        shutil.copytree(scratch / name, target, dirs_exist_ok=True)
    shutil.copy2(scratch / "grades.csv", output / "grades.csv")
    shutil.copy2(scratch / "nbgrader.log", output / "nbgrader.log")
    shutil.copy2(scratch / "grading" / "report.json", output / "grading-report.json")


def _print_summary(rows: list[tuple]) -> None:
    width = max(len(row[1]) for row in rows)
    print()
    header = f"{'student':<12} {'assignment':<{width}} {'score':>9}  cells that lost points"
    print(header)
    print("-" * len(header))
    for student, assignment, total, maximum, lost, description in rows:
        score = f"{total:g} / {maximum:g}"
        if lost and total == 0:
            cells = f"all {len(lost)} graded cells"
        else:
            cells = ", ".join(lost) or "-"
        print(f"{student:<12} {assignment:<{width}} {score:>9}  {cells}")
        if description and student.startswith("student-"):
            print(f"{'':<12} {'':<{width}} {'':>9}  planted: {description}")
