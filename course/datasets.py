"""Offline, deterministic data sets for the notebooks and the tests.

Everything comes from scikit-learn's bundled data or from generators with a fixed seed, so a
notebook gives the same numbers on every machine and never touches the network.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, make_classification

SEED = 2024


def breast_cancer_screening() -> tuple[pd.DataFrame, pd.Series]:
    """The Wisconsin breast-cancer set with ``malignant`` = 1 as the positive (screened-for) class.

    scikit-learn codes benign as 1; screening questions read better with the disease as positive.
    """
    bunch = load_breast_cancer(as_frame=True)
    y = (bunch.target == 0).astype(int).rename("malignant")
    return bunch.data, y


def fraud_transactions(n: int = 4000, fraud_rate: float = 0.02, seed: int = SEED
                       ) -> tuple[pd.DataFrame, pd.Series]:
    """A seeded, heavily imbalanced fraud-detection table (label 1 = fraud)."""
    X, y = make_classification(n_samples=n, n_features=8, n_informative=4, n_redundant=2,
                               weights=[1 - fraud_rate], class_sep=0.9, flip_y=0.005,
                               random_state=seed)
    columns = [f"f{i}" for i in range(X.shape[1])]
    return pd.DataFrame(X, columns=columns), pd.Series(y, name="fraud")


TICKET_QUEUES = ("billing", "outage", "security")


def ticket_triage(n: int = 600, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """True and predicted queues (strings) for a simulated support-ticket router.

    Three classes with very different sizes (about 80 % billing, 15 % outage, 5 % security); the
    simulated router is good on the two common queues and misses most security tickets. That is
    the situation where micro-averaged F1 (dominated by the big classes) looks healthy while
    macro-averaged F1 (every class weighs the same) exposes the rare class.
    """
    rng = np.random.default_rng(seed)
    queues = np.array(TICKET_QUEUES)
    y_true = rng.choice(queues, size=n, p=[0.80, 0.15, 0.05])
    # Row = true queue, column = probability of each predicted queue.
    routing = {"billing": [0.95, 0.04, 0.01],
               "outage": [0.15, 0.80, 0.05],
               "security": [0.55, 0.15, 0.30]}
    y_pred = np.array([rng.choice(queues, p=routing[label]) for label in y_true])
    return y_true, y_pred


def search_rankings(n_queries: int = 4, n_docs: int = 10, seed: int = SEED
                    ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Graded relevance judgements (0-3) and model scores for a few simulated search queries.

    Returns one ``(relevance, scores)`` pair per query. Ranking metrics (MAP, NDCG) need several
    queries whose ideal order is known; the scores are continuous, so no two documents of a query
    share a score and a hand-written metric agrees exactly with scikit-learn (no ties to break).
    Every query has at least one relevant document.
    """
    rng = np.random.default_rng(seed)
    queries = []
    for _ in range(n_queries):
        relevance = rng.choice([0, 1, 2, 3], size=n_docs, p=[0.50, 0.25, 0.15, 0.10])
        if not relevance.any():
            relevance[rng.integers(n_docs)] = 1
        scores = 0.6 * relevance + rng.normal(0.0, 0.8, size=n_docs)
        queries.append((relevance.astype(int), scores))
    return queries


# --- 13-regression-metrics-and-baselines ----------------------------------------------------

def diabetes_progression() -> tuple[pd.DataFrame, pd.Series]:
    """scikit-learn's bundled diabetes set (442 patients) in its original units.

    The target is a disease-progression score one year after the measurements. Original units
    (age in years, BMI in kg/m², blood pressure in mm Hg, ...) keep one-rule thresholds readable.
    """
    from sklearn.datasets import load_diabetes

    bunch = load_diabetes(as_frame=True, scaled=False)
    return bunch.data, bunch.target.rename("progression")


def delivery_predictions(n: int = 400, storm_rate: float = 0.03, seed: int = SEED) -> pd.DataFrame:
    """Actual delivery times (minutes) of ``n`` orders and the predictions of two models.

    A few orders (about ``storm_rate``) are caught in a storm and arrive 40-70 minutes late: the
    outliers. ``precise`` follows the live traffic closely (errors of about a minute) but knows
    nothing about storms, so it misses those orders completely; ``cautious`` uses the weather
    forecast and catches most of each storm delay, but its everyday estimates are rough (errors
    of about 5 minutes). The two models therefore rank differently under MAE (precise wins) and
    RMSE (cautious wins).
    """
    rng = np.random.default_rng(seed)
    distance = rng.uniform(0.5, 8.0, size=n).round(1)
    usual = 12.0 + 3.5 * distance + rng.normal(0.0, 3.0, size=n)
    storm = rng.random(n) < storm_rate
    delay = np.where(storm, rng.uniform(40.0, 70.0, size=n), 0.0)
    actual = usual + delay
    precise = usual + rng.normal(0.0, 1.2, size=n)
    cautious = actual - 0.2 * delay + rng.normal(0.0, 5.0, size=n)
    return pd.DataFrame({"distance_km": distance, "storm": storm, "actual_minutes": actual.round(1),
                         "precise": precise.round(1), "cautious": cautious.round(1)})


# --- 14-fit-diagnosis-and-convergence -------------------------------------------------------

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


# --- 15-bias-and-explainability -------------------------------------------------------------

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



# --- 16-experiments-shadow-and-tradeoffs ----------------------------------------------------

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
