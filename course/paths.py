"""Where the course lives: the repository root holds source/, release/ and nbgrader_config.py."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
RELEASE = ROOT / "release"
MISCONCEPTIONS = ROOT / "misconceptions"
CONFIG = ROOT / "nbgrader_config.py"
# Where `course demo` writes its results: a folder of its own, never the course's real
# autograded/, feedback/ or grades.csv.
DEMO_OUTPUT = ROOT / "demo-output"
# The helper modules notebooks import: students receive them with the notebooks.
STUDENT_HELPERS = tuple(ROOT / "course" / name for name in ("__init__.py", "checks.py", "datasets.py"))


def assignments(source: Path = SOURCE) -> list[str]:
    """Assignment ids, in course order (folders of source/ named NN-slug)."""
    if not source.is_dir():
        return []
    return sorted(p.name for p in source.iterdir() if p.is_dir() and p.name[:2].isdigit())


def notebooks(folder: Path) -> list[Path]:
    """The notebooks of one assignment folder, checkpoints excluded."""
    return sorted(p for p in folder.glob("*.ipynb"))
