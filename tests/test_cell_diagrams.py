"""Tests of the gated-cell diagrams in helpers.plotting (draw_lstm_cell, draw_gru_cell)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes

from helpers import plotting


def _texts(ax: Axes) -> str:
    return " ".join(t.get_text() for t in ax.texts) + " " + ax.get_title()


def test_exported():
    assert "draw_lstm_cell" in plotting.__all__
    assert "draw_gru_cell" in plotting.__all__


def test_lstm_cell_names_its_gates_and_states():
    ax = plotting.draw_lstm_cell()
    assert isinstance(ax, Axes)
    text = _texts(ax)
    for word in (
        "forget",
        "input",
        "output",
        "candidate",
        "$f_t$",
        "$i_t$",
        "$o_t$",
        r"\tilde C_t",
        "$C_{t-1}$",
        "$C_t$",
        "$h_{t-1}$",
        "$h_t$",
        "$x_t$",
    ):
        assert word in text, word
    assert len(ax.patches) > 20  # boxes, circles and arrows
    assert not ax.axison


def test_lstm_cell_draws_on_given_axes():
    _, ax = plt.subplots()
    assert plotting.draw_lstm_cell(ax) is ax
    assert plotting.draw_lstm_cell(ax=ax) is ax


@pytest.mark.parametrize("convention", ["source", "keras"])
def test_gru_cell_names_its_gates(convention):
    ax = plotting.draw_gru_cell(convention=convention)
    assert isinstance(ax, Axes)
    text = _texts(ax)
    for word in (
        "reset",
        "update",
        "candidate",
        "$r_t$",
        "$z_t$",
        r"\tilde h_t",
        "$h_{t-1}$",
        "$h_t$",
        "$x_t$",
        {"source": "source", "keras": "Keras"}[convention],
    ):
        assert word in text, word
    assert "1−" in text  # the complement of the update gate is drawn
    assert not ax.axison


def test_gru_conventions_differ_in_the_formula():
    source = plotting.draw_gru_cell().get_title()
    keras = plotting.draw_gru_cell(convention="keras").get_title()
    assert "(1-z_t)\\,h_{t-1}" in source
    assert "(1-z_t)\\,\\tilde h_t" in keras


def test_gru_cell_draws_on_given_axes():
    _, ax = plt.subplots()
    assert plotting.draw_gru_cell(ax) is ax


@pytest.mark.parametrize("bad", ["paper", "", "SOURCE", None, 1])
def test_gru_cell_rejects_unknown_convention(bad):
    with pytest.raises(ValueError, match="convention must be one of"):
        plotting.draw_gru_cell(convention=bad)


@pytest.mark.parametrize("draw", [plotting.draw_lstm_cell, plotting.draw_gru_cell])
@pytest.mark.parametrize("bad", ["axes", 3, plt])
def test_cells_reject_a_non_axes(draw, bad):
    with pytest.raises(ValueError, match="ax must be a matplotlib Axes or None"):
        draw(bad)
