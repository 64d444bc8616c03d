"""Classification data: screening, fraud, ticket triage and search ranking (assignment 12)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, make_classification

from ._seed import SEED


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


def rare_condition_scores(n_negative: int = 2970, n_positive: int = 30, separation: float = 2.2,
                          seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Labels and model probabilities for a seeded screening test of a rare condition (1 = ill).

    The default is 1 % positives (30 of 3000). Each sample's hidden "signal" is standard normal,
    shifted by ``separation`` for the ill; the model's probability is a logistic function of it, so
    the scores are continuous (no ties) and between 0 and 1. Because the two score distributions do
    not depend on the class sizes, calling it again with ``n_negative == n_positive`` gives a
    balanced set scored by the *same* model: ROC-AUC barely changes, average precision does.
    Returns ``(y, scores)`` as NumPy arrays in shuffled order.
    """
    rng = np.random.default_rng(seed)
    y = np.concatenate([np.zeros(n_negative, dtype=int), np.ones(n_positive, dtype=int)])
    signal = rng.normal(size=y.size) + separation * y
    scores = 1.0 / (1.0 + np.exp(-(1.6 * signal - 5.2)))
    order = rng.permutation(y.size)
    return y[order], scores[order]
