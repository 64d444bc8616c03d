"""Curves and training runs to diagnose fit and convergence (assignment 14)."""
from __future__ import annotations

import numpy as np


def wavy_regression(n: int = 400, noise: float = 0.5, seed: int = 1414
                    ) -> tuple[np.ndarray, np.ndarray]:
    """One feature in random order, a wave-shaped target and Gaussian noise of known size.

    The noise standard deviation fixes the best reachable MSE (noise**2), so learning curves can be
    read against a known floor: a straight line underfits the wave, an unpruned tree memorises the
    noise, and a smooth regularised model lands close to the floor.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3.0, 3.0, size=n)
    y = 2.0 * np.sin(1.5 * x) + 0.5 * x + rng.normal(0.0, noise, size=n)
    return x.reshape(-1, 1), y


def gradient_descent_data(n: int = 240, seed: int = 1415) -> tuple[np.ndarray, np.ndarray]:
    """Three features with different spreads and a linear target plus noise (noise MSE 0.25).

    The unequal spreads make the loss surface elongated, so one learning rate can be fine along one
    direction and unstable along another: divergence, oscillation and stalling all show up within
    a few dozen mini-batch steps.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)) * np.array([1.0, 2.0, 0.5])
    y = X @ np.array([2.0, -1.0, 0.5]) + 3.0 + rng.normal(0.0, 0.5, size=n)
    return X, y


def debugger_runs(seed: int = 1416, last_step: int = 100, every: int = 5) -> dict[str, dict]:
    """Tensors "recorded" every ``every`` steps by five simulated training jobs.

    Each run is ``{"gradients": {name: {step: array}}, "relu_output": {layer: {step: array of shape
    (samples, units)}}, "losses": {"train": {step: array}, "validation": {step: array}}}``; a loss is
    recorded as four per-batch values. The runs are built so that a known set of Debugger-style
    rules fires, each at a known first step: "healthy" (none), "vanishing" (gradients of the first
    layer collapse at step 30, after which the loss stops falling), "exploding" (gradients and
    losses grow from step 50, turn inf at 70 and NaN at 75), "overfitting" (the validation/train
    gap grows by 0.5 % per step) and "dead_relu" (12 of 16 units of relu_2 stop firing at step 20).
    """
    rng = np.random.default_rng(seed)
    steps = list(range(0, last_step + 1, every))

    def gradients(scale):
        return {f"dense_{layer}/weight": {s: rng.normal(0.0, scale(s, layer), size=shape) for s in steps}
                for layer, shape in ((1, (8, 16)), (2, (16, 1)))}

    def relu(dead_units):
        layers = {}
        for name in ("relu_1", "relu_2"):
            layers[name] = {}
            for s in steps:
                out = np.maximum(0.0, rng.normal(0.5, 1.0, size=(32, 16)))
                out[:, :dead_units(s, name)] = 0.0          # these units never fire
                layers[name][s] = out
        return layers

    def losses(train, gap):
        # Four per-batch losses around the step's mean; train and validation spread differently.
        return {"train": {s: train(s) * np.array([0.96, 0.99, 1.01, 1.04]) for s in steps},
                "validation": {s: train(s) * (1.0 + gap(s)) * np.array([1.03, 0.98, 1.01, 0.98])
                               for s in steps}}

    def healthy_loss(s):
        return 1.6 * np.exp(-0.02 * s) + 0.3

    def healthy_scale(s, layer):
        return 0.05 * np.exp(-0.01 * s)

    def exploding_loss(s):
        if s < 50:
            return healthy_loss(s)
        if s < 70:
            return healthy_loss(50) * 10.0 ** ((s - 50) / 5)
        return np.inf if s < 75 else np.nan

    exploding = gradients(healthy_scale)
    for series in exploding.values():
        for s in steps:
            if 50 <= s < 70:
                series[s] = series[s] * 10.0 ** ((s - 45) / 5)
            elif s >= 70:
                series[s] = np.full_like(series[s], np.inf if s < 75 else np.nan)

    return {
        "healthy": {"gradients": gradients(healthy_scale), "relu_output": relu(lambda s, n: 1),
                    "losses": losses(healthy_loss, lambda s: 0.05)},
        "vanishing": {"gradients": gradients(lambda s, layer: 0.05 if s < 30 or layer == 2 else 1e-9),
                      "relu_output": relu(lambda s, n: 1),
                      "losses": losses(lambda s: healthy_loss(min(s, 30)), lambda s: 0.05)},
        "exploding": {"gradients": exploding, "relu_output": relu(lambda s, n: 1),
                      "losses": losses(exploding_loss, lambda s: 0.05)},
        "overfitting": {"gradients": gradients(healthy_scale), "relu_output": relu(lambda s, n: 1),
                        "losses": losses(lambda s: 1.5 * np.exp(-0.03 * s) + 0.05,
                                         lambda s: 0.03 + 0.005 * s)},
        "dead_relu": {"gradients": gradients(healthy_scale),
                      "relu_output": relu(lambda s, n: 12 if n == "relu_2" and s >= 20 else 4),
                      "losses": losses(healthy_loss, lambda s: 0.05)},
    }
