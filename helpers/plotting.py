"""Plots and diagrams for the course, all drawn with Matplotlib (no image is fetched).

Every function draws on the ``ax`` it is given, or on a new figure, and returns the axes (or the
animation), so a notebook can add to it. Nothing here prints.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from helpers.checks import check_array, check_int

__all__ = [
    "use_course_style",
    "show",
    "PALETTE",
    "plot_history",
    "plot_forecast",
    "plot_split",
    "draw_unrolled_rnn",
    "animate_unrolled_rnn",
    "draw_lstm_cell",
    "draw_gru_cell",
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


# Okabe and Ito's colour-blind-safe palette (black left out: the course draws data in grey).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"]
# Each colour also gets its own dash pattern, so that lines differ by more than their colour.
DASHES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 1))]


def use_course_style() -> None:
    """One plotting style for every notebook: readable sizes, light grid, PNGs drawn at 1.5 times
    the pixels they are shown at (sharp on high-density screens, see :func:`show`), and a
    colour-blind-safe cycle of colours in which each colour has its own line style."""
    plt.rcParams.update(
        {
            "axes.prop_cycle": plt.cycler(color=PALETTE) + plt.cycler(linestyle=DASHES),
            "figure.figsize": (8.0, 3.6),
            "figure.dpi": 80,
            "savefig.dpi": 120,
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


def show(alt: str, fig: Figure | None = None) -> None:
    """Display a figure (default: the current one) with alternative text, then close it.

    Use it where ``plt.show()`` would go. ``alt`` says what the figure shows (its message, not
    its kind); it travels in the image output's metadata, where screen readers and the course's
    website read it. The PNG is drawn as Jupyter's inline backend draws it (tight bounding box),
    at ``savefig.dpi``, and shown at the size ``figure.dpi`` gives it: with the course's style,
    1.5 pixels per screen pixel, so it stays sharp on a high-density screen.
    """
    if not isinstance(alt, str) or len(alt.strip()) < 10:
        raise ValueError(f"alt must describe the figure in a sentence, got {alt!r}")
    from IPython.display import Image, display  # Jupyter is where figures are shown

    fig = plt.gcf() if fig is None else fig
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    png = buffer.getvalue()
    pixels = int.from_bytes(png[16:20], "big")  # the width field of the PNG's IHDR chunk
    scale = plt.rcParams["figure.dpi"] / plt.rcParams["savefig.dpi"]
    width = max(1, round(pixels * scale)) if scale < 1 else None
    display(Image(data=png, format="png", width=width, alt=alt.strip()))


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

    ``train_end`` and ``val_end`` are the split points (as in :class:`helpers.data.Split`); the
    legend names each part and its length (move it with ``ax.legend(loc=...)``).
    """
    arr = check_array("series", np.asarray(series), ndim=(1,), min_length=3)
    n = arr.size
    train_end = check_int("train_end", train_end, 1, n - 1)
    val_end = check_int("val_end", val_end, train_end, n - 1)
    ax = _axes(ax)
    ax.plot(np.arange(n), arr, color="0.25", lw=0.9)
    parts = ((0, train_end, "train"), (train_end, val_end, "val"), (val_end, n, "test"))
    for lo, hi, name in parts:
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
    offset = 2.8 if show_folded else 0.0
    ax = _axes(ax, figsize=(1.6 * n_steps + (3.2 if show_folded else 0.6), 3.4))
    ax.set_axis_off()
    ax.set_aspect("equal")

    if show_folded:
        _box(ax, 0.6, 1.5, "$f$", color=COLORS["cell"])
        _arrow(ax, (0.6, 0.45), (0.6, 1.23))
        _arrow(ax, (0.6, 1.77), (0.6, 2.55))
        ax.text(0.6, 0.3, "$x_t$", ha="center", va="top", color=COLORS["input"], fontsize=12)
        ax.text(0.6, 2.7, "$h_t$", ha="center", va="bottom", color=COLORS["hidden"], fontsize=12)
        # the loop: the state leaves the cell on the right and comes back in as h_{t-1}
        _arrow(
            ax,
            (0.95, 1.62),
            (0.95, 1.38),
            color=COLORS["hidden"],
            connectionstyle="arc,angleA=0,angleB=0,armA=22,armB=22,rad=6",
        )
        ax.text(1.12, 1.2, "$h_{t-1}$", ha="center", va="top", fontsize=9, color=COLORS["hidden"])
        ax.text(1.95, 1.5, "=", ha="center", va="center", fontsize=18)

    def state_text(i: int) -> str:
        return "$h_0$" if i == 0 else f"$h_{{{i}}}$"

    ax.text(
        offset + 0.0,
        1.5,
        state_text(0),
        ha="center",
        va="center",
        fontsize=11,
        color=COLORS["hidden"],
    )
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


# --------------------------------------------------------------------------- gated cells

_GATE_COLOR = "#FFE08A"  # sigmoid gates
_CANDIDATE_COLOR = "#F6C6A0"  # tanh layers that propose new content
_GRU_CONVENTIONS = ("source", "keras")


def _check_ax(ax: object) -> Axes | None:
    if ax is not None and not isinstance(ax, Axes):
        raise ValueError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def _op(ax: Axes, x: float, y: float, text: str) -> None:
    """A pointwise operation (×, +, tanh, 1−) drawn as a small circle of radius 0.28."""
    ax.add_patch(Circle((x, y), 0.28, fc="white", ec="0.2", lw=1.2, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=10 if len(text) <= 2 else 7, zorder=4)


def _path(ax: Axes, points: Sequence[tuple[float, float]], color: str = "0.2") -> None:
    """A polyline through ``points`` with an arrow head on its last segment."""
    xs, ys = zip(*points, strict=True)
    if len(points) > 2:
        ax.plot(xs[:-1], ys[:-1], color=color, lw=1.3, ls="-", solid_capstyle="round")
    _arrow(ax, points[-2], points[-1], color=color, shrinkA=0, shrinkB=0)


def _gate(ax: Axes, x: float, y: float, symbol: str, name: str, color: str) -> None:
    _box(ax, x, y, symbol, color=color, w=0.9, h=0.6)
    ax.text(
        x,
        y - 0.38,
        name,
        ha="center",
        va="top",
        fontsize=8,
        color="0.25",
        zorder=4,
        bbox={"boxstyle": "square,pad=0.1", "fc": "#F7F7F7", "ec": "none"},
    )


def _cell_frame(ax: Axes, width: float, height: float) -> None:
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.add_patch(
        FancyBboxPatch(
            (0.8, 0.4),
            width - 1.6,
            height - 0.8,
            boxstyle="round,pad=0.02,rounding_size=0.3",
            fc="#F7F7F7",
            ec="0.55",
            lw=1.0,
        )
    )
    ax.set_xlim(-0.4, width + 0.4)
    ax.set_ylim(-0.7, height + 1.0)


def draw_lstm_cell(ax: Axes | None = None) -> Axes:
    """Draw one LSTM cell (with the forget gate of Gers, Schmidhuber & Cummins, 2000) with its
    three gates, its candidate and its two states.

    The cell state ``C`` runs along the top: the forget gate ``f_t`` scales ``C_{t-1}`` and the
    input gate ``i_t`` adds a share of the candidate ``C̃_t``:
    ``C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t``. The output gate ``o_t`` decides how much of
    ``tanh(C_t)`` becomes the hidden state ``h_t = o_t ⊙ tanh(C_t)``. Every gate and the
    candidate read ``h_{t-1}`` and ``x_t`` from the bus along the bottom (``σ(x_t W + h_{t-1} U +
    b)`` per gate, ``tanh`` for the candidate). Draws on ``ax`` (default: a new figure) and returns
    the axes; raises ``ValueError`` for an ``ax`` that is not a Matplotlib ``Axes``.
    """
    ax = _axes(_check_ax(ax), figsize=(8.0, 4.4))
    _cell_frame(ax, 10.0, 6.0)
    state, hidden, inp = COLORS["output"], COLORS["hidden"], COLORS["input"]
    # the cell state: C_{t-1} -> x f_t -> + i_t C~_t -> C_t
    _path(ax, [(-0.2, 5.0), (2.52, 5.0)], color=state)
    _path(ax, [(3.08, 5.0), (4.77, 5.0)], color=state)
    _path(ax, [(5.33, 5.0), (10.2, 5.0)], color=state)
    ax.text(-0.3, 5.25, "$C_{t-1}$", ha="left", va="bottom", color=state, fontsize=12)
    ax.text(10.3, 5.25, "$C_t$", ha="right", va="bottom", color=state, fontsize=12)
    ax.text(6.6, 5.2, "cell state", ha="center", va="bottom", color=state, fontsize=9)
    _op(ax, 2.8, 5.0, "×")
    _op(ax, 5.05, 5.0, "+")
    # the bus: h_{t-1} and x_t feed every gate
    ax.plot([-0.2, 7.2], [1.2, 1.2], color=hidden, lw=1.3, ls="-")
    _path(ax, [(1.8, -0.5), (1.8, 1.2)], color=inp)
    ax.text(-0.3, 1.45, "$h_{t-1}$", ha="left", va="bottom", color=hidden, fontsize=12)
    ax.text(1.95, -0.5, "$x_t$", ha="left", va="bottom", color=inp, fontsize=12)
    for x in (2.8, 4.3, 5.8, 7.2):
        _path(ax, [(x, 1.2), (x, 2.1)])
    _gate(ax, 2.8, 2.4, r"$\sigma$", "forget\ngate $f_t$", _GATE_COLOR)
    _gate(ax, 4.3, 2.4, r"$\sigma$", "input\ngate $i_t$", _GATE_COLOR)
    _gate(ax, 5.8, 2.4, r"$\tanh$", "candidate\n" + r"$\tilde C_t$", _CANDIDATE_COLOR)
    _gate(ax, 7.2, 2.4, r"$\sigma$", "output\ngate $o_t$", _GATE_COLOR)
    # forget: f_t scales C_{t-1}
    _path(ax, [(2.8, 2.7), (2.8, 4.72)])
    # input: i_t * C~_t is added to the cell state
    _op(ax, 5.05, 3.8, "×")
    _path(ax, [(4.3, 2.7), (4.3, 3.8), (4.77, 3.8)])
    _path(ax, [(5.8, 2.7), (5.8, 3.8), (5.33, 3.8)])
    _path(ax, [(5.05, 4.08), (5.05, 4.72)])
    # output: h_t = o_t * tanh(C_t)
    _op(ax, 8.3, 3.95, "tanh")
    _op(ax, 8.3, 2.4, "×")
    _path(ax, [(8.3, 5.0), (8.3, 4.23)], color=state)
    _path(ax, [(8.3, 3.67), (8.3, 2.68)])
    _path(ax, [(7.65, 2.4), (8.02, 2.4)])
    _path(ax, [(8.3, 2.12), (8.3, 1.2), (10.2, 1.2)], color=hidden)
    _path(ax, [(9.3, 1.2), (9.3, 6.6)], color=hidden)
    ax.text(10.3, 1.45, "$h_t$", ha="right", va="bottom", color=hidden, fontsize=12)
    ax.text(9.45, 6.6, "$h_t$ (output)", ha="left", va="top", color=hidden, fontsize=10)
    ax.set_title("An LSTM cell: three sigmoid gates around a cell state")
    return ax


def draw_gru_cell(ax: Axes | None = None, *, convention: str = "source") -> Axes:
    """Draw one GRU cell with its reset gate ``r_t``, update gate ``z_t`` and candidate ``h̃_t``.

    There is one state, ``h``, along the top. The reset gate scales ``h_{t-1}`` before the
    candidate's recurrent product (``h̃_t = tanh(x_t W_n + (r_t ⊙ h_{t-1}) U_n + b_n)``, as in Cho
    et al. (2014) and Keras' ``reset_after=False``; Keras' default, ``reset_after=True``, applies
    it after the product); the update gate mixes ``h_{t-1}`` and the
    candidate. ``convention`` chooses which share ``z_t`` is:

    - ``"keras"``: ``h_t = z_t h_{t-1} + (1 − z_t) h̃_t``, ``z`` the share *kept*: the form of Cho et
      al. (2014), who proposed the GRU, and of Keras, PyTorch and ONNX.
    - ``"source"`` (the default, as the course's source writes it): ``h_t = (1 − z_t) h_{t-1} +
      z_t h̃_t``, ``z`` the share *replaced*, as in Chung et al. (2014) and some later tutorials.

    The two are the same cell with ``z`` relabelled (negate the update gate's weights). Draws on
    ``ax`` (default: a new figure) and returns the axes; raises ``ValueError`` for any other
    ``convention`` or an ``ax`` that is not a Matplotlib ``Axes``.
    """
    ax = _axes(_check_ax(ax), figsize=(8.0, 4.4))
    if not isinstance(convention, str) or convention not in _GRU_CONVENTIONS:
        raise ValueError(f"convention must be one of {_GRU_CONVENTIONS}, got {convention!r}")
    _cell_frame(ax, 10.0, 6.0)
    hidden, inp = COLORS["hidden"], COLORS["input"]
    # the state line: h_{t-1} -> x (kept share) -> + (new share) -> h_t
    _path(ax, [(-0.2, 5.0), (6.52, 5.0)], color=hidden)
    _path(ax, [(7.08, 5.0), (8.12, 5.0)], color=hidden)
    _path(ax, [(8.68, 5.0), (10.2, 5.0)], color=hidden)
    _op(ax, 6.8, 5.0, "×")
    _op(ax, 8.4, 5.0, "+")
    ax.text(-0.3, 5.25, "$h_{t-1}$", ha="left", va="bottom", color=hidden, fontsize=12)
    ax.text(10.3, 5.25, "$h_t$", ha="right", va="bottom", color=hidden, fontsize=12)
    _path(ax, [(9.4, 5.0), (9.4, 6.6)], color=hidden)
    ax.text(9.55, 6.6, "$h_t$ (output)", ha="left", va="top", color=hidden, fontsize=10)
    # the bus: h_{t-1} comes down, x_t comes up; both feed the gates and the candidate
    ax.plot([1.2, 1.2, 6.8], [5.0, 1.2, 1.2], color=hidden, lw=1.3, ls="-")
    _path(ax, [(1.8, -0.5), (1.8, 1.2)], color=inp)
    ax.text(1.95, -0.5, "$x_t$", ha="left", va="bottom", color=inp, fontsize=12)
    for x in (2.6, 6.8):
        _path(ax, [(x, 1.2), (x, 2.1)])
    _path(ax, [(4.8, 1.2), (4.8, 3.3)], color=inp)
    _gate(ax, 2.6, 2.4, r"$\sigma$", "reset\ngate $r_t$", _GATE_COLOR)
    _gate(ax, 6.8, 2.4, r"$\sigma$", "update\ngate $z_t$", _GATE_COLOR)
    _box(ax, 4.8, 3.6, r"$\tanh$", color=_CANDIDATE_COLOR, w=0.9, h=0.6)
    ax.text(4.8, 4.0, r"candidate $\tilde h_t$", ha="center", va="bottom", fontsize=8, color="0.25")
    # reset: r_t * h_{t-1} is what the candidate reads of the past
    _op(ax, 2.6, 3.6, "×")
    _path(ax, [(2.6, 2.7), (2.6, 3.32)])
    _path(ax, [(2.6, 5.0), (2.6, 3.88)], color=hidden)
    _path(ax, [(2.88, 3.6), (4.35, 3.6)])
    # update: one share keeps h_{t-1} (up to the top x), the other lets the candidate in
    _op(ax, 8.4, 3.6, "×")
    _path(ax, [(5.25, 3.6), (5.9, 3.6), (5.9, 3.2), (7.75, 3.2), (7.75, 3.6), (8.12, 3.6)])
    _path(ax, [(8.4, 3.88), (8.4, 4.72)])
    if convention == "source":  # h_{t-1} gets 1 - z, the candidate gets z
        _op(ax, 6.8, 4.05, "1−")
        _path(ax, [(6.8, 2.7), (6.8, 3.77)])
        _path(ax, [(6.8, 4.33), (6.8, 4.72)])
        _path(ax, [(7.25, 2.4), (8.4, 2.4), (8.4, 3.32)])
    else:  # h_{t-1} gets z, the candidate gets 1 - z
        _path(ax, [(6.8, 2.7), (6.8, 4.72)])
        _op(ax, 8.4, 2.4, "1−")
        _path(ax, [(7.25, 2.4), (8.12, 2.4)])
        _path(ax, [(8.4, 2.68), (8.4, 3.32)])
    formula = (
        r"$h_t=(1-z_t)\,h_{t-1}+z_t\,\tilde h_t$"
        if convention == "source"
        else r"$h_t=z_t\,h_{t-1}+(1-z_t)\,\tilde h_t$"
    )
    origin = {
        "keras": "Keras' and Cho et al.'s update; reset before the product, reset_after=False",
        "source": "source convention",
    }
    origin = origin[convention]
    ax.set_title(f"A GRU cell ({origin}):\n{formula}")
    return ax
