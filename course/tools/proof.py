"""Prove the misconception catalog fast: ``course prove [ASSIGNMENT ...]``.

Also the other way round: every right answer the catalog lists in another style keeps full marks.

Grading each catalog mistake as a student through ``course grade`` runs the whole notebook once
per mistake: about 45 mistakes per assignment, 900 for the full course, hours of kernel time.
Here each notebook runs once, as the perfect student, in one warm interpreter (IPython's own
shell, inline plots, the hidden tests' seed set as in grading). Just before a solution cell that
catalog mistakes edit, the interpreter forks once per mistake: the child runs the mistaken cell
and the cells after it only as far as the last test cell the mistake must fail, reports which
test cells failed, and exits; the parent goes on with the right answer. A mistake costs only the
cells it needs, and the cells before it are never run twice.

A test cell fails as the course's nbgrader configuration scores it: when it raises an error
(``course.grader.scoring``; output, stderr included, costs nothing). ``tests/test_graders.py`` proves that this verdict agrees cell by cell with real
``course grade`` on a sample of catalog students, and keeps the end-to-end proof (solution, blank
release, hostile class) on real nbgrader.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..checks import SEED_VARIABLE
from ..grader.cells import grade_id, is_solution, is_test
from . import catalog, paths

INLINE = "module://matplotlib_inline.backend_inline"
RUN_SECONDS = 120           # one mistake's run as a whole; a hang is reported, never waited on
SINGLE_THREADED = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                          "MKL_NUM_THREADS")}   # forking a thread pool hangs


@dataclass
class Result:
    """What one run (the perfect student, or one mistake) did to the test cells it reached."""

    failed: dict[str, str] = field(default_factory=dict)    # test grade id -> why
    passed: list[str] = field(default_factory=list)
    error: str | None = None            # the proof itself could not run (a hang, a crash)
    noisy: dict[str, str] = field(default_factory=dict)     # the solution's cells that wrote to
                                                            # stderr (grade id or "cell N")
    broken: dict[str, str] = field(default_factory=dict)    # the solution's cells other than
                                                            # test cells that raised ("<notebook>
                                                            # <grade id or cell N>" -> why)


@dataclass
class Proof:
    """One assignment proven under one seed."""

    assignment: str
    seed: int
    perfect: Result
    mistakes: dict[str, Result]         # mistake or correct variant id -> its run
    expected: list[catalog.Mistake] = field(default_factory=list)    # the mistakes to prove
    correct: list[catalog.Mistake] = field(default_factory=list)     # right answers to keep

    def problems(self, full: Iterable[str] = ()) -> list[str]:
        """Everything that makes the proof fail: a lost point of the solution, a mistake that
        keeps full marks on a cell it must fail, a run that did not finish."""
        found = [f"the solution fails {cell}: {why}" for cell, why in self.perfect.failed.items()]
        if self.perfect.error:
            found.append(f"the solution's run: {self.perfect.error}")
        found += [f"the solution's {cell} raises {why}" for cell, why in self.perfect.broken.items()]
        for mistake in self.expected:
            result = self.mistakes.get(mistake.id)
            if result is None or result.error:
                found.append(f"{mistake.id}: not proven ({result.error if result else 'not run'})")
                continue
            kept = [cell for cell in mistake.loses if cell not in result.failed]
            if kept:
                found.append(f"{mistake.id}: full marks on {', '.join(kept)} ({mistake.why})")
        for variant in self.correct:
            result = self.mistakes.get(variant.id)
            if result is None or result.error:
                found.append(f"{variant.id}: not proven ({result.error if result else 'not run'})")
            elif result.failed:
                found.append(f"{variant.id}: a right answer ({variant.why}) loses "
                             + "; ".join(f"{cell} ({why})" for cell, why in result.failed.items()))
        return found


def _cells(notebook: nbformat.NotebookNode) -> list[dict]:
    """The code cells as nbgrader autograde runs them for the perfect student: test cells from
    the source (hidden tests included), answers with the solution markers removed."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kind = "solution" if is_solution(cell) else "test" if is_test(cell) else "code"
        source = catalog.solution_code(cell.source) if kind == "solution" else cell.source
        found.append({"kind": kind, "grade_id": grade_id(cell), "source": source})
    return found


def _spec(notebook: Path, mistakes: list[catalog.Mistake], full: set[str]) -> dict:
    """What one prover process runs: the cells and, per mistake, its code and how far to go."""
    cells = _cells(nbformat.read(notebook, as_version=4))
    index = {cell["grade_id"]: i for i, cell in enumerate(cells) if cell["grade_id"]}
    runs = []
    for mistake in mistakes:
        if mistake.cell not in index:
            continue                     # the cell is in another notebook of the assignment
        answer = catalog.apply(mistake, cells[index[mistake.cell]]["source"])
        targets = [index[cell] for cell in mistake.loses if cell in index]
        until = len(cells) - 1 if mistake.id in full or not targets else max(targets)
        runs.append({"id": mistake.id, "at": index[mistake.cell], "code": answer, "until": until})
    return {"cells": cells, "mistakes": runs}


def prove(assignment: str, seed: int, full: Iterable[str] = (), source: Path = paths.SOURCE,
          mistakes: bool = True, instructor: Path = paths.INSTRUCTOR,
          seconds: int = RUN_SECONDS) -> Proof:
    """Run the solution, every catalog mistake of ``assignment`` and every right answer written
    another way (none of either: ``mistakes=False``) under hidden-test ``seed``. Mistakes named in
    ``full`` and the right answers run to the end of the notebook, so every test cell gets a
    verdict; one run is stopped after ``seconds``."""
    correct = catalog.load_correct(assignment, instructor) if mistakes else []
    mistakes = catalog.load(assignment, instructor) if mistakes else []
    perfect, results = Result(), {}
    with tempfile.TemporaryDirectory(prefix="mdl-proof-") as tmp:
        for notebook in paths.notebooks(source / assignment):
            work = Path(tmp) / notebook.stem
            shutil.copytree(source / assignment, work,
                            ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
            spec_file, out_file = Path(tmp) / f"{notebook.stem}.json", Path(tmp) / f"{notebook.stem}.out"
            everything = {*full, *(variant.id for variant in correct)}
            spec_file.write_text(json.dumps({**_spec(notebook, mistakes + correct, everything),
                                             "seconds": seconds}))
            env = {**os.environ, **SINGLE_THREADED, SEED_VARIABLE: str(seed)}
            run = subprocess.run([sys.executable, "-m", "course.tools.proof", "--run",
                                  str(spec_file), str(out_file)], cwd=work, env=env,
                                 capture_output=True, text=True)
            if not out_file.exists():
                perfect.error = f"{notebook.name}: the prover died ({run.stderr.strip()[-500:]})"
                continue
            found = json.loads(out_file.read_text())
            perfect.failed.update(found["perfect"]["failed"])
            perfect.passed.extend(found["perfect"]["passed"])
            perfect.noisy.update(found["perfect"]["noisy"])
            perfect.broken.update({f"{notebook.name} {cell}": why
                                   for cell, why in found["perfect"]["broken"].items()})
            results.update({key: Result(**value) for key, value in found["mistakes"].items()})
    return Proof(assignment, seed, perfect, results, mistakes, correct)


def prove_all(assignments: list[str], seed: int, full: Iterable[str] = (),
              workers: int | None = None, mistakes: bool = True) -> dict[str, Proof]:
    """``prove`` for several assignments side by side (one interpreter per notebook)."""
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        return dict(zip(assignments, pool.map(
            lambda a: prove(a, seed, full, mistakes=mistakes), assignments)))


# --- inside the prover process --------------------------------------------------------------

def _execute(shell, code: str) -> tuple[str | None, str]:
    """Run one cell: why it would lose its points in nbgrader (None: it would not), and what it
    wrote to stderr."""
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        result = shell.run_cell(code, store_history=False)
    error = result.error_before_exec or result.error_in_exec
    if error is None:
        return None, errors.getvalue()
    first = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first[:200]}", errors.getvalue()


def _record(result: dict, index: int, cell: dict, outcome: tuple[str | None, str]) -> None:
    why, errors = outcome
    if cell["kind"] == "test":
        if why is None:
            result["passed"].append(cell["grade_id"])
        else:
            result["failed"][cell["grade_id"]] = why
    elif why is not None and "broken" in result:
        result["broken"][cell["grade_id"] or f"cell {index}"] = why
    if errors.strip() and "noisy" in result:
        result["noisy"][cell["grade_id"] or f"cell {index}"] = errors.strip().splitlines()[0][:200]


def _fork(shell, cells: list[dict], run: dict, seconds: int) -> dict:
    """The mistake's run in a forked child: the mistaken cell, then the cells up to ``until``."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:                                       # the child
        here = None
        try:
            os.close(read)
            signal.alarm(seconds)                      # default action: the child is killed
            # files the mistaken cells write (a train.py, a model) stay in a copy of the folder
            here = tempfile.mkdtemp(prefix="mdl-proof-child-")
            shutil.copytree(os.getcwd(), here, dirs_exist_ok=True, symlinks=True)
            os.chdir(here)
            result = {"failed": {}, "passed": [], "error": None}
            for index in range(run["at"], run["until"] + 1):
                code = run["code"] if index == run["at"] else cells[index]["source"]
                _record(result, index, cells[index], _execute(shell, code))
            with os.fdopen(write, "w") as pipe:
                pipe.write(json.dumps(result))
        finally:
            if here:
                shutil.rmtree(here, ignore_errors=True)
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        how = (f"killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
               else f"exit status {os.WEXITSTATUS(status)}")
        return {"failed": {}, "passed": [],
                "error": f"the run did not finish within {seconds} s ({how})"}
    return json.loads(data)


def _run(spec_file: Path, out_file: Path) -> None:
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    spec = json.loads(spec_file.read_text())
    cells, by_cell = spec["cells"], {}
    for run in spec["mistakes"]:
        by_cell.setdefault(run["at"], []).append(run)
    config = Config()
    config.HistoryManager.enabled = False          # no history thread in a process that forks
    shell = InteractiveShell.instance(config=config)
    sys.stdout = open(os.devnull, "w")             # the notebook's printing goes nowhere
    import matplotlib                              # as in a Jupyter kernel: inline figures,
    from matplotlib_inline.backend_inline import configure_inline_support   # closed per cell

    matplotlib.use(INLINE)
    configure_inline_support(shell, INLINE)
    perfect = {"failed": {}, "passed": [], "noisy": {}, "broken": {}}
    mistakes = {}
    for index, cell in enumerate(cells):
        for run in by_cell.get(index, []):
            mistakes[run["id"]] = _fork(shell, cells, run, spec["seconds"])
        _record(perfect, index, cell, _execute(shell, cell["source"]))
    out_file.write_text(json.dumps({"perfect": perfect, "mistakes": mistakes}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run"]:
        _run(Path(sys.argv[2]), Path(sys.argv[3]))
