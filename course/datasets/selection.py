"""Data for algorithm selection: linear vs non-linear tabular tasks, clusters, PCA (assignment 02)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def tabular_tasks(n: int = 1000, seed: int = 202) -> dict[str, tuple[np.ndarray, ...]]:
    """Two binary tasks of ``n`` rows each, split 75 / 25 into train and test (stratified).

    ``"linear"``: scikit-learn's ``make_classification`` with 10 features, 4 of them informative and
    the classes separated by a plane (plus 2 % flipped labels). ``"non-linear"``: two concentric
    rings (``make_circles``) with 4 useless noise features appended, so that no plane separates
    the classes. Each value is ``(X_train, y_train, X_test, y_test)``, features standardised with
    the training rows' mean and spread.
    """
    from sklearn.datasets import make_circles, make_classification
    from sklearn.model_selection import train_test_split

    rng = np.random.default_rng(seed)
    X_lin, y_lin = make_classification(n_samples=n, n_features=10, n_informative=4, n_redundant=0,
                                       class_sep=1.2, flip_y=0.02, random_state=seed)
    X_ring, y_ring = make_circles(n_samples=n, noise=0.08, factor=0.5, random_state=seed)
    X_ring = np.column_stack([X_ring, rng.normal(size=(n, 4))])
    tasks = {}
    for name, (X, y) in (("linear", (X_lin, y_lin)), ("non-linear", (X_ring, y_ring))):
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y,
                                                            random_state=seed)
        mean, spread = X_train.mean(axis=0), X_train.std(axis=0)
        tasks[name] = ((X_train - mean) / spread, y_train, (X_test - mean) / spread, y_test)
    return tasks


def cluster_sets(seed: int = 203) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Two 2-D clustering problems with their true group labels.

    ``"blobs"``: 450 points in three round Gaussian blobs (``make_blobs``). ``"moons"``: 380 points
    on two interleaved half-moons (``make_moons``) plus 20 points scattered uniformly over the
    plane, whose true label is -1 (noise, as DBSCAN marks it). Rows are in random order.
    """
    from sklearn.datasets import make_blobs, make_moons

    rng = np.random.default_rng(seed)
    X_blobs, y_blobs = make_blobs(n_samples=450, centers=[[-3.0, 0.0], [2.0, 2.5], [2.5, -2.5]],
                                  cluster_std=0.9, random_state=seed)
    X_moons, y_moons = make_moons(n_samples=380, noise=0.06, random_state=seed)
    outliers = rng.uniform([-1.5, -1.0], [2.5, 1.5], size=(20, 2))
    X = np.vstack([X_moons, outliers])
    y = np.r_[y_moons, np.full(20, -1)]
    order = rng.permutation(len(y))
    return {"blobs": (X_blobs, y_blobs), "moons": (X[order], y[order])}


def digit_pixels() -> np.ndarray:
    """scikit-learn's bundled 8x8 digits: 1,797 images as rows of 64 pixel values (0-16)."""
    from sklearn.datasets import load_digits

    return load_digits().data.astype(float)


def candidate_table() -> pd.DataFrame:
    """Measured candidates for a card-fraud model (an illustrative table, not a benchmark).

    Indexed by model name, with ``accuracy`` (higher is better), ``train_seconds`` and
    ``latency_ms`` (per prediction; lower is better) and ``interpretability`` (0 = opaque,
    1 = every decision readable; higher is better).
    """
    return pd.DataFrame(
        {"accuracy": [0.912, 0.948, 0.951, 0.874],
         "train_seconds": [4.0, 95.0, 1800.0, 0.5],
         "latency_ms": [0.05, 0.9, 3.5, 0.01],
         "interpretability": [0.9, 0.4, 0.1, 1.0]},
        index=pd.Index(["logistic regression", "xgboost", "neural network", "rules"], name="model"))
