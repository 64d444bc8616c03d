"""Tolerant checks with messages that teach.

Visible and hidden tests in the notebooks call these helpers instead of bare ``assert`` so that
every equivalent answer is accepted (Python or numpy scalars, lists, arrays, Series; float
tolerance; case and whitespace in choices) and every rejection says what was expected and, when
the wrong value matches a known mistake, which mistake it probably was.
"""
from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from numbers import Number
from typing import Any

import numpy as np

__all__ = ["CheckFailed", "close", "equal", "choice", "answer", "raises", "no_warnings", "passed",
           "is_finite_number", "annotated_heatmap"]


# The grader draws a seed per grading run and passes it in this variable, so that hidden tests
# see fresh inputs every run (a student who once saw them cannot hard-code their answers).
SEED_VARIABLE = "MDL_HIDDEN_SEED"
_run_seed: int | None = None


def use_run_seed_from_environment() -> None:
    """Read the grading run's seed (called at import, and by a kernel forked warm after its
    environment is set)."""
    global _run_seed
    value = os.environ.get(SEED_VARIABLE, "")
    _run_seed = int(value) if value.isdigit() else None


def hidden_seed(salt: int) -> int:
    """The seed a hidden test uses for its inputs: ``salt`` itself outside a grading run, else a
    number drawn from the run's seed and ``salt``."""
    if _run_seed is None:
        return int(salt)
    return int(np.random.SeedSequence([_run_seed, int(salt)]).generate_state(1)[0])


def hidden_rng(salt: int) -> np.random.Generator:
    """The random generator of one hidden test (see ``hidden_seed``)."""
    return np.random.default_rng(hidden_seed(salt))


use_run_seed_from_environment()


class CheckFailed(AssertionError):
    """Raised by every check; an AssertionError so that nbgrader counts it as a failed test."""


def _fail(message: str, hint: str | None = None) -> None:
    raise CheckFailed(message + (f"\nHint: {hint}" if hint else ""))


def _to_array(value: Any, what: str) -> np.ndarray:
    """Turn scalars, lists, tuples, arrays and pandas objects into a float array, or explain why not."""
    if value is None:
        _fail(f"{what}: got None. Did the function forget to `return` its result?")
    if isinstance(value, (str, bytes, Mapping)):
        _fail(f"{what}: expected a number or an array of numbers, got {type(value).__name__} {value!r}.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        _fail(f"{what}: expected numbers, got {type(value).__name__} {_short(value)}.")
    return array


def _plain(value: Any) -> Any:
    """The plain value inside a str or number, whatever a subclass says about equality (an
    answer whose ``__eq__`` returns True for anything must not pass)."""
    if isinstance(value, str):
        return str.__str__(value)
    return np.asarray(value).item()


def _short(value: Any, limit: int = 160) -> str:
    text = np.array2string(np.asarray(value), precision=4, threshold=12) if isinstance(
        value, (list, tuple, np.ndarray)) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _matches(actual: np.ndarray, expected: Any, rtol: float, atol: float) -> bool:
    try:
        target = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    if actual.shape != target.shape and not (actual.size == target.size == 1):
        return False
    return bool(np.allclose(actual.reshape(target.shape), target, rtol=rtol, atol=atol, equal_nan=True))


def close(actual: Any, expected: Any, what: str, *, rtol: float = 1e-6, atol: float = 1e-9,
          mistakes: Mapping[str, Any] | None = None, hint: str | None = None) -> None:
    """Check that ``actual`` equals ``expected`` up to float tolerance (scalars or arrays).

    ``mistakes`` maps a description of a known mistake to the value that mistake produces; when the
    answer matches one, the message names it.
    """
    got = _to_array(actual, what)
    want = np.asarray(expected, dtype=float)
    if got.size == want.size == 1:
        got, want = got.reshape(()), want.reshape(())
    elif got.shape != want.shape:
        _fail(f"{what}: expected shape {want.shape}, got shape {got.shape}.", hint)
    if np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
        return
    for description, wrong in (mistakes or {}).items():
        if _matches(got, wrong, rtol, atol):
            _fail(f"{what}: expected {_short(expected)}, got {_short(actual)}. "
                  f"That is what you get when {description}.", hint)
    _fail(f"{what}: expected {_short(expected)}, got {_short(actual)}.", hint)


def equal(actual: Any, expected: Any, what: str, *, mistakes: Mapping[str, Any] | None = None,
          hint: str | None = None) -> None:
    """Check exact equality (integers, strings, integer arrays); containers compare element-wise."""
    def same(a: Any, b: Any) -> bool:
        if isinstance(b, (Number, np.number)) and not isinstance(b, bool):
            return (isinstance(a, (int, float, complex, np.number))
                    and not isinstance(a, (bool, np.bool_)) and _plain(a) == b)
        if isinstance(b, str):
            return isinstance(a, str) and _plain(a) == b
        try:
            return np.array_equal(np.asarray(a), np.asarray(b))
        except (TypeError, ValueError):
            return False

    if actual is None and expected is not None:
        _fail(f"{what}: got None. Did the function forget to `return` its result?", hint)
    if same(actual, expected):
        return
    for description, wrong in (mistakes or {}).items():
        if same(actual, wrong):
            _fail(f"{what}: expected {_short(expected)}, got {_short(actual)}. "
                  f"That is what you get when {description}.", hint)
    _fail(f"{what}: expected {_short(expected)}, got {_short(actual)}.", hint)


def choice(answer: Any, options: str, what: str) -> str:
    """Normalise a multiple-choice answer ("b", " B ", "(B)", "B)") to one upper-case letter.

    Fails with a clear message when the answer is missing or not one of ``options``.
    """
    if answer is None or answer is Ellipsis:
        _fail(f"{what}: no answer yet. Set it to one of {', '.join(options)} (a string).")
    if not isinstance(answer, str):
        _fail(f"{what}: the answer must be a string such as \"{options[0]}\", got {type(answer).__name__}.")
    answer = _plain(answer)
    letter = answer.strip().strip("().:").strip().upper()
    if len(letter) != 1 or letter not in options.upper():
        _fail(f"{what}: {answer!r} is not one of the options {', '.join(options)}.")
    return letter


def answer(given: Any, correct: str, options: str, what: str,
           why: Mapping[str, str] | None = None) -> None:
    """Grade a multiple-choice answer; ``why`` explains, per wrong option, why it is wrong."""
    letter = choice(given, options, what)
    if letter != correct.upper():
        reason = (why or {}).get(letter, "")
        _fail(f"{what}: {letter} is not the best answer." + (f" {reason}" if reason else ""))


def raises(exception: type[BaseException], func: Callable[..., Any], *args: Any, what: str,
           **kwargs: Any) -> None:
    """Check that ``func(*args, **kwargs)`` raises ``exception`` (an input the contract rejects)."""
    try:
        result = func(*args, **kwargs)
    except exception:
        return
    except Exception as error:  # the wrong kind of error still teaches something
        _fail(f"{what}: expected {exception.__name__}, but got {type(error).__name__}: {error}")
    _fail(f"{what}: expected {exception.__name__}, but the call returned {_short(result)}.")


def no_warnings(func: Callable[..., Any], *args: Any, what: str, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)``, failing when it emits any warning. Output, warnings included,
    costs no points by itself (course.grader.scoring), so a contract that allows no warnings
    needs this check to say so."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = func(*args, **kwargs)
    if caught:
        _fail(f"{what}: the call emitted {caught[0].category.__name__}: {caught[0].message}. "
              "The contract allows no warnings.")
    return result


def is_finite_number(value: Any, what: str) -> float:
    """Return ``value`` as a float after checking it is one finite number (not an array, not NaN)."""
    array = _to_array(value, what)
    if array.size != 1:
        _fail(f"{what}: expected one number, got an array of shape {array.shape}.")
    number = float(array.reshape(()))
    if not math.isfinite(number):
        _fail(f"{what}: expected a finite number, got {number}.")
    return number


def annotated_heatmap(ax: Any, values: Any, what: str, *, xlabel: str, ylabel: str,
                      xticklabels: Any, yticklabels: Any) -> None:
    """Check a heat map drawn on ``ax``: axis titles, tick labels, orientation and written numbers.

    ``values[i, j]`` must sit in row ``i`` counted from the top and column ``j``, with the number
    written as text at data position ``(x=j, y=i)``. Axis titles compare case- and
    whitespace-insensitively; tick labels compare as ``str(label)``; the written numbers compare as
    numbers ("12", "12.0" and "1,200" all pass). The colour layer may be ``imshow`` or
    ``pcolormesh``; colours may be scaled, but an image of the transposed matrix is rejected.
    """
    from . import plots  # imported here so that checks.py does not need matplotlib

    plots.axes(ax, what)
    plots.titles(ax, what, x=xlabel, y=ylabel)
    grid = np.asarray(values, dtype=float)
    rows, cols = grid.shape

    for name, axis, labels, count in (("x", ax.xaxis, xticklabels, cols),
                                      ("y", ax.yaxis, yticklabels, rows)):
        positions = np.asarray(axis.get_ticklocs(), dtype=float)
        texts = [tick.get_text().strip() for tick in axis.get_ticklabels()]
        want = [str(label).strip() for label in labels]
        if (positions.shape != (count,) or not np.allclose(positions, np.arange(count))
                or texts != want):
            _fail(f"{what}: the {name}-axis should have one tick per class at positions 0..{count - 1} "
                  f"reading {want}; got positions {positions.tolist()} reading {texts}.",
                  "set positions and names together, e.g. ax.set_xticks(range(k), labels=names).")

    if not ax.yaxis_inverted():
        _fail(f"{what}: row 0 (the first class) should be at the top, as imshow draws it, but the "
              "y-axis runs upwards.", "with pcolormesh, call ax.invert_yaxis().")

    if ax.images:
        image = np.asarray(ax.images[0].get_array(), dtype=float)
        if image.shape != grid.shape:
            _fail(f"{what}: the coloured image has shape {image.shape}, the matrix {grid.shape}.")
        if not np.allclose(grid, grid.T) and np.allclose(image, grid.T):
            _fail(f"{what}: the coloured image shows the transposed matrix; row i of the matrix "
                  "must be row i of the picture.")
    elif not ax.collections:
        _fail(f"{what}: no coloured cells found; draw the matrix with ax.imshow (or pcolormesh).")

    written: dict[tuple[int, int], list[float]] = {}
    for text in ax.texts:
        x, y = text.get_position()
        try:
            number = float(text.get_text().replace(",", "").strip())
        except ValueError:
            continue
        written.setdefault((int(round(float(x))), int(round(float(y)))), []).append(number)
    if not written:
        _fail(f"{what}: no numbers are written in the cells.",
              "call ax.text(j, i, count) for every row i and column j.")

    def shows(i: int, j: int, number: float) -> bool:
        return any(math.isclose(value, number, rel_tol=1e-9, abs_tol=1e-9)
                   for value in written.get((j, i), []))

    missing = [(i, j) for i in range(rows) for j in range(cols) if not shows(i, j, grid[i, j])]
    if not missing:
        return
    if rows == cols and all(shows(i, j, grid[j, i]) for i in range(rows) for j in range(cols)):
        _fail(f"{what}: the numbers are transposed; the count of row i, column j belongs at "
              "x=j (column), y=i (row).")
    i, j = missing[0]
    _fail(f"{what}: cell (row {i}, column {j}) should show {grid[i, j]:g} at x={j}, y={i}; "
          f"found {written.get((j, i), 'nothing')} there ({len(missing)} cell(s) wrong or empty).")


def passed(visible: int, hidden: bool = True) -> None:
    """Say honestly what passing the visible checks means."""
    noun = "check" if visible == 1 else "checks"
    tail = " More checks with fresh inputs run when your notebook is graded." if hidden else ""
    print(f"\u2714 {visible} visible {noun} passed.{tail}")
