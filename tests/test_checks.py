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


def _heatmap(cm, *, swap_titles=False, counts=True, transpose_image=False):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.imshow(cm.T if transpose_image else cm, cmap="Blues")
    ax.set_xlabel("True label" if swap_titles else "Predicted label")
    ax.set_ylabel("Predicted label" if swap_titles else "True label")
    ax.set_xticks(range(2), labels=["neg", "pos"])
    ax.set_yticks(range(2), labels=["neg", "pos"])
    if counts:
        for i in range(2):
            for j in range(2):
                ax.text(j, i, str(cm[i, j]), ha="center", va="center")
    plt.close(fig)
    return ax


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({}, None), ({"swap_titles": True}, "swapped"), ({"counts": False}, "no numbers are written"), ({"transpose_image": True}, "transposed matrix"),
])
def test_annotated_heatmap(kwargs, fragment):
    cm = np.array([[50, 3], [7, 40]])
    check = lambda: checks.annotated_heatmap(  # noqa: E731
        _heatmap(cm, **kwargs), cm, "heat map", xlabel="Predicted label", ylabel="True label",
        xticklabels=["neg", "pos"], yticklabels=["neg", "pos"])
    if fragment is None:
        check()
    else:
        with pytest.raises(AssertionError, match=fragment):
            check()


def _always_equal_class():
    """The hostile suite's answer that claims to equal everything (one definition of it)."""
    from tests.support import hostile

    namespace: dict = {}
    exec(hostile.ALWAYS_EQUAL, namespace)
    return namespace["_Anything"]


_Anything = _always_equal_class()


class _AnyInt(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


def test_answers_that_equal_anything_are_judged_by_their_value():
    with pytest.raises(checks.CheckFailed):
        checks.answer(_Anything("a"), "B", "ABCD", "Question")
    checks.answer(_Anything("b"), "B", "ABCD", "Question")        # the right letter still passes
    with pytest.raises(checks.CheckFailed):
        checks.equal(_Anything("spam"), "ham", "label")
    with pytest.raises(checks.CheckFailed):
        checks.equal(_AnyInt(3), 4, "count")
    checks.equal(_AnyInt(4), 4, "count")
    checks.equal(np.int64(4), 4, "count")


def test_hidden_inputs_come_from_the_grading_runs_seed(monkeypatch):
    """Outside a grading run a hidden test's generator is seeded with its own salt (as the
    notebooks' fixed seeds were); in a run, with a number drawn from the run's seed."""
    monkeypatch.delenv(checks.SEED_VARIABLE, raising=False)
    checks.use_run_seed_from_environment()
    assert checks.hidden_seed(1201) == 1201
    assert checks.hidden_rng(1201).random() == np.random.default_rng(1201).random()
    seeds = {}
    for run in ("7", "8"):
        monkeypatch.setenv(checks.SEED_VARIABLE, run)
        checks.use_run_seed_from_environment()
        seeds[run] = (checks.hidden_seed(1201), checks.hidden_seed(1202))
        assert checks.hidden_seed(1201) == seeds[run][0]          # reproducible
    assert seeds["7"] != seeds["8"] and len(set(seeds["7"])) == 2 and 1201 not in seeds["7"]
    monkeypatch.delenv(checks.SEED_VARIABLE)
    checks.use_run_seed_from_environment()


def test_no_warnings_names_the_warning_and_returns_the_result():
    import warnings

    assert checks.no_warnings(lambda x: x + 1, 1, what="f(1)") == 2
    with pytest.raises(checks.CheckFailed, match="f\\(0\\): the call emitted RuntimeWarning: divide"):
        checks.no_warnings(lambda x: warnings.warn("divide by zero", RuntimeWarning), 0, what="f(0)")
