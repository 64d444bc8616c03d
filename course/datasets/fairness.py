"""Loan data with planted bias for Clarify-style metrics and explanations (assignment 15)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._seed import SEED


LOAN_PURPOSES = ("home", "car", "business")


def loan_applications(n: int = 2000, seed: int = SEED) -> pd.DataFrame:
    """Seeded historical loan decisions with a planted bias (label ``approved``: 1 = approved).

    Two facets to audit: ``gender`` (about a third "female") and ``age_group`` (about 30 %
    "under_30"). The bias is planted twice over, so that the metrics have something to find:
    women apply more often for business loans, which are approved less often for everybody (a mix
    effect that CDDL conditions away), and on top of that their applications were approved less
    often at equal merit (a direct bias that survives the conditioning). Under-30s have shorter
    credit histories and a smaller direct penalty. The numeric columns hold whole numbers stored
    as floats: tree splits then never tie with a data value, and scikit-learn's partial
    dependence (which refuses integer columns) accepts them.
    """
    rng = np.random.default_rng(seed)
    female = rng.random(n) < 0.35
    under_30 = rng.random(n) < 0.30
    purpose = np.where(female,
                       rng.choice(LOAN_PURPOSES, size=n, p=[0.30, 0.25, 0.45]),
                       rng.choice(LOAN_PURPOSES, size=n, p=[0.50, 0.35, 0.15]))
    income = np.clip(np.round(rng.normal(64 - 10 * under_30, 18)), 15, 160)        # k$ a year
    debt_pct = rng.integers(5, 71, size=n)                                         # debt / income, %
    credit_years = np.where(under_30, rng.integers(0, 10, size=n), rng.integers(2, 31, size=n))
    amount = np.select([purpose == "home", purpose == "car"],                      # k$ requested
                       [rng.integers(80, 301, size=n), rng.integers(8, 51, size=n)],
                       rng.integers(20, 151, size=n))
    offset = np.select([purpose == "home", purpose == "car"], [0.4, 0.7], -1.0)
    merit = 0.05 * (income - 60) - 0.06 * (debt_pct - 35) + 0.07 * (credit_years - 10) + offset
    logit = 0.6 + merit - 1.0 * female - 0.3 * under_30
    approved = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame({
        "gender": np.where(female, "female", "male"),
        "age_group": np.where(under_30, "under_30", "30_plus"),
        "purpose": purpose,
        "income": income.astype(float),
        "debt_pct": debt_pct.astype(float),
        "credit_years": credit_years.astype(float),
        "amount": amount.astype(float),
        "approved": approved,
    })


def loan_repayments(n: int = 1500, seed: int = SEED) -> pd.DataFrame:
    """Seeded loan outcomes (label ``defaulted``: 1 = default) with one leaked column.

    ``days_in_collections`` is only recorded *after* a loan goes bad (most defaulters have one,
    a few late payers who caught up have a short one), so it is not known when the loan is
    granted. A model that sees it looks brilliant on validation data and is useless in production;
    its importance dwarfs every honest feature, which is how the lab finds it.
    """
    rng = np.random.default_rng(seed + 15)
    income = np.clip(np.round(rng.normal(62, 18, size=n)), 15, 160)
    debt_pct = rng.integers(5, 71, size=n)
    credit_years = rng.integers(0, 31, size=n)
    amount = rng.integers(5, 201, size=n)
    logit = (-1.6 - 0.04 * (income - 60) + 0.05 * (debt_pct - 35) - 0.06 * (credit_years - 12)
             + 0.004 * (amount - 100))
    defaulted = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    in_collections = np.where(defaulted == 1, rng.random(n) < 0.85, rng.random(n) < 0.04)
    days = np.where(in_collections,
                    np.where(defaulted == 1, rng.integers(30, 366, size=n), rng.integers(1, 21, size=n)), 0)
    return pd.DataFrame({"income": income.astype(float), "debt_pct": debt_pct.astype(float),
                         "credit_years": credit_years.astype(float), "amount": amount.astype(float),
                         "days_in_collections": days.astype(float), "defaulted": defaulted})


def weekly_hours(is_female, seed: int = SEED) -> np.ndarray:
    """Seeded weekly working hours for the applicants of ``loan_applications`` (assignment 15).

    ``is_female`` is one flag per applicant (1 = facet d). The hours differ sharply between the
    facets (women in this data work part time far more often) but played no part in the historical
    decisions: their only link to the ``approved`` label runs through gender. A model trained on
    them without the gender column learns the gender bias back through them, which is what a
    proxy feature is. Whole numbers stored as floats, between 8 and 60.
    """
    female = np.asarray(is_female, dtype=float) == 1
    rng = np.random.default_rng(seed + 150)
    hours = np.where(female, rng.normal(29, 4, size=female.size), rng.normal(42, 4, size=female.size))
    return np.clip(np.round(hours), 8, 60).astype(float)
