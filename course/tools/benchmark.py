"""Benchmark (not a timed test): how long and how much memory each notebook and grading take.

Each source notebook is executed by nbclient in a child process; the kernel's peak resident memory
comes from ``getrusage(RUSAGE_CHILDREN)`` in that child. Then a sample class is autograded with
real nbgrader and timed. Results print as a Markdown table for the README.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import classroom, paths, pipeline

_RUN_ONE = r"""
import json, resource, sys, time
import nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
start = time.perf_counter()
NotebookClient(nb, timeout=600, kernel_name="python3",
               resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}}).execute()
wall = time.perf_counter() - start
kernel_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "kernel_mib": kernel_kib / 1024}))
"""


def time_notebook(notebook: Path) -> dict:
    """Execute one notebook top to bottom in a fresh kernel: wall time (s) and peak kernel MiB."""
    out = subprocess.run([sys.executable, "-c", _RUN_ONE, str(notebook)], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def time_grading(assignment: str, class_size: int) -> dict:
    """Autograde perfect + blank + ``class_size`` catalog students with real nbgrader."""
    with tempfile.TemporaryDirectory(prefix="mdl-bench-") as tmp:
        course = pipeline.make_course(Path(tmp), [assignment])
        release_dir = pipeline.generate_release(course, assignment)
        students = [classroom.perfect(), classroom.blank(), *classroom.mixed(assignment, class_size)]
        for student in students:
            pipeline.submit(course, student.id, assignment, classroom.submission(
                student, release_dir, paths.SOURCE / assignment))
        start = time.perf_counter()
        pipeline.autograde(course, assignment)
        wall = time.perf_counter() - start
    return {"students": len(students), "wall": wall}


def run(assignments: list[str] | None = None, class_size: int = 8) -> str:
    chosen = assignments or paths.assignments()
    lines = [f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{time.strftime('%Y-%m-%d')}", "",
             "| assignment | notebook run (s) | kernel peak memory (MiB) | autograde class | per submission (s) |",
             "|---|---:|---:|---|---:|"]
    for assignment in chosen:
        runs = []
        for notebook in paths.notebooks(paths.SOURCE / assignment):
            print(f"running {assignment}/{notebook.name} ...", flush=True)
            runs.append(time_notebook(notebook))
        print(f"autograding {class_size + 2} submissions of {assignment} ...", flush=True)
        grade = time_grading(assignment, class_size)
        lines.append(f"| {assignment} | {sum(r['wall'] for r in runs):.1f} | "
                     f"{max(r['kernel_mib'] for r in runs):.0f} | "
                     f"{grade['students']} students in {grade['wall']:.0f} s | "
                     f"{grade['wall'] / grade['students']:.1f} |")
    table = "\n".join(lines)
    print(table)
    return table


_GRADE = r"""
import sys
from pathlib import Path
from course import grading
if __name__ == "__main__":
    report = grading.grade_class(Path(sys.argv[1]), workers=int(sys.argv[2]), quiet=True)
    sys.exit(0 if all(line.status != "error" for line in report) else 1)
"""


def _measured(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of the command with all its children."""
    import psutil

    start = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        total = 0
        for proc in [process, *process.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass
        peak = max(peak, total)
        time.sleep(0.5)
    return time.perf_counter() - start, peak / 2**20


def class_grading(class_size: int = 8, workers: int | None = None) -> str:
    """A synthetic class graded three ways on this machine: plain ``nbgrader autograde``, then
    ``course grade`` with one worker and with ``workers``. Grades must be identical. (The hostile
    class is graded by the test suite: tests/test_grading.py.)"""
    workers = workers or os.cpu_count() or 1
    chosen = paths.assignments()
    results, scores = {}, {}
    with tempfile.TemporaryDirectory(prefix="mdl-bench-class-") as tmp:
        base = pipeline.make_course(Path(tmp) / "base", chosen)
        for assignment in chosen:
            release_dir = pipeline.generate_release(base, assignment)
            students = [classroom.perfect(), classroom.blank(),
                        *classroom.mixed(assignment, class_size)]
            for student in students:
                pipeline.submit(base, student.id, assignment, classroom.submission(
                    student, release_dir, paths.SOURCE / assignment))
        submissions = sum(1 for _ in base.root.glob("submitted/*/*"))
        ways = {"plain nbgrader autograde": None, "course grade, 1 worker": 1,
                f"course grade, {workers} workers": workers}
        for label, count in ways.items():
            root = Path(tmp) / f"run-{count or 0}"
            shutil.copytree(base.root, root)
            print(f"grading {submissions} submissions: {label} ...", flush=True)
            if count is None:
                env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent),
                                                              os.environ.get("PATH", "")])}
                script = ";".join(f"subprocess.run([sys.executable,'-m','nbgrader','autograde',"
                                  f"{a!r},'--force'])" for a in chosen)
                command = [sys.executable, "-c", f"import subprocess,sys;{script}"]
            else:
                env = dict(os.environ)
                command = [sys.executable, "-c", _GRADE, str(root), str(count)]
            wall, peak = _measured(command, root, env)
            results[label] = (wall, peak)
            course = pipeline.Course(root)
            scores[label] = {a: pipeline.cell_scores(course, a) for a in chosen}
    same_as_plain = all(s == scores["plain nbgrader autograde"] for s in scores.values())
    for label, per in scores.items():
        for assignment, by in per.items():
            for student, cells in by.items():
                plain_cells = scores["plain nbgrader autograde"][assignment].get(student)
                if cells != plain_cells:
                    print(f"differs from plain nbgrader: {label}, {assignment}, {student}: "
                          f"{sorted(set(map(str, cells)) ^ set(map(str, plain_cells or [])))}")
    parallel = [scores[label] for label in results if label.startswith("course grade")]
    same_parallel = all(s == parallel[0] for s in parallel)
    plain = results["plain nbgrader autograde"][0]
    lines = [f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"{time.strftime('%Y-%m-%d')}; {submissions} submissions "
             f"({len(chosen)} assignments). Grades identical in all three "
             f"runs: {'yes' if same_as_plain else 'NO'}; all grades identical for 1 and "
             f"{workers} workers: {'yes' if same_parallel else 'NO'}", "",
             "| how | wall time (s) | notebooks per minute | peak memory (MiB) | speed-up |",
             "|---|---:|---:|---:|---:|"]
    for label, (wall, peak) in results.items():
        lines.append(f"| {label} | {wall:.0f} | {submissions / wall * 60:.1f} | {peak:.0f} | "
                     f"{plain / wall:.2f}x |")
    table = "\n".join(lines)
    print(table)
    return table
