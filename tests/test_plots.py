"""The plot readers accept every standard way to draw the same thing (course.plots)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import plots  # noqa: E402
from course.checks import CheckFailed  # noqa: E402


@pytest.fixture
def ax():
    figure, axes = plt.subplots()
    yield axes
    plt.close(figure)


@pytest.mark.parametrize("draw", [
    lambda ax: ax.axhline(2.5),
    lambda ax: ax.hlines(2.5, 0, 10),
    lambda ax: ax.axline((0, 2.5), slope=0),
    lambda ax: ax.axline((0, 2.5), (4, 2.5)),
    lambda ax: ax.plot([0, 10], [2.5, 2.5]),
    lambda ax: ax.plot([0, 3, 10], [2.5, 2.5, 2.5], "k--"),
], ids=["axhline", "hlines", "axline-slope", "axline-points", "plot", "plot-dashed"])
def test_a_horizontal_line_however_drawn(ax, draw):
    ax.scatter([1, 2], [5, 6])
    draw(ax)
    assert plots.horizontal_lines(ax) == pytest.approx([2.5])
    assert plots.vertical_lines(ax) == []


@pytest.mark.parametrize("draw", [
    lambda ax: ax.axvline(7),
    lambda ax: ax.vlines(7, 0, 1),
    lambda ax: ax.plot([7, 7], [0, 3]),
    lambda ax: ax.axline((7, 0), (7, 1)),
], ids=["axvline", "vlines", "plot", "axline"])
def test_a_vertical_line_however_drawn(ax, draw):
    draw(ax)
    assert plots.vertical_lines(ax) == pytest.approx([7])
    assert plots.horizontal_lines(ax) == []


def test_straight_lines_and_their_span(ax):
    ax.plot([0, 1, 2], [1, 3, 5])                # y = 2x + 1 from 0 to 2
    ax.axline((0, 0), slope=1)                  # y = x, infinite
    ax.plot([0, 1, 2], [0, 1, 4])               # not straight
    found = sorted(plots.straight_lines(ax), key=lambda line: line[0])
    assert [(round(s, 9), round(b, 9), span) for s, b, span in found] == [
        (1.0, 0.0, None), (2.0, 1.0, (0.0, 2.0))]


@pytest.mark.parametrize("draw", [
    lambda ax, x, y: ax.scatter(x, y),
    lambda ax, x, y: ax.plot(x, y, "o"),
    lambda ax, x, y: ax.plot(x, y, marker=".", linestyle="none"),
], ids=["scatter", "plot-o", "plot-marker"])
def test_points_however_drawn(ax, draw):
    x, y = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 9.0])
    draw(ax, x, y)
    ax.plot(x, y)                                # a line through them is not a set of points
    found = plots.points(ax)
    assert len(found) == 1 and np.allclose(found[0], np.column_stack([x, y]))


@pytest.mark.parametrize("draw", [
    lambda ax: ax.bar([0, 1, 2], [3, 1, 2]),
    lambda ax: ax.barh([0, 1, 2], [3, 1, 2]),
    lambda ax: ax.hist([0.1, 0.2, 0.2, 1.5, 2.5, 2.6], bins=[0, 1, 2, 3]),
], ids=["bar", "barh", "hist"])
def test_bars_however_drawn(ax, draw):
    draw(ax)
    assert len(plots.bars(ax)) == 3


def test_titles_ignore_case_and_spacing_and_name_a_swap(ax):
    ax.set_xlabel("  predicted   LABEL ")
    ax.set_ylabel("True label")
    plots.titles(ax, "heat map", x="Predicted label", y="True label")
    with pytest.raises(CheckFailed, match="swapped"):
        plots.titles(ax, "heat map", x="True label", y="Predicted label")
    with pytest.raises(CheckFailed, match="y-axis title should be 'Count'"):
        plots.titles(ax, "heat map", y="Count")


def test_axes_says_what_to_return():
    with pytest.raises(CheckFailed, match="forget to `return ax`"):
        plots.axes(None, "plot_latency")
    assert plots.same_text("Mean |SHAP  value|", "mean |shap value|")
