"""Open the course in JupyterLab: students at release/ with Validate only, instructors at the
course root with the formgrader.

The student set-up is `postBuild`'s, applied at user level to a private Jupyter config directory
(.jupyter-student/) so that the instructor's own Jupyter set-up is left alone.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from . import paths

STUDENT_CONFIG = paths.ROOT / ".jupyter-student"


def student_environment(config: Path = STUDENT_CONFIG) -> dict[str, str]:
    """Environment variables for a student's JupyterLab, the postBuild set-up applied once."""
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    if not (config / "jupyter_server_config.json").exists():     # postBuild writes it last
        subprocess.run(["bash", str(paths.ROOT / "postBuild")], check=True, capture_output=True,
                       env={**env, "MDL_SKIP_INSTALL": "1", "MDL_JUPYTER_LEVEL": "user"})
    return env


def open_lab(role: str, extra: list[str]) -> int:
    if role == "student":
        env, folder = student_environment(), paths.RELEASE
    else:
        env, folder = dict(os.environ), paths.ROOT
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={folder}", *extra]
    return subprocess.run(command, env=env, cwd=paths.ROOT).returncode
