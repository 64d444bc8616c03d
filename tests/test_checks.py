"""The check helpers accept every equivalent answer and reject wrong ones with a teaching message."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from course import checks


@pytest.mark.parametrize("answer", [0.75, np.float32(0.75), np.float64(0.75), [0.75], np.array(0.75), 3 / 4])
def test_close_accepts_equivalent_scalars(answer):
    checks.close(answer, 0.75, "precision")


@pytest.mark.parametrize("answer", [[1, 2, 3], (1.0, 2.0, 3.0), np.array([1, 2, 3]), pd.Series([1, 2, 3])])
def test_close_accepts_equivalent_arrays(answer):
    checks.close(answer, np.array([1.0, 2.0, 3.0]), "tpr")


def test_close_names_the_known_mistake():
    with pytest.raises(AssertionError, match="swap precision and recall"):
        checks.close(0.8, 0.75, "precision", mistakes={"you swap precision and recall": 0.8})


@pytest.mark.parametrize(("answer", "fragment"), [
    (None, "forget to `return`"), ("0.75", "expected a number"), ([0.75, 0.1], "shape"), (0.7, "expected 0.75"),
])
def test_close_rejects_with_a_reason(answer, fragment):
    with pytest.raises(AssertionError, match=fragment):
        checks.close(answer, 0.75, "precision")


def test_equal_is_strict_about_type_of_numbers():
    checks.equal(np.int64(3), 3, "count")
    with pytest.raises(AssertionError):
        checks.equal(True, 1, "count")
    with pytest.raises(AssertionError, match="transpose"):
        checks.equal(np.array([[1, 2], [3, 4]]).T, np.array([[1, 2], [3, 4]]), "cm",
                     mistakes={"you transpose the matrix": np.array([[1, 3], [2, 4]])})


@pytest.mark.parametrize("given", ["B", "b", " B ", "(B)", "B)", "b."])
def test_choice_normalises(given):
    assert checks.choice(given, "ABCD", "Q1") == "B"
    checks.answer(given, "B", "ABCD", "Q1")


@pytest.mark.parametrize("given", [None, ..., 2, "E", "BC", ""])
def test_choice_rejects_malformed(given):
    with pytest.raises(AssertionError):
        checks.choice(given, "ABCD", "Q1")


def test_answer_explains_the_wrong_option():
    with pytest.raises(AssertionError, match="recall matters"):
        checks.answer("A", "B", "ABCD", "Q1", why={"A": "In screening, recall matters most."})


def test_raises():
    checks.raises(ValueError, int, "x", what="int('x')")
    with pytest.raises(AssertionError, match="returned"):
        checks.raises(ValueError, int, "3", what="int('3')")
    with pytest.raises(AssertionError, match="got TypeError"):
        checks.raises(ValueError, len, 3, what="len(3)")


def test_passed_is_honest_about_hidden_checks(capsys):
    checks.passed(2)
    assert "2 visible checks passed" in capsys.readouterr().out
