"""Data for interpretability and SageMaker's built-in algorithms (assignment 03)."""
from __future__ import annotations

import numpy as np
import pandas as pd

LOAN_FEATURES = ("income_k", "debt_ratio", "years_employed", "late_payments", "credit_lines")


def loan_defaults(n: int = 1600, seed: int = 303) -> tuple[pd.DataFrame, pd.Series]:
    """Seeded loan applications and whether each loan defaulted (1 = default).

    Five features on very different scales: yearly income in thousands, debt-to-income ratio
    (0-1), years in the current job, late payments in the last two years (a count) and open
    credit lines. Most of the risk is a logistic function of the features, so a linear model
    reads it well; part of it is not: the risk jumps when a high debt ratio meets two or more
    late payments, drops steeply above an income of 90 thousand, and is lowest for a middling
    number of credit lines. A flexible model (gradient boosting) picks those up and beats a
    logistic regression or a depth-2 tree by several points of accuracy: the price of
    interpretability, measured.
    """
    rng = np.random.default_rng(seed)
    income = np.round(np.clip(rng.lognormal(np.log(55.0), 0.4, n), 12.0, 250.0), 1)
    debt = np.round(np.clip(rng.beta(2.2, 3.5, n), 0.01, 0.98), 3)
    years = np.round(np.clip(rng.gamma(2.0, 3.0, n), 0.0, 40.0), 1)
    late = np.minimum(rng.poisson(0.9, n), 8)
    lines = np.maximum(1, rng.poisson(4.0, n))
    logit = (-0.018 * (income - 55.0) + 3.2 * (debt - 0.38) - 0.06 * (years - 6.0)
             + 0.35 * late - 0.05 * (lines - 4))
    logit += 5.0 * (((debt > 0.45) & (late >= 2)) - 0.2)      # an interaction a line cannot draw
    logit -= 4.0 * ((income > 90.0) - 0.1)                    # a step in income
    logit += (lines - 4) ** 2 / 4 - 1                         # too few or too many credit lines
    y = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-logit))).astype(int)
    X = pd.DataFrame({"income_k": income, "debt_ratio": debt, "years_employed": years,
                      "late_payments": late.astype(int), "credit_lines": lines.astype(int)})
    return X, pd.Series(y, name="default")


# The problems of Exercise 5: a fixed vocabulary, one description each.
BUILTIN_PROBLEMS: dict[str, str] = {
    "tabular-nonlinear": "classification or regression on tabular rows with non-linear effects and interactions",
    "tabular-linear": "a fast linear model (binary, multi-class or regression) on tabular rows",
    "nearest-neighbours": "classify or regress a row by the labels of its k most similar training rows",
    "sparse-click-prediction": "click or rating prediction from very sparse, high-dimensional user x item features",
    "clustering": "group unlabelled rows into k clusters",
    "dimensionality-reduction": "reduce many correlated numeric columns to a few components",
    "anomaly-detection": "score unusual rows or points in a stream, without labels",
    "ip-address-anomaly": "flag a user or account logging in from an unusual IP address",
    "topic-modelling-gpu": "discover topics in a document collection, trained on GPU instances",
    "topic-modelling-cpu": "discover topics with a classic probabilistic model (not a neural network), on one CPU instance",
    "time-series-forecasting": "forecast many related time series (probabilistic forecasts)",
    "word-embeddings": "learn vector representations (Word2Vec) of the words in a text corpus",
    "text-classification": "assign labels to short texts, one sentence per line",
    "translation": "turn a sequence of tokens into another sequence (translation, summarization)",
    "pair-embeddings": "learn embeddings of pairs of objects (user-item, sentence-sentence) from JSON Lines",
    "image-classification": "assign one label to a whole image",
    "object-detection": "find and box the objects in an image",
    "semantic-segmentation": "label every pixel of an image with a class",
}
