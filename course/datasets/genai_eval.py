"""Data for evaluating generative AI: text pairs, token vectors, pre-recorded human and judge
verdicts (assignment 20).

Nothing here calls a model: the "embeddings" are seeded random vectors built so that words with
the same meaning lie close together, and every human or LLM-judge verdict was drawn once from a
fixed-seed simulation, so a notebook sees the same numbers on every machine.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

# One reference summary and candidate outputs that fool the n-gram metrics in opposite ways.
SUMMARY_REFERENCE = "the storm closed the airport for two days and cancelled many flights"
SUMMARY_CANDIDATES = {
    "faithful": "the storm closed the airport for two days and many flights were cancelled",
    "paraphrase": "a tempest shut down the terminal for 48 hours grounding numerous planes",
    "word salad": "flights the for days many closed storm two airport the and cancelled",
    "wrong fact": "the storm closed the airport for two hours and cancelled many flights",
}

# Meaning groups: words in one group get nearby vectors (a stand-in for contextual embeddings).
_GROUPS = [
    ["storm", "tempest"], ["closed", "shut", "down"], ["airport", "terminal"],
    ["two", "48"], ["days", "hours"], ["cancelled", "grounding"], ["many", "numerous"],
    ["flights", "planes"], ["the", "a"], ["for"], ["and"], ["were"],
]


def token_vectors(dim: int = 16, spread: float = 0.35, seed: int = 2001) -> dict[str, np.ndarray]:
    """A vector of length ``dim`` for every word of the summary example.

    Each meaning group has a random centre; a word's vector is its centre plus Gaussian noise of
    scale ``spread`` (so synonyms have a high cosine similarity, unrelated words a low one).
    """
    rng = np.random.default_rng(seed)
    vectors = {}
    for group in _GROUPS:
        centre = rng.normal(size=dim)
        for word in group:
            vectors[word] = centre + spread * rng.normal(size=dim)
    return vectors


def embed(text: str, vectors: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """The token vectors of ``text`` stacked in word order, shape (n_words, dim)."""
    table = token_vectors() if vectors is None else vectors
    return np.array([table[word] for word in text.split()])


QUALITY_LABELS = ("good", "acceptable", "poor")


def human_ratings(n: int = 120, seed: int = 2002) -> pd.DataFrame:
    """Pre-recorded quality labels of ``n`` chatbot answers by two human raters and an LLM judge.

    Columns: ``answer_id``, ``rater_1``, ``rater_2``, ``judge`` with labels from QUALITY_LABELS.
    Each answer has a hidden true quality; a human keeps it with probability 0.8 (else picks
    another label), the judge with probability 0.7 and, when it errs, prefers "good" (a lenient
    judge).
    """
    rng = np.random.default_rng(seed)
    labels = np.array(QUALITY_LABELS)
    truth = rng.choice(3, size=n, p=[0.45, 0.35, 0.20])

    def rater(keep: float, lenient: bool) -> np.ndarray:
        out = truth.copy()
        wrong = rng.uniform(size=n) >= keep
        for i in np.flatnonzero(wrong):
            others = [k for k in range(3) if k != truth[i]]
            out[i] = 0 if lenient and truth[i] != 0 else rng.choice(others)
        return labels[out]

    return pd.DataFrame({"answer_id": np.arange(n), "rater_1": rater(0.8, False),
                         "rater_2": rater(0.8, False), "judge": rater(0.7, True)})


def pairwise_judgements(n: int = 200, seed: int = 2003) -> pd.DataFrame:
    """Pre-recorded pairwise verdicts on ``n`` prompts answered by model X and model Y.

    Columns: ``prompt_id``; ``first`` (which model's answer was shown first, "X" or "Y");
    ``verdict_original`` ("A" = the first-shown answer is better, "B" = the second, "tie") and
    ``verdict_swapped`` (the same pair judged again with the answers in the other order, so "A"
    now means the answer that was shown second before); ``human`` (the better model by a human
    panel, "X" or "Y"). The simulated judge prefers whichever answer it reads first in about one
    pair out of five.
    """
    rng = np.random.default_rng(seed)
    human = np.where(rng.uniform(size=n) < 0.62, "X", "Y")
    first = np.where(rng.uniform(size=n) < 0.5, "X", "Y")

    def verdict(shown_first: np.ndarray) -> np.ndarray:
        honest = np.where(human == shown_first, "A", "B")
        noisy = rng.uniform(size=n)
        out = np.where(noisy < 0.2, "A", honest)                    # position bias: the first wins
        return np.where((noisy >= 0.2) & (noisy < 0.27), "tie", out)

    other = np.where(first == "X", "Y", "X")
    return pd.DataFrame({"prompt_id": np.arange(n), "first": first,
                         "verdict_original": verdict(first), "verdict_swapped": verdict(other),
                         "human": human})
