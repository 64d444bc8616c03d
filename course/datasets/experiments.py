"""Experiments, shadow traffic and training trade-offs (assignment 16)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification

from ._seed import SEED


def experiment_data(n: int = 600, seed: int = SEED) -> tuple[pd.DataFrame, pd.Series]:
    """A small, noisy binary table for the reproducibility exercises (label 1 = churned).

    The label noise (``flip_y``) and the small size make a random forest's test accuracy move by
    a few points from one random split or seed to the next, so an unseeded run visibly fails to
    reproduce while a seeded one repeats to the last digit.
    """
    X, y = make_classification(n_samples=n, n_features=10, n_informative=5, n_redundant=2,
                               flip_y=0.08, class_sep=0.8, random_state=seed)
    columns = [f"x{i}" for i in range(X.shape[1])]
    return pd.DataFrame(X, columns=columns), pd.Series(y, name="churned")


def shadow_traffic(n: int = 3000, seed: int = SEED) -> pd.DataFrame:
    """Logged requests of a production and a shadow variant that received the same traffic.

    One row per request: ``label`` (0/1; NaN when the true outcome has not arrived yet, about a
    quarter of the rows), each variant's score (NaN when that variant failed), latency in
    milliseconds (recorded for failed requests too) and an error flag. Both scores share a
    per-request "difficulty" term, so the two variants' errors are correlated, as they are for
    two models answering the same requests: that is why the comparison must be paired. The shadow
    model is slightly more accurate and faster at the median, but a rare slow path gives it a
    heavy latency tail — the case where a median hides what a p99 reveals.
    """
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.35).astype(int)
    sign = 2 * y - 1
    difficulty = rng.normal(0.0, 1.0, n)
    prod_score = 1 / (1 + np.exp(-(1.10 * sign + 0.9 * difficulty + rng.normal(0, 0.8, n) - 0.2)))
    shadow_score = 1 / (1 + np.exp(-(1.25 * sign + 0.9 * difficulty + rng.normal(0, 0.8, n) - 0.2)))
    prod_latency = 80.0 * np.exp(rng.normal(0.0, 0.30, n))
    shadow_latency = 65.0 * np.exp(rng.normal(0.0, 0.35, n))
    slow_path = rng.random(n) < 0.02
    shadow_latency[slow_path] += rng.uniform(200.0, 450.0, slow_path.sum())
    prod_error = rng.random(n) < 0.010
    shadow_error = rng.random(n) < 0.006
    prod_score[prod_error] = np.nan
    shadow_score[shadow_error] = np.nan
    label = y.astype(float)
    label[rng.random(n) < 0.25] = np.nan
    return pd.DataFrame({
        "request_id": np.arange(1, n + 1),
        "label": label,
        "prod_score": prod_score.round(4),
        "shadow_score": shadow_score.round(4),
        "prod_latency_ms": prod_latency.round(1),
        "shadow_latency_ms": shadow_latency.round(1),
        "prod_error": prod_error,
        "shadow_error": shadow_error,
    })


def training_candidates() -> pd.DataFrame:
    """Candidate models for one tabular problem: validation accuracy, training hours and the
    on-demand price of the training job's instances in USD per hour.

    The prices are illustrative (close to SageMaker on-demand list prices in one region at one
    time), not a quote. The table is built so that the interesting cases occur: a model that is
    dominated on every objective, two models with equal accuracy where the GPU one is both faster
    and cheaper, a cheap fast model that only wins on time and cost, and a distributed job that
    buys time with money (on the three-objective front, yet dominated on accuracy and cost alone).
    ``usd_per_hour`` is the price of all instances of the job together.
    """
    rows = [
        ("logistic-regression", "ml.m5.large", 0.861, 1.0, 0.115),
        ("knn", "ml.m5.large", 0.874, 0.5, 0.115),
        ("random-forest-200", "ml.m5.2xlarge", 0.902, 6.0, 0.461),
        ("xgboost-300", "ml.m5.xlarge", 0.914, 5.0, 0.230),
        ("xgboost-300-4-nodes", "4 x ml.m5.xlarge", 0.914, 1.5, 0.920),
        ("mlp-3-layers", "ml.g4dn.xlarge", 0.908, 8.0, 0.736),
        ("xgboost-1000", "ml.m5.4xlarge", 0.921, 12.0, 0.922),
        ("xgboost-1000-gpu", "ml.g4dn.xlarge", 0.921, 3.0, 0.736),
        ("tab-transformer", "ml.g5.2xlarge", 0.925, 30.0, 1.515),
        ("stacked-ensemble", "ml.m5.4xlarge", 0.931, 60.0, 0.922),
    ]
    return pd.DataFrame(rows, columns=["name", "instance_type", "accuracy", "train_hours", "usd_per_hour"])


def serving_candidates() -> pd.DataFrame:
    """The candidates of ``training_candidates()`` with what it costs to serve each of them.

    Added columns: ``serving_instance`` (the real-time endpoint's instance type),
    ``instance_usd_per_hour`` (the price of one such instance per hour) and
    ``max_rps_per_instance`` (the requests per second one instance sustains for that model).
    The prices and throughputs are **made-up example numbers** for teaching, not quotes or
    benchmarks. They are chosen so that the cheapest model to train (k-nearest neighbours, which
    compares every request with the stored training rows) is among the dearest to serve, and a
    model that costs more to train but predicts fast on a small instance is the cheapest to own.
    """
    serving = {
        "logistic-regression": ("ml.c5.large", 0.10, 400.0),
        "knn": ("ml.c5.2xlarge", 0.41, 15.0),
        "random-forest-200": ("ml.c5.xlarge", 0.20, 60.0),
        "xgboost-300": ("ml.c5.large", 0.10, 150.0),
        "xgboost-300-4-nodes": ("ml.c5.large", 0.10, 150.0),
        "mlp-3-layers": ("ml.c5.xlarge", 0.20, 120.0),
        "xgboost-1000": ("ml.c5.xlarge", 0.20, 80.0),
        "xgboost-1000-gpu": ("ml.c5.xlarge", 0.20, 80.0),
        "tab-transformer": ("ml.g4dn.xlarge", 0.74, 100.0),
        "stacked-ensemble": ("ml.c5.2xlarge", 0.41, 20.0),
    }
    table = training_candidates()
    extra = pd.DataFrame([serving[name] for name in table["name"]],
                         columns=["serving_instance", "instance_usd_per_hour", "max_rps_per_instance"])
    return pd.concat([table, extra], axis=1)
