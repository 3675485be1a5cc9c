"""Margins of notebook claims measured over far more seeds than `make claims` runs.

A claim that needs no training can be measured over hundreds of seeds in minutes. These runs
are opt-in (`MEASURE_MARGINS=1 pytest tests/test_claim_margins.py`): they take minutes, and
`make test` stays fast. Cheaper ones, on the data generators alone, are in tests/test_data.py.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from helpers import experiments

pytestmark = [
    pytest.mark.train,
    pytest.mark.skipif(
        not os.environ.get("MEASURE_MARGINS"),
        reason="measures a claim over 500 seeds (2-3 minutes): set MEASURE_MARGINS=1 to run it",
    ),
]


def _input_gradients(model, X, y, truncate):
    """Notebook 3's lstm_input_gradients: g_t by a TensorFlow loop; with truncate=True the gates
    and the candidate read h_{t-1} through tf.stop_gradient (the direct path alone)."""
    import tensorflow as tf

    kernel, recurrent, bias = model.get_layer("lstm").get_weights()
    w_out, b_out = model.get_layer("readout").get_weights()
    inputs = tf.constant(X, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        h = C = tf.zeros((X.shape[0], kernel.shape[1] // 4))
        for t in range(X.shape[1]):
            h_read = tf.stop_gradient(h) if truncate else h
            i, f, c, o = tf.split(inputs[:, t] @ kernel + h_read @ recurrent + bias, 4, axis=-1)
            C = tf.sigmoid(f) * C + tf.sigmoid(i) * tf.tanh(c)
            h = tf.sigmoid(o) * tf.tanh(C)
        loss = tf.reduce_sum((h @ w_out + b_out - y) ** 2)
    return np.linalg.norm(tape.gradient(loss, inputs).numpy(), axis=-1).mean(axis=0)


def test_notebook_3s_gate_terms_claim_over_500_seeds():
    """Notebook 3 claims that, untrained, the terms through the gates add to the LSTM's reach
    (a ratio above 1, at the default sizes), and its text says that on each of seeds 1-500 they at
    least doubled it, more than tenfold at the median (so the direct path alone carried less than
    half of the reach). Measured: the smallest ratio was 2.16 (seed 228), so both hold on every
    seed; the bar of 1 leaves the claim room for seeds beyond 500."""
    import keras

    ratios = []
    for seed in range(1, 501):
        splits = experiments.adding_splits(3000, 1000, 50, rng=seed)
        X, y = splits.X_val[:256], splits.y_val[:256]
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([keras.Input(shape=(50, 2)), keras.layers.LSTM(24, name="lstm"),
                                  keras.layers.Dense(1, name="readout")])  # fmt: skip
        full = experiments.reach_ratio(_input_gradients(model, X, y, False))
        ratios.append(full / experiments.reach_ratio(_input_gradients(model, X, y, True)))
    assert min(ratios) > 2.0  # the text's "at least doubled", and so the claim's bar of 1
    assert np.median(ratios) > 10  # "more than tenfold at the median"
    assert ratios[6] == pytest.approx(6.17, abs=0.01)  # SEED = 7, as notebook 3 computes it
