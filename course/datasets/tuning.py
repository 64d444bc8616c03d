"""Data for hyperparameter tuning: a small tabular task and tuning-job results (assignment 07)."""
from __future__ import annotations

import numpy as np
from sklearn.datasets import make_classification


def tuning_data(n_train: int = 500, n_val: int = 400, seed: int = 707
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A noisy binary table small enough to train XGBoost dozens of times in a few seconds.

    12 features, of which 6 are informative and 2 redundant; 10 % of the labels are flipped, so a
    deep or long-trained model fits noise and its validation score falls behind its training score.
    Returns ``(X_train, X_val, y_train, y_val)``: the first ``n_train`` rows train, the next
    ``n_val`` validate.
    """
    X, y = make_classification(n_samples=n_train + n_val, n_features=12, n_informative=6,
                               n_redundant=2, flip_y=0.1, class_sep=0.7, random_state=seed)
    return X[:n_train], X[n_train:], y[:n_train], y[n_train:]


def tuning_job_summaries(n_jobs: int = 12, seed: int = 708) -> list[dict]:
    """What ``ListTrainingJobsForHyperParameterTuningJob`` returns in ``TrainingJobSummaries``
    for one finished tuning job of the built-in XGBoost algorithm (objective validation:auc).

    Each summary holds ``TrainingJobName``, ``TrainingJobStatus`` (mostly ``Completed``; a few
    ``Failed`` or ``Stopped``), ``TunedHyperParameters`` (a dict of **strings**, as the API
    returns them) and, for jobs that reported their metric, a
    ``FinalHyperParameterTuningJobObjectiveMetric`` of ``MetricName`` and ``Value``. A failed job
    has no metric; one job stopped early by the tuner still reports the value it had reached. The
    best value belongs to a job that failed after writing a metric, which an approval gate must
    skip.
    """
    rng = np.random.default_rng(seed)
    summaries = []
    for index in range(n_jobs):
        eta = float(np.exp(rng.uniform(np.log(0.01), np.log(0.5))))
        depth = int(rng.integers(3, 11))
        subsample = float(rng.uniform(0.5, 1.0))
        auc = 0.80 + 0.06 * np.exp(-((np.log10(eta) + 0.8) ** 2) / 0.3) - 0.004 * abs(depth - 5)
        auc += float(rng.normal(0.0, 0.004))
        summary = {
            "TrainingJobName": f"xgb-hpo-0707-{index + 1:03d}-{rng.integers(16 ** 6):06x}",
            "TrainingJobStatus": "Completed",
            "TunedHyperParameters": {"eta": f"{eta:.4f}", "max_depth": str(depth),
                                     "subsample": f"{subsample:.3f}"},
            "FinalHyperParameterTuningJobObjectiveMetric": {"MetricName": "validation:auc",
                                                            "Value": round(float(auc), 4)},
        }
        summaries.append(summary)
    best = max(range(n_jobs), key=lambda i: summaries[i]["FinalHyperParameterTuningJobObjectiveMetric"]["Value"])
    summaries[best]["TrainingJobStatus"] = "Failed"          # wrote a metric, then crashed
    summaries[best]["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] = round(
        summaries[best]["FinalHyperParameterTuningJobObjectiveMetric"]["Value"] + 0.01, 4)
    others = [i for i in range(n_jobs) if i != best]
    failed, stopped = others[2], others[5]
    summaries[failed]["TrainingJobStatus"] = "Failed"
    del summaries[failed]["FinalHyperParameterTuningJobObjectiveMetric"]
    summaries[stopped]["TrainingJobStatus"] = "Stopped"
    return summaries
