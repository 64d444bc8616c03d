"""Data for ensembles: bagging, boosting, stacking and what ensembles cost (assignment 08)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def churn_customers(n: int = 600, seed: int = 801) -> tuple[np.ndarray, np.ndarray]:
    """A seeded binary classification table: 10 features of customers, 1 = the customer left.

    Built with scikit-learn's ``make_classification``: 5 informative features, 2 redundant ones
    (mixtures of the informative ones), 3 of pure noise, two clusters per class and 8 % of the
    labels flipped at random, so a single deep tree overfits and ensembles have room to help. The
    rows are in random order.
    """
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=n, n_features=10, n_informative=5, n_redundant=2,
                               n_clusters_per_class=2, flip_y=0.08, class_sep=0.9,
                               random_state=seed)
    return X, y.astype(int)


def noisy_wave(n: int = 120, noise: float = 0.35, seed: int = 802) -> tuple[np.ndarray, np.ndarray]:
    """One feature ``x`` in [0, 6] and a target ``sin(x) + x / 4`` plus Gaussian noise.

    Small and noisy on purpose: a fully grown regression tree fitted to it changes a lot from one
    training sample to the next (high variance), which is what bagging averages away. ``X`` has
    shape (n, 1).
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 6.0, size=n))
    y = np.sin(x) + x / 4 + rng.normal(0.0, noise, size=n)
    return x.reshape(-1, 1), y


def wave_truth(x: np.ndarray) -> np.ndarray:
    """The noise-free curve of ``noisy_wave`` at ``x``."""
    x = np.asarray(x, dtype=float).reshape(-1)
    return np.sin(x) + x / 4


def ensemble_costs() -> pd.DataFrame:
    """Accuracy and cost of six candidate models for one churn service, as measured on a
    reference machine: held-out ``accuracy``, median ``latency_ms`` for one request of 100 rows
    and the pickled ``size_mb``. (The notebook measures its own models too; timings vary from
    machine to machine, which is why the graded exercise takes measurements as its input.)
    """
    return pd.DataFrame({
        "model": ["logistic regression", "one deep tree", "bagged trees (50)", "random forest (200)",
                  "XGBoost (300 rounds)", "stack of three"],
        "accuracy": [0.842, 0.808, 0.861, 0.874, 0.879, 0.881],
        "latency_ms": [0.15, 0.12, 2.9, 9.8, 1.1, 12.4],
        "size_mb": [0.002, 0.06, 3.1, 11.5, 0.45, 14.9],
    })
