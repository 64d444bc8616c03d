"""Data for model size and compression: quantisation, pruning, distillation, feature selection (assignment 09)."""
from __future__ import annotations

import numpy as np


def digit_images(seed: int = 909) -> dict[str, np.ndarray]:
    """scikit-learn's bundled 8x8 digits (10 classes, 64 pixel features) for a small network.

    The rows are shuffled with ``seed`` and split into 1200 training and 597 test rows; the pixel
    values 0..16 are divided by 16, so every feature lies in [0, 1]. Keys: ``X_train``,
    ``y_train``, ``X_test``, ``y_test``.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data.astype(float) / 16.0, digits.target.astype(int)
    order = np.random.default_rng(seed).permutation(len(y))
    train, test = order[:1200], order[1200:]
    return {"X_train": X[train], "y_train": y[train], "X_test": X[test], "y_test": y[test]}


def machine_faults(n: int = 1500, n_features: int = 40, n_informative: int = 6,
                   seed: int = 910) -> tuple[np.ndarray, np.ndarray]:
    """Seeded sensor readings of machines and a 0/1 label (1 = the machine failed within a week).

    Built with scikit-learn's ``make_classification``: ``n_informative`` columns carry the
    signal, 4 more are linear mixtures of them and the rest are noise; the columns are shuffled,
    so the useful ones are not the first. About 40 % of the rows are failures and 3 % of the
    labels are flipped. A model needs only a few of the columns, which is what feature selection
    and distillation exploit.
    """
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=n, n_features=n_features, n_informative=n_informative,
                               n_redundant=4, n_clusters_per_class=3, weights=[0.6], flip_y=0.03,
                               class_sep=1.0, shuffle=True, random_state=seed)
    return X, y.astype(int)
