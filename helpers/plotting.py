"""Plots and diagrams for the course, all drawn with Matplotlib (no image is fetched).

Every function draws on the ``ax`` it is given, or on a new figure, and returns the axes (or the
animation), so a notebook can add to it. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from helpers.checks import check_array, check_int

__all__ = [
    "use_course_style",
    "plot_history",
    "plot_forecast",
    "plot_split",
    "draw_unrolled_rnn",
    "animate_unrolled_rnn",
]

COLORS = {
    "input": "#4C72B0",
    "hidden": "#DD8452",
    "output": "#55A868",
    "cell": "#F2F2F2",
    "active": "#FFE08A",
    "train": "#4C72B0",
    "val": "#DD8452",
    "test": "#55A868",
}


def use_course_style() -> None:
    """One plotting style for every notebook: readable sizes, light grid, compact PNGs."""
    plt.rcParams.update(
        {
            "figure.figsize": (8.0, 3.6),
            "figure.dpi": 80,
            "savefig.dpi": 80,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "legend.fontsize": 9,
            "legend.frameon": False,
            "font.size": 10,
        }
    )


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is not None:
        return ax
    _, new_ax = plt.subplots(figsize=figsize)
    return new_ax


def plot_history(
    history: Any,
    *,
    ax: Axes | None = None,
    title: str = "Training curves",
    log_scale: bool = False,
    label: str = "",
) -> Axes:
    """Plot every loss curve of a Keras ``History`` (or its ``.history`` dict) against the epoch.

    Plots ``loss`` and, when present, ``val_loss``; ``label`` prefixes the legend entries so that
    several models can share one axes.
    """
    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping) or "loss" not in curves:
        raise ValueError("history must be a keras History or a dict with a 'loss' list")
    ax = _axes(ax)
    prefix = f"{label} " if label else ""
    for key, style in (("loss", "-"), ("val_loss", "--")):
        if key in curves:
            values = np.asarray(curves[key], dtype=float)
            name = "training" if key == "loss" else "validation"
            ax.plot(np.arange(1, values.size + 1), values, style, label=f"{prefix}{name} loss")
    ax.set(title=title, xlabel="epoch", ylabel="loss (MSE)")
    if log_scale:
        ax.set_yscale("log")
    ax.legend()
    return ax


def plot_forecast(
    actual: np.ndarray,
    predictions: Mapping[str, np.ndarray] | np.ndarray,
    *,
    ax: Axes | None = None,
    start: int = 0,
    title: str = "Forecast against actual values",
    xlabel: str = "time step",
    ylabel: str = "value",
) -> Axes:
    """Plot ``actual [time]`` and one or more forecasts ``[time]`` of the same steps.

    ``predictions`` is one array or a mapping ``name -> array``; ``start`` is the time index of the
    first step, so that the x axis shows where in the series the forecast lies.
    """
    actual_arr = check_array("actual", np.ravel(actual), ndim=(1,))
    if not isinstance(predictions, Mapping):
        predictions = {"forecast": predictions}
    if not predictions:
        raise ValueError("predictions must hold at least one forecast")
    start = check_int("start", start, 0, None)
    ax = _axes(ax)
    steps = np.arange(start, start + actual_arr.size)
    ax.plot(steps, actual_arr, color="0.35", lw=1.2, label="actual")
    for name, values in predictions.items():
        pred = check_array(f"predictions[{name!r}]", np.ravel(values), ndim=(1,))
        if pred.size != actual_arr.size:
            raise ValueError(
                f"predictions[{name!r}] must have {actual_arr.size} steps like actual, "
                f"got {pred.size}"
            )
        ax.plot(steps, pred, lw=1.4, label=name)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend()
    return ax


def plot_split(
    series: np.ndarray,
    train_end: int,
    val_end: int,
    *,
    ax: Axes | None = None,
    title: str = "Chronological split",
    ylabel: str = "value",
) -> Axes:
    """Plot a ``[time]`` series with the train, validation and test parts shaded.

    ``train_end`` and ``val_end`` are the split points (as in :class:`helpers.data.Split`).
    """
    arr = check_array("series", np.asarray(series), ndim=(1,), min_length=3)
    n = arr.size
    train_end = check_int("train_end", train_end, 1, n - 1)
    val_end = check_int("val_end", val_end, train_end, n - 1)
    ax = _axes(ax)
    ax.plot(np.arange(n), arr, color="0.25", lw=0.9)
    for lo, hi, name in ((0, train_end, "train"), (train_end, val_end, "val"), (val_end, n, "test")):
        if hi > lo:
            label = {"train": "training", "val": "validation", "test": "test"}[name]
            ax.axvspan(lo, hi, color=COLORS[name], alpha=0.15, label=f"{label} ({hi - lo} steps)")
    ax.set(title=title, xlabel="time step", ylabel=ylabel)
    ax.legend(loc="upper right")
    return ax


# --------------------------------------------------------------------------- diagrams


def _box(ax: Axes, x: float, y: float, text: str, *, color: str, w: float = 0.7, h: float = 0.5):
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            fc=color,
            ec="0.2",
            lw=1.2,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=11)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], **kw: Any) -> None:
    style = {"arrowstyle": "-|>", "mutation_scale": 12, "lw": 1.3, "color": "0.2"}
    style.update(kw)
    ax.add_patch(FancyArrowPatch(start, end, **style))


def draw_unrolled_rnn(
    n_steps: int = 4,
    *,
    ax: Axes | None = None,
    active: int | None = None,
    inputs: Sequence[float] | None = None,
    states: Sequence[float] | None = None,
    show_folded: bool = True,
) -> Axes:
    """Draw a recurrent cell folded (a loop) and unrolled over ``n_steps`` time steps.

    The same cell ``f`` (same weights) is drawn once per step: it reads the input ``x_t`` and the
    previous state ``h_{t-1}`` and writes ``h_t``. With ``active = k`` (1-based), step ``k`` is
    highlighted and later steps are greyed out, which is how :func:`animate_unrolled_rnn` draws
    its frames. ``inputs`` and ``states`` (length ``n_steps``) print values under the symbols.
    """
    n_steps = check_int("n_steps", n_steps, 1, 12)
    if active is not None:
        active = check_int("active", active, 0, n_steps)
    for name, values in (("inputs", inputs), ("states", states)):
        if values is not None and len(values) != n_steps:
            raise ValueError(f"{name} must have n_steps={n_steps} values, got {len(values)}")
    offset = 2.6 if show_folded else 0.0
    ax = _axes(ax, figsize=(1.6 * n_steps + (3.2 if show_folded else 0.6), 3.4))
    ax.set_axis_off()
    ax.set_aspect("equal")

    if show_folded:
        _box(ax, 0.6, 1.5, "$f$", color=COLORS["cell"])
        _arrow(ax, (0.6, 0.45), (0.6, 1.23))
        _arrow(ax, (0.6, 1.77), (0.6, 2.55))
        ax.text(0.6, 0.3, "$x_t$", ha="center", va="top", color=COLORS["input"], fontsize=12)
        ax.text(0.6, 2.7, "$h_t$", ha="center", va="bottom", color=COLORS["hidden"], fontsize=12)
        _arrow(ax, (0.95, 1.6), (0.95, 1.4), connectionstyle="arc3,rad=-2.6",
               color=COLORS["hidden"])
        ax.text(1.72, 1.5, "=", ha="center", va="center", fontsize=18)
        ax.text(1.45, 2.15, "loop", fontsize=8, color=COLORS["hidden"])

    def state_text(i: int) -> str:
        return "$h_0$" if i == 0 else f"$h_{{{i}}}$"

    ax.text(offset + 0.0, 1.5, state_text(0), ha="center", va="center", fontsize=11,
            color=COLORS["hidden"])
    for step in range(1, n_steps + 1):
        x = offset + 1.4 * step
        done = active is None or step <= active
        now = active is not None and step == active
        fade = 1.0 if done else 0.25
        _box(ax, x, 1.5, "$f$", color=COLORS["active"] if now else COLORS["cell"])
        ax.patches[-1].set_alpha(fade)
        _arrow(ax, (x, 0.45), (x, 1.23), alpha=fade)
        _arrow(ax, (x, 1.77), (x, 2.55), alpha=fade, color=COLORS["hidden"])
        start = offset + (0.25 if step == 1 else 1.4 * (step - 1) + 0.37)
        _arrow(ax, (start, 1.5), (x - 0.37, 1.5), alpha=fade, color=COLORS["hidden"])
        label_x = f"$x_{{{step}}}$"
        label_h = state_text(step)
        if inputs is not None:
            label_x += f"\n{inputs[step - 1]:.2f}"
        if states is not None and done:
            label_h = f"{states[step - 1]:.2f}\n" + label_h
        ax.text(x, 0.32, label_x, ha="center", va="top", color=COLORS["input"], alpha=fade)
        ax.text(x, 2.68, label_h, ha="center", va="bottom", color=COLORS["hidden"], alpha=fade)
    ax.set_xlim(-0.3, offset + 1.4 * n_steps + 0.6)
    ax.set_ylim(-0.45, 3.35)
    return ax


def animate_unrolled_rnn(
    inputs: Sequence[float],
    states: Sequence[float],
    *,
    interval_ms: int = 900,
) -> FuncAnimation:
    """Animate the unrolled recurrence one step per frame, printing each ``x_t`` and ``h_t``.

    Returns a ``FuncAnimation``; in a notebook show it with ``HTML(anim.to_jshtml())``, which
    embeds the frames in the page and plays offline. The figure is closed so that it is not also
    shown as a static image.
    """
    n_steps = len(inputs)
    if len(states) != n_steps:
        raise ValueError(f"states must have len(inputs)={n_steps} values, got {len(states)}")
    check_int("len(inputs)", n_steps, 1, 12)
    interval_ms = check_int("interval_ms", interval_ms, 50, 10_000)
    fig, ax = plt.subplots(figsize=(1.6 * n_steps + 3.2, 3.4))

    def draw(frame: int) -> list:
        ax.clear()
        draw_unrolled_rnn(n_steps, ax=ax, active=frame, inputs=inputs, states=states)
        ax.set_title(f"step {frame} of {n_steps}" if frame else "before the first step")
        return []

    anim = FuncAnimation(fig, draw, frames=range(n_steps + 1), interval=interval_ms, blit=False)
    plt.close(fig)
    return anim
