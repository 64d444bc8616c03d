"""Benchmark (not a timed test): how long and how much memory each notebook and grading take.

Each source notebook is executed by nbclient in a child process; the kernel's peak resident memory
comes from ``getrusage(RUSAGE_CHILDREN)`` in that child. Then a sample class is autograded with
real nbgrader and timed. Results print as a Markdown table for the README.
"""
from __future__ import annotations

import json
import os
import platform
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
