"""Model Development Labs.

``course`` itself is what notebooks import (``course.checks``, ``course.datasets``) and all a
student's environment receives. ``course.grader`` is the grading engine and ``course.tools`` the
instructor's commands (``python -m course``); both need the ``instructor`` extra.
"""

__version__ = "0.1.0"
