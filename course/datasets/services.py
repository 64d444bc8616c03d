"""Data for AI services, foundation models and cost (assignment 04): business needs described
in the fixed vocabulary of the notebook, Spot interruption schedules and a month of traffic.

Every price in the notebook is an EXAMPLE number chosen for the exercises, not a current AWS
price; nothing here is fetched.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def business_needs() -> pd.DataFrame:
    """Twelve requirement descriptions, one per row: ``need`` (a short story), ``input`` and
    ``task`` (the notebook's vocabulary), and ``language`` (ISO 639-1 code of the content)."""
    rows = [
        ("flag unsafe images uploaded to a forum", "image", "moderation", "en"),
        ("turn recorded support calls into text with customer-sentiment insights", "audio", "call analytics", "en"),
        ("draft after-visit notes from doctor-patient conversations", "audio", "clinical transcription", "en"),
        ("find medication names and dosages in discharge letters", "text", "clinical entities", "en"),
        ("read totals and vendors from scanned receipts", "document", "expense", "en"),
        ("let employees search 2 million internal documents in plain English", "document", "search", "en"),
        ("offer German product reviews in Japanese", "text", "translate", "de"),
        ("read delivery updates aloud in a mobile app", "text", "speech", "en"),
        ("recommend articles from each reader's click history", "interactions", "recommend", "en"),
        ("summarise long contracts for the legal team", "text", "summarize", "en"),
        ("predict which machines fail next week from sensor tables", "tabular", "classify", "en"),
        ("find people in the photos of a badge-entry camera", "image", "faces", "en"),
    ]
    return pd.DataFrame(rows, columns=["need", "input", "task", "language"])


def spot_interruption_schedules(n_schedules: int = 400, rate_per_hour: float = 0.15,
                                horizon_hours: float = 40.0, seed: int = 404) -> list[np.ndarray]:
    """``n_schedules`` seeded Spot interruption schedules: each an increasing array of wall-clock
    times (hours after the job starts) of a Poisson process with ``rate_per_hour`` interruptions
    per hour, cut at ``horizon_hours``. Used to estimate expected cost and time by simulation."""
    rng = np.random.default_rng(seed)
    schedules = []
    for _ in range(n_schedules):
        gaps = rng.exponential(1.0 / rate_per_hour, size=int(rate_per_hour * horizon_hours * 4) + 10)
        times = np.cumsum(gaps)
        schedules.append(np.round(times[times < horizon_hours], 4))
    return schedules


def hourly_requests(seed: int = 405) -> pd.Series:
    """A month (30 days, 720 hours) of requests per hour to an internal tool used in office hours:
    bursts on weekdays between 9:00 and 17:00, almost nothing at night and at weekends."""
    rng = np.random.default_rng(seed)
    hours = pd.RangeIndex(720, name="hour")
    hour_of_day, day = hours % 24, hours // 24
    office = (hour_of_day >= 9) & (hour_of_day < 17) & (day % 7 < 5)
    mean = np.where(office, 900.0, 6.0)
    return pd.Series(rng.poisson(mean), index=hours, name="requests")
