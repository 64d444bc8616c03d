"""A loan book with planted faults, and the small trainer the capstone diagnoses (assignment 17)."""
from __future__ import annotations

import numpy as np
import pandas as pd

LOAN_COLUMNS = ("income_k", "debt_ratio", "utilization", "late_payments", "tenure_years",
                "collection_calls", "region")


def loan_book(n: int = 3000, seed: int = 1717, rural_share: float = 0.15) -> tuple[pd.DataFrame, np.ndarray]:
    """Historical loans (one row each) and whether they defaulted (1) within a year (about 8 %).

    Columns: ``income_k`` (yearly income, thousands), ``debt_ratio`` (debt payments / income),
    ``utilization`` (share of the credit limit in use), ``late_payments`` (in the two years before
    the application), ``tenure_years`` (years with the current employer), ``collection_calls`` and
    ``region`` ("urban" or "rural"). ``collection_calls`` counts the calls the collections team
    made AFTER the loan was granted: it is only large for loans that went on to default, so it
    leaks the label and is unknown when a new application is scored. Rural applicants make up
    ``rural_share`` of the rows (the historical sample was collected mostly in cities).
    """
    rng = np.random.default_rng(seed)
    income = np.round(rng.lognormal(np.log(55.0), 0.35, size=n), 1)
    debt_ratio = np.round(rng.beta(2.0, 5.0, size=n), 3)
    utilization = np.round(rng.beta(2.0, 3.0, size=n), 3)
    late = rng.poisson(0.6, size=n)
    tenure = np.round(rng.exponential(5.0, size=n), 1)
    rural = rng.random(n) < rural_share
    logit = (-6.3 + 6.5 * debt_ratio + 3.0 * utilization + 0.9 * late - 0.1 * tenure
             - 0.03 * (income - 55.0) + 0.3 * rural)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(int)
    calls = np.where(y == 1, 1 + rng.poisson(3.0, size=n), rng.poisson(0.04, size=n))
    X = pd.DataFrame({"income_k": income, "debt_ratio": debt_ratio, "utilization": utilization,
                      "late_payments": late, "tenure_years": tenure, "collection_calls": calls,
                      "region": np.where(rural, "rural", "urban")})
    return X, y


def minibatch_losses(X, y, learning_rate: float, epochs: int = 25, batch_size: int = 64,
                     seed: int = 0) -> np.ndarray:
    """Mini-batch gradient descent on the mean squared error of a linear model with intercept.

    Weights start at 0; every epoch visits the rows in a new seeded order in batches of
    ``batch_size``; after each epoch the MSE on all rows is recorded. Returns the ``epochs``
    losses (inf once the weights overflow). Deterministic for a given ``seed``.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    w, b = np.zeros(X.shape[1]), 0.0
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            order = rng.permutation(len(X))
            for start in range(0, len(X), batch_size):
                rows = order[start:start + batch_size]
                error = X[rows] @ w + b - y[rows]
                w = w - learning_rate * 2.0 * X[rows].T @ error / len(rows)
                b = b - learning_rate * 2.0 * error.mean()
            loss = float(np.mean((X @ w + b - y) ** 2))
            losses.append(loss if np.isfinite(loss) else np.inf)
    return np.array(losses)
