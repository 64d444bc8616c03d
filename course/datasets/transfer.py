"""Data for transfer learning and fine-tuning: a source task and a related target task (assignment 11)."""
from __future__ import annotations

import numpy as np


def digit_transfer_tasks(seed: int = 1101) -> dict[str, np.ndarray]:
    """scikit-learn's bundled 8x8 digits as a source task and a related, smaller target task.

    After a seeded shuffle, the first 900 images are the source task: which digit it is (0-9).
    The other images are the target task, a new question about new images: is the digit a prime
    (2, 3, 5 or 7: label 1) or not (label 0)? They are split into a training pool (the first 500)
    and a test part (the rest). The pixels are scaled to [0, 1] (divided by 16). Keys:
    ``X_source``, ``y_source``, ``X_target_pool``, ``y_target_pool``, ``X_target_test``,
    ``y_target_test``.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    X, y = digits.data.astype(float) / 16.0, digits.target.astype(int)
    order = np.random.default_rng(seed).permutation(len(y))
    X, y = X[order], y[order]
    Xt, yt = X[900:], np.isin(y[900:], (2, 3, 5, 7)).astype(int)
    return {"X_source": X[:900], "y_source": y[:900],
            "X_target_pool": Xt[:500], "y_target_pool": yt[:500],
            "X_target_test": Xt[500:], "y_target_test": yt[500:]}


def support_pairs() -> list[tuple[str, str]]:
    """Six (prompt, completion) pairs of a made-up support desk, to write as fine-tuning data."""
    return [("How do I reset my password?", "Open Settings, choose Security, then Reset password."),
            ("Where can I download my invoice?", "Invoices are under Billing > History as PDF files."),
            ("Can I change my plan mid-month?", "Yes; the difference is prorated on the next invoice."),
            ("How do I add a team member?", "Go to Team, click Invite and enter their work email."),
            ("Is my data encrypted at rest?", "Yes, every stored file is encrypted with AES-256."),
            ("How do I close my account?", "Contact support from the account email to confirm.")]
