"""`python -m course progress`: how far you are, by exam item, read from your own notebooks.

It runs each of your assignment notebooks top to bottom with a fresh kernel, in a scratch copy
(as Validate does, so your files are never touched), and records which test cells pass. Only the
visible checks run here: the hidden ones and the questions' keys stay with your instructor, so a
question counts as *answered* when its answer is one of the letters, not as right. The table and
the plot sum the test cells by the exam item (MLA-C01) or skill (MLA-C02) they grade. No server,
no network.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

MAP = Path(__file__).with_name("exam_map.json")   # written by the student export
EXAMS = ("C01", "C02")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignments", nargs="*", help="assignment folders (default: all)")
    parser.add_argument("--folder", type=Path, default=Path("release"),
                        help="the folder holding your assignment folders (default: release)")
    parser.add_argument("--exam", choices=EXAMS, default="C01",
                        help="sum by MLA-C01's items (default) or MLA-C02's skills")
    parser.add_argument("--plot", type=Path, default=Path("progress.png"),
                        help="where the plot goes (default: progress.png)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds one cell may run")


def test_cells(notebook) -> list[str]:
    return [cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells
            if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code"]


def run(folder: Path, timeout: int = 120) -> dict[str, str]:
    """grade id → "passed", "failed" or "not run" for every test cell of one assignment."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    found: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        for path in sorted(copy.glob("*.ipynb")):
            notebook = nbformat.read(path, as_version=4)
            for cell in notebook.cells:            # what was saved must not count as a run
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
            client = NotebookClient(notebook, timeout=timeout, allow_errors=True, kernel_name="python3",
                                    extra_arguments=["--IPKernelApp.log_level=ERROR"],
                                    resources={"metadata": {"path": str(copy)}})
            try:
                client.execute()
            except (CellTimeoutError, DeadKernelError):
                pass                               # the cells after it count as not run
            for cell in notebook.cells:
                if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code":
                    failed = any(o.get("output_type") == "error" for o in cell.outputs)
                    found[cell.metadata["nbgrader"]["grade_id"]] = (
                        "failed" if failed else "passed" if cell.execution_count else "not run")
    return found


def by_item(results: Mapping[str, Mapping[str, str]], exam_map: Mapping, exam: str) -> dict[str, dict[str, int]]:
    """item → counts of checks passed / total and questions answered / total."""
    table: dict[str, dict[str, int]] = {}
    for assignment, cells in results.items():
        for grade_id, status in cells.items():
            entry = exam_map.get(assignment, {}).get(grade_id)
            if entry is None:
                continue
            kind = "questions" if entry["question"] else "checks"
            for item in entry[exam]:
                row = table.setdefault(item, {"checks": 0, "checks passed": 0,
                                              "questions": 0, "questions answered": 0})
                row[kind] += 1
                row["checks passed" if kind == "checks" else "questions answered"] += status == "passed"
    return table


def _order(item: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part
                 for part in item.removeprefix("C2-").replace(".", " ").replace("T", "T ").split())


def report(results: Mapping[str, Mapping[str, str]], exam_map: Mapping, exam: str) -> str:
    lines = [f"{'assignment':42} {'checks passed':>14} {'questions answered':>19}"]
    for assignment, cells in results.items():
        kinds = exam_map.get(assignment, {})
        checks = [s for g, s in cells.items() if g in kinds and not kinds[g]["question"]]
        asked = [s for g, s in cells.items() if g in kinds and kinds[g]["question"]]
        lines.append(f"{assignment:42} {checks.count('passed'):>6} of {len(checks):<5} "
                     f"{asked.count('passed'):>9} of {len(asked):<5}")
    lines += ["", f"{'MLA-' + exam + ' item':14} {'checks passed':>14} {'questions answered':>19}"]
    for item, row in sorted(by_item(results, exam_map, exam).items(), key=lambda kv: _order(kv[0])):
        lines.append(f"{item.removeprefix('C2-'):14} {row['checks passed']:>6} of {row['checks']:<5} "
                     f"{row['questions answered']:>9} of {row['questions']:<5}")
    lines.append("\nQuestions count as answered, not as right: their keys are checked when you are graded.")
    return "\n".join(lines)


def plot(results: Mapping[str, Mapping[str, str]], exam_map: Mapping, exam: str, target: Path) -> Path:
    """One bar per exam item: the share of its test cells (checks and questions) that pass."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted(by_item(results, exam_map, exam).items(), key=lambda kv: _order(kv[0]), reverse=True)
    shares = [(r["checks passed"] + r["questions answered"]) / max(1, r["checks"] + r["questions"])
              for _, r in rows]
    figure, axes = plt.subplots(figsize=(7, 0.28 * len(rows) + 1.2))
    axes.barh([item.removeprefix("C2-") for item, _ in rows], shares, color="tab:green")
    axes.barh([item.removeprefix("C2-") for item, _ in rows], [1 - s for s in shares], left=shares,
              color="lightgrey")
    axes.set_xlim(0, 1)
    axes.set_xlabel("share of its test cells that pass (visible checks; questions answered)")
    axes.set_title(f"Your progress by MLA-{exam} Domain 2 {'item' if exam == 'C01' else 'skill'}")
    figure.tight_layout()
    figure.savefig(target, dpi=100)
    plt.close(figure)
    return target


def progress(args: argparse.Namespace, exam_map: Mapping) -> int:
    folder: Path = args.folder
    chosen = args.assignments or sorted(p.name for p in folder.iterdir()
                                        if p.is_dir() and p.name in exam_map) if folder.is_dir() else []
    missing = [a for a in chosen if not (folder / a).is_dir() or a not in exam_map]
    if missing or not chosen:
        print(f"No assignment notebooks to read in {folder}/: {', '.join(missing) or 'none found'}. "
              f"Run this from the folder that holds release/, or pass --folder.")
        return 2
    results = {}
    for assignment in chosen:
        print(f"running {assignment} ...", flush=True)
        results[assignment] = run(folder / assignment, args.timeout)
    print(report(results, exam_map, args.exam))
    print(f"\nplot: {plot(results, exam_map, args.exam, args.plot)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """The student edition's `python -m course`: only `progress`."""
    parser = argparse.ArgumentParser(prog="python -m course")
    commands = parser.add_subparsers(dest="command", required=True)
    add_arguments(commands.add_parser("progress", help=__doc__.splitlines()[0]))
    args = parser.parse_args(argv)
    return progress(args, json.loads(MAP.read_text()))
