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


# --- 14-fit-diagnosis-and-convergence -------------------------------------------------------


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
