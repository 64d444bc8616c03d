#!/usr/bin/env python3
"""Set up and run Model Development Labs with nothing but Python 3.11+.

    python3 run.py demo    # install into .venv, then release → grade a sample class → feedback
    python3 run.py test    # install into .venv (with test tools), then run the whole test suite

Extra arguments go to the command (`python3 run.py test -k release`, `python3 run.py demo --class-size 8`).
"""
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("MDL_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def ensure_environment(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
    if not (BIN / "python").exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras.replace(',', '-') or 'base'}"
    project = ROOT / "pyproject.toml"
    if not stamp.exists() or stamp.stat().st_mtime < project.stat().st_mtime:
        print("Installing the course and its dependencies (first run: a minute or two) ...", flush=True)
        target = f"{ROOT}[{extras}]" if extras else str(ROOT)
        subprocess.run([BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([BIN / "python", "-m", "pip", "install", "--quiet", "-e", target], check=True)
        stamp.touch()


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("demo", "test"):
        print(__doc__)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    ensure_environment("instructor,test,browser" if command == "test" else "instructor")
    env = {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    if command == "demo":
        args = [BIN / "python", "-m", "course", "demo", *rest]
    else:
        args = [BIN / "python", "-m", "pytest", *rest]
    return subprocess.run(args, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
