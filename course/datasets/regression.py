"""Regression data: disease progression and delivery times (assignment 13)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import load_diabetes

from ._seed import SEED


def diabetes_progression() -> tuple[pd.DataFrame, pd.Series]:
    """scikit-learn's bundled diabetes set (442 patients) in its original units.

    The target is a disease-progression score one year after the measurements. Original units
    (age in years, BMI in kg/m², blood pressure in mm Hg, ...) keep one-rule thresholds readable.
    """
    bunch = load_diabetes(as_frame=True, scaled=False)
    return bunch.data, bunch.target.rename("progression")


def delivery_predictions(n: int = 400, storm_rate: float = 0.03, seed: int = SEED) -> pd.DataFrame:
    """Actual delivery times (minutes) of ``n`` orders and the predictions of two models.

    A few orders (about ``storm_rate``) are caught in a storm and arrive 40-70 minutes late: the
    outliers. ``precise`` follows the live traffic closely (errors of about a minute) but knows
    nothing about storms, so it misses those orders completely; ``cautious`` uses the weather
    forecast and catches most of each storm delay, but its everyday estimates are rough (errors
    of about 5 minutes). The two models therefore rank differently under MAE (precise wins) and
    RMSE (cautious wins).
    """
    rng = np.random.default_rng(seed)
    distance = rng.uniform(0.5, 8.0, size=n).round(1)
    usual = 12.0 + 3.5 * distance + rng.normal(0.0, 3.0, size=n)
    storm = rng.random(n) < storm_rate
    delay = np.where(storm, rng.uniform(40.0, 70.0, size=n), 0.0)
    actual = usual + delay
    precise = usual + rng.normal(0.0, 1.2, size=n)
    cautious = actual - 0.2 * delay + rng.normal(0.0, 5.0, size=n)
    return pd.DataFrame({"distance_km": distance, "storm": storm, "actual_minutes": actual.round(1),
                         "precise": precise.round(1), "cautious": cautious.round(1)})
