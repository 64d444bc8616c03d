"""Data for framing a problem and judging whether ML is feasible (assignment 01)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification


def signal_and_noise(n: int = 150, seed: int = 101) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Two small binary data sets of the same shape: ``(X_signal, y_signal, X_noise, y_noise)``.

    In the first, 2 of the 5 features decide the label (scikit-learn's ``make_classification``,
    10 % of the labels flipped at random), so a model can learn something. In the second, the
    5 features and the 0/1 labels are drawn independently: there is nothing to learn, and any
    score above the majority share is luck.
    """
    X_signal, y_signal = make_classification(n_samples=n, n_features=5, n_informative=2, n_redundant=0,
                                             n_clusters_per_class=1, flip_y=0.1, class_sep=1.0,
                                             random_state=seed)
    rng = np.random.default_rng(seed + 1)
    X_noise = rng.normal(size=(n, 5))
    y_noise = rng.integers(0, 2, size=n)
    return X_signal, y_signal, X_noise, y_noise


def label_budget(n: int = 1200, seed: int = 103) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Two labelled data sets for learning curves, ``{"hard": (X, y), "easy": (X, y)}``.

    In "hard" the label depends on all 10 features through 4 clusters per class, so a
    k-nearest-neighbours model keeps improving as rows are added; in "easy" 2 well-separated
    features decide it and the curve is flat after a couple of hundred rows.
    """
    X_hard, y_hard = make_classification(n_samples=n, n_features=10, n_informative=10, n_redundant=0,
                                         n_clusters_per_class=4, flip_y=0.0, class_sep=1.0, random_state=seed)
    X_easy, y_easy = make_classification(n_samples=n, n_features=4, n_informative=2, n_redundant=0,
                                         n_clusters_per_class=1, flip_y=0.03, class_sep=1.5,
                                         random_state=seed + 1)
    return {"hard": (X_hard, y_hard), "easy": (X_easy, y_easy)}


def shipping_orders(n: int = 600, seed: int = 104) -> pd.DataFrame:
    """Web-shop orders and whether each one shipped free: the shop's rule is
    ``free_shipping = order_total >= 50.00`` (dollars), so the target is a known, exact rule.

    Columns: ``order_total`` (dollars, rounded to cents), ``items`` (1-8), ``express`` (0/1),
    ``free_shipping`` (0/1). Totals cluster around the threshold, where a learned boundary errs.
    """
    rng = np.random.default_rng(seed)
    totals = np.round(np.clip(rng.normal(50.0, 14.0, size=n), 1.0, None), 2)
    items = np.clip(np.round(totals / 15 + rng.normal(0, 1, size=n)), 1, 8).astype(int)
    express = (rng.uniform(size=n) < 0.2).astype(int)
    return pd.DataFrame({"order_total": totals, "items": items, "express": express,
                         "free_shipping": (totals >= 50.0).astype(int)})


def support_contacts(n: int = 600, seed: int = 105) -> pd.DataFrame:
    """Subscribers described by three coarse features, and whether they cancelled.

    Columns: ``plan`` ("basic"/"plus"/"pro"), ``tenure_band`` (0-4, years), ``contacts`` (support
    calls last quarter, 0-3), ``cancelled`` (0/1). With only 60 possible feature rows, many
    customers share one and cancel or not for reasons the features do not hold: the same x comes
    with different y, so no model of these features can be always right.
    """
    rng = np.random.default_rng(seed)
    plan = rng.choice(["basic", "plus", "pro"], size=n, p=[0.5, 0.3, 0.2])
    tenure = rng.integers(0, 5, size=n)
    contacts = rng.integers(0, 4, size=n)
    logit = -1.0 + 0.7 * contacts - 0.4 * tenure + np.where(plan == "basic", 0.5, 0.0)
    cancelled = (rng.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame({"plan": plan, "tenure_band": tenure, "contacts": contacts, "cancelled": cancelled})
