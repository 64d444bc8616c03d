"""Data for regularization and fit: sparse signals, dropout, forgetting and replay (assignment 06)."""
from __future__ import annotations

import numpy as np


def sparse_signal(n: int = 300, n_features: int = 50, n_informative: int = 5, seed: int = 606
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardised features, 0/1 labels from a logistic model, and the true weights.

    Only the first ``n_informative`` of the ``n_features`` columns carry signal (weights 2.0 down
    to 0.8, alternating signs); every other weight is exactly 0. With few rows per feature an
    unpenalised model spreads weight over the useless columns, which is what L1 and L2 penalties
    are for. The rows are in random order.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features))
    weights = np.zeros(n_features)
    weights[:n_informative] = (np.linspace(2.0, 0.8, n_informative)
                               * np.where(np.arange(n_informative) % 2 == 0, 1.0, -1.0))
    y = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-(X @ weights)))).astype(int)
    return X, y, weights


def noisy_moons(n: int = 400, noise: float = 0.35, seed: int = 608) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half-moons in 2-D with label noise, for a small network that can overfit.

    Built with numpy only (the same shape as scikit-learn's ``make_moons``); the rows are in random
    order and the features are roughly centred.
    """
    rng = np.random.default_rng(seed)
    half = n // 2
    angle = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(angle[:half]), np.sin(angle[:half])])
    lower = np.column_stack([1.0 - np.cos(angle[half:]), 0.5 - np.sin(angle[half:])])
    X = np.vstack([upper, lower]) + rng.normal(0.0, noise, size=(n, 2)) - np.array([0.5, 0.25])
    y = np.r_[np.zeros(half, dtype=int), np.ones(n - half, dtype=int)]
    order = rng.permutation(n)
    return X[order], y[order]


def digit_tasks(seed: int = 607) -> dict[str, np.ndarray]:
    """scikit-learn's bundled 8x8 digits split into two tasks for incremental training.

    Task A holds the digits 0-4 and task B the digits 5-9. Each task has a training part and a test
    part (about two thirds / one third, drawn with ``seed``); the pixels are standardised with the
    mean and spread of all training rows. Keys: ``XA_train``, ``yA_train``, ``XA_test``,
    ``yA_test`` and the same for B.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data.astype(float), digits.target.astype(int)
    order = np.random.default_rng(seed).permutation(len(y))
    train, test = order[:1200], order[1200:]
    mean, spread = X[train].mean(axis=0), X[train].std(axis=0)
    spread[spread == 0] = 1.0
    X = (X - mean) / spread
    parts = {}
    for task, in_task in (("A", y < 5), ("B", y >= 5)):
        for name, rows in (("train", train), ("test", test)):
            chosen = rows[in_task[rows]]
            parts[f"X{task}_{name}"], parts[f"y{task}_{name}"] = X[chosen], y[chosen]
    return parts
