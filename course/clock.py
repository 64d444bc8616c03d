"""The clock of a timed mock exam section: it only tells the time, it never grades.

Grading reruns the notebook in seconds, so time cannot count towards a score; the clock is for
the student who wants to practise the real exam's pace.
"""
from __future__ import annotations

import time


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds:02d} s"


class Clock:
    def __init__(self, minutes: float, now=time.monotonic):
        self.minutes = minutes
        self._now = now
        self.started = now()
        print(f"The clock is running: you have {minutes:g} minutes. "
              f"Run clock.stop() (the last cell) when you are done.")

    def elapsed(self) -> float:
        return self._now() - self.started

    def stop(self) -> str:
        """Say how long the section took, against the budget."""
        used = self.elapsed()
        budget = self.minutes * 60
        verdict = (f"{_duration(budget - used)} to spare" if used <= budget
                   else f"{_duration(used - budget)} over the budget: on the real exam, move on "
                        f"from a question you cannot settle and come back to it at the end")
        message = f"You took {_duration(used)} of {self.minutes:g} minutes: {verdict}."
        print(message)
        return message
