"""helpers.plotting: each function draws what it says and rejects bad input by name."""

import base64

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.animation import FuncAnimation

from helpers import plotting


class FakeHistory:
    def __init__(self, curves):
        self.history = curves


def test_use_course_style():
    plotting.use_course_style()
    assert plt.rcParams["figure.dpi"] == 80 and plt.rcParams["axes.grid"]
    assert plt.rcParams["savefig.dpi"] == 120, "PNGs drawn at 1.5 times their shown size"
    cycle = plt.rcParams["axes.prop_cycle"].by_key()
    assert cycle["color"] == plotting.PALETTE
    assert len(set(map(str, cycle["linestyle"]))) == len(cycle["color"]), "a style per colour"


def test_show_displays_the_figure_with_alt_text_and_closes_it(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    plotting.use_course_style()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    plotting.show(alt="A line falling from 1 to 0.")
    assert len(shown) == 1 and not plt.fignum_exists(fig.number)
    data, metadata = shown[0]._repr_png_()
    png = base64.b64decode(data)
    assert png.startswith(b"\x89PNG")
    pixels = int.from_bytes(png[16:20], "big")
    assert metadata["alt"] == "A line falling from 1 to 0."
    assert metadata["width"] == round(pixels * 80 / 120), "shown at 80 dpi, drawn at 120"


@pytest.mark.parametrize("alt", ["", "   ", "plot", None, 3])
def test_show_needs_a_sentence_of_alt_text(alt):
    plt.plot([0, 1])
    with pytest.raises(ValueError, match="alt must describe the figure"):
        plotting.show(alt=alt)


def test_plot_history_from_keras_like_object_and_dict():
    ax = plotting.plot_history(FakeHistory({"loss": [3, 2, 1], "val_loss": [4, 3, 2]}))
    assert [line.get_label() for line in ax.get_lines()] == ["training loss", "validation loss"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1, 2, 3])
    assert ax.get_xlabel() == "epoch" and ax.get_title() == "Training curves"
    ax = plotting.plot_history({"loss": [1, 0.5]}, label="LSTM", log_scale=True)
    assert [line.get_label() for line in ax.get_lines()] == ["LSTM training loss"]
    assert ax.get_yscale() == "log"


@pytest.mark.parametrize("bad", [{"val_loss": [1]}, [1, 2], None])
def test_plot_history_rejects(bad):
    with pytest.raises(ValueError, match="history must be a keras History or a dict with a 'loss'"):
        plotting.plot_history(bad)


def test_plot_forecast():
    actual = np.arange(5.0)
    ax = plotting.plot_forecast(actual, {"a": actual + 1, "b": actual - 1}, start=100)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["actual", "a", "b"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), np.arange(100, 105))
    ax = plotting.plot_forecast(actual[:, None], actual[:, None])  # [n, 1] columns are fine
    assert [line.get_label() for line in ax.get_lines()] == ["actual", "forecast"]


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((np.arange(5.0), np.arange(4.0)), {}, r"predictions\['forecast'\] must have 5 steps"),
        ((np.arange(5.0), {}), {}, "predictions must hold at least one forecast"),
        ((np.arange(5.0), np.arange(5.0)), {"start": -1}, r"start must be an integer >= 0"),
        ((np.array([]), np.array([])), {}, "actual must have at least 1 time steps"),
    ],
)
def test_plot_forecast_rejects(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_forecast(*args, **kwargs)


def test_plot_split_shades_three_parts():
    ax = plotting.plot_split(np.arange(100.0), 70, 85)
    labels = [p.get_label() for p in ax.patches]
    assert labels == ["training (70 steps)", "validation (15 steps)", "test (15 steps)"]
    assert ax.get_legend() is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.arange(100.0), 0, 50), r"train_end must be an integer in \[1, 99\], got 0"),
        ((np.arange(100.0), 60, 50), r"val_end must be an integer in \[60, 99\], got 50"),
        ((np.zeros((10, 2)), 3, 5), r"series must be a 1-D array"),
    ],
)
def test_plot_split_rejects(args, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_split(*args)


def test_draw_unrolled_rnn():
    ax = plotting.draw_unrolled_rnn(3, inputs=[0.1, 0.2, 0.3], states=[1, 2, 3], active=2)
    texts = [t.get_text() for t in ax.texts]
    assert sum(t == "$f$" for t in texts) == 4  # folded cell + 3 unrolled copies
    assert any("0.20" in t for t in texts) and any("2.00" in t for t in texts)
    assert not any("3.00" in t for t in texts)  # step 3 is not computed yet at frame 2
    ax = plotting.draw_unrolled_rnn(5, show_folded=False)
    assert sum(t.get_text() == "$f$" for t in ax.texts) == 5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_steps": 0}, r"n_steps must be an integer in \[1, 12\], got 0"),
        ({"n_steps": 13}, r"n_steps must be an integer in \[1, 12\], got 13"),
        ({"n_steps": 3, "active": 4}, r"active must be an integer in \[0, 3\], got 4"),
        ({"n_steps": 3, "inputs": [1, 2]}, r"inputs must have n_steps=3 values, got 2"),
        ({"n_steps": 3, "states": [1]}, r"states must have n_steps=3 values, got 1"),
    ],
)
def test_draw_unrolled_rnn_rejects(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plotting.draw_unrolled_rnn(**kwargs)


def test_animate_unrolled_rnn():
    anim = plotting.animate_unrolled_rnn([0.5, -0.5, 1.0], [0.25, -0.1, 0.45], interval_ms=100)
    assert isinstance(anim, FuncAnimation)
    html = anim.to_jshtml()
    assert html.count("data:image/png;base64") == 4  # a frame before the first step + 3 steps


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (([1, 2], [1]), {}, r"states must have len\(inputs\)=2 values, got 1"),
        (([], []), {}, r"len\(inputs\) must be an integer in \[1, 12\], got 0"),
        (([1], [1]), {"interval_ms": 10}, r"interval_ms must be an integer in \[50, 10000\]"),
    ],
)
def test_animate_unrolled_rnn_rejects(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plotting.animate_unrolled_rnn(*args, **kwargs)
