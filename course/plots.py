"""Read a matplotlib plot back, whichever standard way drew it.

The plot checks of every notebook use these readers, so that every correct drawing passes the
same way: a horizontal line may come from ``axhline``, ``hlines``, ``axline`` with slope 0 or
``plot`` of a constant; points from ``scatter`` or ``plot`` with markers only; bars from ``bar``,
``barh`` or ``hist``; and text (axis titles, legend entries) compares without regard to case or
spacing. A reader returns what it found; the check decides, and says what it expected.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .checks import CheckFailed

__all__ = ["same_text", "axes", "titles", "legend_labels", "points", "drawn_lines",
           "straight_lines", "horizontal_lines", "vertical_lines", "bars"]


def _norm(text: Any) -> str:
    return " ".join(str(text).split()).lower()


def same_text(got: Any, want: Any) -> bool:
    """Text equal but for case and spacing ("Predicted  label" == "predicted label")."""
    return _norm(got) == _norm(want)


def axes(value: Any, what: str):
    """``value`` itself when it is a matplotlib Axes; otherwise a message that says what to return."""
    from matplotlib.axes import Axes

    if not isinstance(value, Axes):
        raise CheckFailed(f"{what}: expected a matplotlib Axes, got {type(value).__name__}. "
                          "Did the function forget to `return ax`?")
    return value


def titles(ax, what: str, *, x: str | None = None, y: str | None = None) -> None:
    """Check the axis titles (case and spacing aside); a swapped pair is named as such."""
    got_x, got_y = ax.get_xlabel(), ax.get_ylabel()
    if (x is not None and y is not None and not same_text(x, y)
            and same_text(got_x, y) and same_text(got_y, x)):
        raise CheckFailed(f"{what}: the axis titles are swapped; the x-axis must read {x!r} and "
                          f"the y-axis {y!r}.")
    for name, got, want in (("x", got_x, x), ("y", got_y, y)):
        if want is not None and not same_text(got, want):
            raise CheckFailed(f"{what}: the {name}-axis title should be {want!r}, got {got!r}.")


def legend_labels(ax) -> list[str]:
    """The entries of the legend drawn on ``ax`` (empty when there is no legend)."""
    legend = ax.get_legend()
    return [] if legend is None else [text.get_text() for text in legend.get_texts()]


def _is_line(artist) -> bool:
    return artist.get_linestyle() not in ("None", "", " ", "none")


def points(ax) -> list[np.ndarray]:
    """Every set of markers on ``ax`` as an (n, 2) array: ``scatter`` and marker-only ``plot``."""
    from matplotlib.collections import PathCollection
    from matplotlib.lines import AxLine

    found = [np.asarray(c.get_offsets(), dtype=float).reshape(-1, 2)
             for c in ax.collections if isinstance(c, PathCollection)]
    found += [np.asarray(line.get_xydata(), dtype=float) for line in ax.lines
              if not isinstance(line, AxLine) and not _is_line(line)
              and line.get_marker() not in ("None", "", " ", None)]
    return found


def drawn_lines(ax) -> list[np.ndarray]:
    """Every finite line on ``ax`` as an (n, 2) array of its points in data coordinates: lines of
    ``plot``, and each segment of ``hlines``/``vlines`` (``axhline``/``axvline`` keep their
    constant coordinate; ``axline`` is infinite, see ``straight_lines``)."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import AxLine

    found = [np.asarray(line.get_xydata(), dtype=float) for line in ax.lines
             if not isinstance(line, AxLine) and _is_line(line)]
    for collection in ax.collections:
        if isinstance(collection, LineCollection):
            found += [np.asarray(segment, dtype=float) for segment in collection.get_segments()]
    return found


def straight_lines(ax) -> list[tuple[float, float, tuple[float, float] | None]]:
    """(slope, intercept, x span or None for an infinite line) of every straight, non-vertical
    line on ``ax``: ``axline``, ``axhline``, ``hlines`` and ``plot`` of collinear points."""
    from matplotlib.lines import AxLine

    found = []
    for line in ax.lines:
        if isinstance(line, AxLine):
            (x1, y1), xy2 = line.get_xy1(), line.get_xy2()
            if xy2 is None:
                slope = float(line.get_slope())
            elif not np.isclose(xy2[0], x1):
                slope = float((xy2[1] - y1) / (xy2[0] - x1))
            else:
                continue
            found.append((slope, float(y1 - slope * x1), None))
    for xy in drawn_lines(ax):
        x, y = xy[:, 0], xy[:, 1]
        if len(xy) < 2 or np.ptp(x) == 0:
            continue
        if _axis_spanning(ax, xy):              # axhline: x in axes coordinates, any extent
            found.append((0.0, float(y[0]), None))
            continue
        slope, intercept = np.polyfit(x, y, 1)
        if np.allclose(slope * x + intercept, y, rtol=1e-6, atol=1e-9):
            found.append((float(slope), float(intercept), (float(x.min()), float(x.max()))))
    return found


def _axis_spanning(ax, xy: np.ndarray) -> bool:
    """An ``axhline``/``axvline``: its free coordinate runs 0..1 in axes coordinates."""
    for line in ax.lines:
        if np.array_equal(np.asarray(line.get_xydata(), dtype=float), xy):
            return line.get_transform().contains_branch_seperately(ax.transData) != (True, True)
    return False


def horizontal_lines(ax) -> list[float]:
    """The y of every horizontal line on ``ax``, however drawn."""
    found = [intercept for slope, intercept, _ in straight_lines(ax) if np.isclose(slope, 0.0)]
    return sorted(found)


def vertical_lines(ax) -> list[float]:
    """The x of every vertical line on ``ax``: ``axvline``, ``vlines``, ``plot`` of a constant x,
    ``axline`` through two points with the same x."""
    from matplotlib.lines import AxLine

    found = []
    for line in ax.lines:
        if isinstance(line, AxLine):
            (x1, _), xy2 = line.get_xy1(), line.get_xy2()
            if xy2 is not None and np.isclose(xy2[0], x1):
                found.append(float(x1))
    found += [float(xy[0, 0]) for xy in drawn_lines(ax) if len(xy) >= 2 and np.ptp(xy[:, 0]) == 0]
    return sorted(found)


def bars(ax) -> list:
    """The rectangles of every bar chart and histogram on ``ax`` (``bar``, ``barh``, ``hist``)."""
    from matplotlib.container import BarContainer
    from matplotlib.patches import Rectangle

    from_containers = [bar for container in ax.containers if isinstance(container, BarContainer)
                       for bar in container]
    return from_containers or [p for p in ax.patches if isinstance(p, Rectangle)]
