"""`python -m course`: the instructor's commands, or in the student edition (which has no
course/tools/) only `progress`."""
import sys
from pathlib import Path

if (Path(__file__).parent / "tools" / "cli.py").exists():
    from .tools.cli import main
else:
    from .progress import main

sys.exit(main())
