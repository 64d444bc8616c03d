"""Data for training mechanics: mini-batch descent, early stopping, data-parallel scaling (assignment 05)."""
from __future__ import annotations

import numpy as np
import pandas as pd


def logistic_rows(n: int = 400, n_features: int = 4, n_informative: int = 4, noise_weight: float = 0.0,
                  seed: int = 505) -> tuple[np.ndarray, np.ndarray]:
    """Standardised features and 0/1 labels drawn from a logistic model with known weights.

    The first ``n_informative`` features carry the signal (weights between 0.8 and 2, alternating
    signs, bias -0.3); the others carry none, or ``noise_weight`` each if it is non-zero. With few
    rows and many useless features a model that trains long enough fits the noise, so its validation
    loss turns upwards: the situation early stopping is for.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features))
    weights = np.full(n_features, float(noise_weight))
    strong = np.linspace(2.0, 0.8, n_informative) * np.where(np.arange(n_informative) % 2 == 0, 1.0, -1.0)
    weights[:n_informative] = strong
    logits = X @ weights - 0.3
    y = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-logits))).astype(int)
    return X, y


def scaling_measurements(seed: int = 506) -> dict[str, pd.DataFrame]:
    """Seconds per training step "measured" on 1 to 64 GPUs, in two sweeps of one image model.

    Each sweep is a DataFrame with columns ``workers``, ``per_worker_batch`` and ``step_seconds``.
    The step time is the compute of one worker's batch plus a ring all-reduce of the 200 MB of
    gradients: 2 (N - 1) / N of the gradients cross the slowest link (300 GB/s inside one
    8-GPU instance, 12.5 GB/s between instances) and each of the 2 (N - 1) hops costs 4 ms of
    latency, with 1 % measurement noise. In "fixed per-worker batch" every worker keeps 64 images
    (the global batch grows); in "fixed global batch" 512 images are split across the workers, so
    the compute per worker shrinks while the communication grows and a large cluster gets slower.
    """
    rng = np.random.default_rng(seed)
    workers = np.array([1, 2, 4, 8, 16, 32, 64])
    gradient_gb, latency = 0.2, 0.004
    bandwidth = np.where(workers <= 8, 300.0, 12.5)
    communication = 2 * (workers - 1) / workers * gradient_gb / bandwidth + 2 * (workers - 1) * latency
    seconds_per_image = 0.0025
    sweeps = {}
    for name, per_worker in (("fixed per-worker batch", np.full(len(workers), 64)),
                             ("fixed global batch", 512 // workers)):
        step = per_worker * seconds_per_image + communication
        step = step * (1.0 + rng.normal(0.0, 0.01, size=len(workers)))
        sweeps[name] = pd.DataFrame({"workers": workers, "per_worker_batch": per_worker.astype(int),
                                     "step_seconds": np.round(step, 4)})
    return sweeps
