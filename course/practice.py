"""Immediate feedback for the self-study practice notebook (practice/), which nothing grades.

Each check cell of that notebook holds its question's key, so its answers ship with it; that is
why no practice question is ever used in a graded assignment or a mock exam (tests prove it). A
wrong answer gets the reason it is wrong and another try; the second wrong try shows the key.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .checks import CheckFailed, choice

_misses: dict[str, int] = {}


def check(answer: Any, key: str, options: str, explanation: str, why: Mapping[str, str],
          study: str, question: str) -> bool:
    """Say at once whether ``answer`` is the key, and why; returns whether it is."""
    if answer is None or answer is Ellipsis:
        print(f"{question}: no answer yet. Set it to one of {', '.join(options)} and run this cell again.")
        return False
    try:
        letter = choice(answer, options, question)
    except CheckFailed as problem:
        print(problem)
        return False
    if letter == key:
        print(f"\u2714 {question}: {letter} is right. {explanation}\n{study}")
        return True
    _misses[question] = _misses.get(question, 0) + 1
    print(f"\u2718 {question}: {letter} is not the best answer. {why[letter]}")
    if _misses[question] >= 2:
        print(f"The best answer is {key}. {explanation}\n{study}")
    else:
        print("Try another option.")
    return False
