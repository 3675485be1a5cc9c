"""The plumbing of the adding-problem experiments that notebooks 3 and 4 share.

- :func:`adding_splits`: the adding problem cut into training, validation and test sequences,
  with the mean baseline's test MSE.
- :func:`train_on_adding`: seed, build ``Input -> layer -> Dense(1)``, train with Adam, gradient
  clipping by the global norm and early stopping on the validation loss, score the test sequences
  once.
- :func:`input_gradient_norms`: how hard the loss pushes on each input step, ``g_t``.
- :func:`reach_recorder`: a Keras callback that records, before training and after every epoch,
  how far back the loss gradient reaches (the mean ``g_t`` over the first half of the sequence
  divided by the mean over its last five steps).
- :func:`plot_loss_shares`: training and validation curves as a share of the baseline's MSE.
- :func:`paired_difference`: the mean of a paired difference and its standard error.
- :func:`step_seconds`: the times of single training steps of several models, taken in turns.
- :func:`write_metrics`: the results as a JSON file.

What the notebooks teach (the cells, the layers, the comparisons) stays in the notebooks. Keras is
imported inside the functions that need it, so this module imports without TensorFlow.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from helpers.checks import MAX_SEED, check_array, check_float, check_int, check_optional_path
from helpers.data import adding_problem

__all__ = [
    "AddingSplits",
    "TrainResult",
    "adding_splits",
    "train_on_adding",
    "input_gradient_norms",
    "reach_ratio",
    "reach_recorder",
    "plot_loss_shares",
    "paired_difference",
    "lag1_autocorrelation",
    "step_seconds",
    "write_metrics",
]


@dataclass(frozen=True)
class AddingSplits:
    """Training, validation and test sequences of the adding problem.

    Each ``X_*`` is ``[n, seq_len, 2]`` (value, marker) and each ``y_*`` is ``[n, 1]``, float32.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def baseline_mse(self) -> float:
        """Test MSE of the mean baseline: always predict the mean target of the training part."""
        return float(np.mean((self.y_test - self.y_train.mean()) ** 2))

    @property
    def val_baseline_mse(self) -> float:
        """The mean baseline's MSE on the validation part: the yardstick of validation losses."""
        return float(np.mean((self.y_val - self.y_train.mean()) ** 2))

    @property
    def train_baseline_mse(self) -> float:
        """The mean baseline's MSE on the training part (the variance of its targets)."""
        return float(np.mean((self.y_train - self.y_train.mean()) ** 2))


def adding_splits(
    n_train: int, n_holdout: int, seq_len: int, *, rng: int | np.random.Generator
) -> AddingSplits:
    """Draw ``n_train + 2 * n_holdout`` adding-problem sequences and cut them in three parts.

    The first ``n_train`` sequences train, the next ``n_holdout`` validate (early stopping reads
    them), the last ``n_holdout`` are the test part, scored once at the end. The sequences are
    drawn independently, so the order of the cut does not matter. ``rng`` is a seed or a
    ``numpy.random.Generator`` (see :func:`helpers.data.adding_problem`).
    """
    n_train = check_int("n_train", n_train, 1, 10_000_000)
    n_holdout = check_int("n_holdout", n_holdout, 1, 10_000_000)
    seq_len = check_int("seq_len", seq_len, 2, 100_000)
    X, y = adding_problem(n_train + 2 * n_holdout, seq_len, rng=rng)
    val_end = n_train + n_holdout
    return AddingSplits(
        X[:n_train], y[:n_train], X[n_train:val_end], y[n_train:val_end], X[val_end:], y[val_end:]
    )


@dataclass
class TrainResult:
    """What :func:`train_on_adding` returns.

    ``history`` maps ``"loss"`` and ``"val_loss"`` to one value per epoch run (as Keras'
    ``History.history``); ``test_sq_errors`` is ``[n_test]``, the squared error of each test
    sequence; ``seconds`` is the wall time of ``fit`` (the first model of a kernel also pays
    TensorFlow's tracing, so do not compare these between models); ``initial_weights`` are the
    model's weights before training (``model.get_weights()`` order). ``baseline_mse`` is the mean
    baseline's MSE on the test part, ``val_baseline_mse`` and ``train_baseline_mse`` on the
    validation and training parts (each loss is compared with the baseline on its own part; they
    default to ``baseline_mse``).
    """

    model: Any
    history: dict[str, list[float]]
    seconds: float
    test_sq_errors: np.ndarray
    baseline_mse: float
    initial_weights: list[np.ndarray] = field(default_factory=list)
    val_baseline_mse: float | None = None
    train_baseline_mse: float | None = None
    params: int = field(init=False)

    def __post_init__(self) -> None:
        self.params = int(self.model.count_params())
        if self.val_baseline_mse is None:
            self.val_baseline_mse = self.baseline_mse
        if self.train_baseline_mse is None:
            self.train_baseline_mse = self.baseline_mse

    @property
    def val_shares(self) -> np.ndarray:
        """Validation loss per epoch as a share of the mean baseline on the validation part."""
        return np.asarray(self.history["val_loss"], dtype=float) / self.val_baseline_mse

    @property
    def train_shares(self) -> np.ndarray:
        """Training loss per epoch as a share of the mean baseline on the training part."""
        return np.asarray(self.history["loss"], dtype=float) / self.train_baseline_mse

    @property
    def test_mse(self) -> float:
        return float(np.mean(self.test_sq_errors))

    @property
    def ratio(self) -> float:
        """Test MSE as a share of the mean baseline's: 1 learned nothing, 0 is perfect."""
        return self.test_mse / self.baseline_mse

    @property
    def epochs_run(self) -> int:
        return len(self.history["loss"])

    def epochs_to(self, share: float) -> int | None:
        """The first epoch (1-based) whose validation loss is at most ``share`` of the mean
        baseline's validation MSE, or ``None`` if none is."""
        share = check_float("share", share, 0.0, None, low_inclusive=False)
        below = np.flatnonzero(self.val_shares <= share)
        return int(below[0]) + 1 if below.size else None


def train_on_adding(
    make_layer: Callable[[], Any],
    splits: AddingSplits,
    *,
    name: str,
    seed: int,
    epochs: int,
    batch_size: int = 32,
    learning_rate: float = 0.01,
    patience: int = 4,
    callbacks: Sequence[Any] = (),
) -> TrainResult:
    """Train ``Input -> make_layer() -> Dense(1)`` on the adding problem and score the test part.

    ``make_layer`` is called after ``keras.utils.set_random_seed(seed)``, so the same seed gives
    the same initial weights whatever the kernel ran before. The model is named ``name`` and its
    output layer ``"readout"``; it is trained with Adam (``learning_rate``, the gradient of all
    weights together clipped to norm 1: ``global_clipnorm``) on the mean squared error, for at
    most ``epochs`` epochs: early stopping ends it once the validation loss has not improved for
    ``patience`` epochs and restores the best weights.
    The test sequences are predicted once, at the end. The result keeps the initial weights, so
    the untrained model can be rebuilt (``keras.models.clone_model`` and ``set_weights``).
    ``callbacks`` are extra Keras callbacks for ``fit`` (e.g. :func:`reach_recorder`); they run
    before early stopping at the end of each epoch.
    """
    if not callable(make_layer):
        raise ValueError(f"make_layer must be a function that returns a layer, got {make_layer!r}")
    if not isinstance(splits, AddingSplits):
        raise ValueError(f"splits must be an AddingSplits, got {type(splits).__name__}")
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be a Python identifier such as 'lstm_model', got {name!r}")
    seed = check_int("seed", seed, 0, MAX_SEED)
    epochs = check_int("epochs", epochs, 1, 10_000)
    batch_size = check_int("batch_size", batch_size, 1, 1_000_000)
    learning_rate = check_float("learning_rate", learning_rate, 0.0, 1.0, low_inclusive=False)
    patience = check_int("patience", patience, 1, 10_000)
    if isinstance(callbacks, (str, bytes)) or not isinstance(callbacks, Sequence):
        raise ValueError(f"callbacks must be a list of Keras callbacks, got {callbacks!r}")
    import keras

    for callback in callbacks:
        if not isinstance(callback, keras.callbacks.Callback):
            raise ValueError(f"callbacks must hold Keras callbacks, got {callback!r}")

    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=splits.X_train.shape[1:], name="sequence"),
            make_layer(),
            keras.layers.Dense(1, name="readout"),
        ],
        name=name,
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, global_clipnorm=1.0), loss="mse")
    initial_weights = model.get_weights()
    stop = keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
    start = time.perf_counter()
    history = model.fit(
        splits.X_train,
        splits.y_train,
        validation_data=(splits.X_val, splits.y_val),
        epochs=epochs,
        batch_size=batch_size,
        callbacks=[*callbacks, stop],
        verbose=0,
    )
    seconds = time.perf_counter() - start
    predictions = model.predict(splits.X_test, batch_size=256, verbose=0)
    errors = (np.asarray(predictions, dtype=float) - splits.y_test).ravel() ** 2
    curves = {key: [float(v) for v in values] for key, values in history.history.items()}
    return TrainResult(
        model, curves, seconds, errors, splits.baseline_mse, initial_weights,
        splits.val_baseline_mse, splits.train_baseline_mse,
    )  # fmt: skip


def input_gradient_norms(model: Any, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``g_t``: the norm of d(squared error of each sequence) / d x_t, averaged over the batch.

    ``X`` is ``[B, T, F]``, ``y`` is ``[B, 1]``; ``model`` maps ``X`` to ``[B, 1]``. Returns
    ``[T]``: how hard each sequence's own loss pushes on its input at step ``t``, on average.
    """
    X = check_array("X", X, ndim=(3,), min_length=1).astype(np.float32)
    y = np.asarray(y, dtype=np.float32)
    if y.shape != (X.shape[0], 1):
        raise ValueError(f"y must be [B, 1] = {(X.shape[0], 1)}, got {y.shape}")
    import tensorflow as tf

    inputs = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        loss = tf.reduce_sum((model(inputs) - y) ** 2)  # a sum: each sequence's own error
    grads = tape.gradient(loss, inputs).numpy()  # [B, T, F]
    return np.linalg.norm(grads, axis=-1).mean(axis=0)


def reach_ratio(g: np.ndarray, last: int = 5) -> float:
    """How far back a gradient reaches: the mean of ``g [T]`` over the first half of the steps
    divided by its mean over the last ``last`` steps (1: as strong at the start as at the end)."""
    g = check_array("g", np.asarray(g, dtype=float), ndim=(1,), min_length=2)
    last = check_int("last", last, 1, g.size)
    return float(g[: g.size // 2].mean() / g[-last:].mean())


def reach_recorder(X: np.ndarray, y: np.ndarray, last: int = 5) -> Any:
    """A Keras callback that records :func:`reach_ratio` of the model's input gradients on
    ``X [B, T, F]``, ``y [B, 1]`` before training and after each epoch, in ``.ratios``
    (``ratios[0]`` before training, ``ratios[k]`` after epoch ``k``), and the gradients
    themselves in ``.norms`` (``[T]`` each)."""
    X = check_array("X", X, ndim=(3,), min_length=1).astype(np.float32)
    if X.shape[1] < 2:
        raise ValueError(f"X must have at least 2 steps, got {X.shape[1]}")
    y = np.asarray(y, dtype=np.float32)
    if y.shape != (X.shape[0], 1):
        raise ValueError(f"y must be [B, 1] = {(X.shape[0], 1)}, got {y.shape}")
    last = check_int("last", last, 1, X.shape[1])
    import keras

    class ReachRecorder(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.ratios: list[float] = []
            self.norms: list[np.ndarray] = []

        def _record(self) -> None:
            g = input_gradient_norms(self.model, X, y)
            self.norms.append(g)
            self.ratios.append(reach_ratio(g, last))

        def on_train_begin(self, logs: Any = None) -> None:
            self._record()

        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            self._record()

    return ReachRecorder()


def plot_loss_shares(
    results: Mapping[str, TrainResult],
    *,
    ax: Axes | None = None,
    bars: tuple[float, ...] = (0.5, 0.1),
    title: str = "The adding problem: loss as a share of the mean baseline",
) -> Axes:
    """Plot each model's validation (solid, markers) and training (dashed) loss per epoch, each
    divided by the mean baseline's MSE on its own part, on a log scale, with a dotted line at each
    share in ``bars``.

    Each model gets one colour and one marker, so the curves differ by more than colour.
    """
    if not isinstance(results, Mapping) or not results:
        raise ValueError("results must be a non-empty mapping name -> TrainResult")
    for key, result in results.items():
        if not isinstance(result, TrainResult):
            raise ValueError(f"results[{key!r}] must be a TrainResult, got {type(result).__name__}")
    for share in bars:
        check_float("bars", share, 0.0, None, low_inclusive=False)
    import matplotlib.pyplot as plt

    from helpers.plotting import PALETTE

    if ax is None:
        _, ax = plt.subplots(figsize=(9.5, 3.8))
    markers = "osD^v<>"
    for k, (label, result) in enumerate(results.items()):
        colour, marker = PALETTE[k % len(PALETTE)], markers[k % len(markers)]
        epochs = np.arange(1, result.epochs_run + 1)
        ax.plot(
            epochs,
            result.val_shares,
            "-",
            marker=marker,
            ms=4,
            color=colour,
            label=f"{label} validation",
        )
        ax.plot(
            epochs,
            result.train_shares,
            "--",
            color=colour,
            label=f"{label} training",
        )
    for share, grey in zip(bars, ("0.5", "0.2", "0.35", "0.65"), strict=False):
        ax.axhline(share, color=grey, lw=0.8, ls=":", label=f"{share:.0%} of the baseline")
    ax.set(title=title, xlabel="epoch", ylabel="MSE / mean baseline's MSE", yscale="log")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def paired_difference(errors_a: np.ndarray, errors_b: np.ndarray) -> tuple[float, float]:
    """Mean of ``errors_a - errors_b`` over paired items and its standard error.

    ``errors_a`` and ``errors_b`` are ``[n]``, e.g. two models' squared errors on the same ``n``
    test sequences (``n >= 2``). The standard error is ``std(d, ddof=1) / sqrt(n)``; a mean more
    than about two standard errors from 0 is a difference these items support.
    """
    a = check_array("errors_a", np.asarray(errors_a, dtype=float), ndim=(1,), min_length=2)
    b = check_array("errors_b", np.asarray(errors_b, dtype=float), ndim=(1,), min_length=2)
    if a.shape != b.shape:
        raise ValueError(f"errors_b must have the shape of errors_a {a.shape}, got {b.shape}")
    diff = a - b
    return float(diff.mean()), float(diff.std(ddof=1) / math.sqrt(diff.size))


def lag1_autocorrelation(d: np.ndarray) -> float:
    """Correlation of ``d_t`` with ``d_{t-1}`` over a series ``d [n]`` (``n >= 3``, not
    constant), about its mean.

    Used on paired differences of errors: the standard error of :func:`paired_difference`
    assumes uncorrelated ``d_t``, which a value near 0 supports; a large positive one means that
    neighbouring steps err together and the standard error is too small.
    """
    d = check_array("d", np.asarray(d, dtype=float), ndim=(1,), min_length=3)
    d = d - d.mean()
    total = float(d @ d)
    if total == 0.0:
        raise ValueError("d must not be constant: its autocorrelation is undefined")
    return float(d[1:] @ d[:-1] / total)


def step_seconds(
    models: Mapping[str, Any], X: np.ndarray, y: np.ndarray, *, repeats: int = 15, warmup: int = 3
) -> dict[str, np.ndarray]:
    """Wall times of single training steps (``train_on_batch``) of several models on the batch
    ``X [B, ...]``, ``y [B, ...]``: ``{name: [repeats] seconds}``.

    Each model first takes ``warmup`` untimed steps that pay any tracing; then the models take
    turns, one step each, ``repeats`` times, so that a change in the machine's load falls on all
    of them alike. The models must be compiled; their weights are restored afterwards (the
    optimizers' counters move on). The times depend on the machine and its load.
    """
    repeats = check_int("repeats", repeats, 1, 10_000)
    warmup = check_int("warmup", warmup, 1, 1_000)
    if not isinstance(models, Mapping) or not models:
        raise ValueError("models must be a non-empty mapping name -> compiled Keras model")
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim < 2 or y.ndim < 1 or X.shape[0] != y.shape[0] or X.shape[0] == 0:
        raise ValueError(
            f"X and y must be a batch of the same non-zero length, got {X.shape} and {y.shape}"
        )
    for name, model in models.items():
        if getattr(model, "optimizer", None) is None or not hasattr(model, "train_on_batch"):
            raise ValueError(f"models[{name!r}] must be a compiled Keras model")
    weights = {name: model.get_weights() for name, model in models.items()}
    for model in models.values():
        for _ in range(warmup):
            model.train_on_batch(X, y)
    times: dict[str, list[float]] = {name: [] for name in models}
    for _ in range(repeats):
        for name, model in models.items():
            start = time.perf_counter()
            model.train_on_batch(X, y)
            times[name].append(time.perf_counter() - start)
    for name, model in models.items():
        model.set_weights(weights[name])
    return {name: np.asarray(values) for name, values in times.items()}


def write_metrics(
    path: str | Path | None, results: Mapping[str, TrainResult], **extra: float
) -> dict[str, Any] | None:
    """Write the results as JSON to ``path`` and return what was written; ``None`` writes nothing.

    For each model: parameters, epochs run, seconds of training, test MSE and its share of the
    baseline. ``extra`` adds numbers at the top level (e.g. ``paired_se=...``); the baseline's
    test MSE is always there.
    """
    checked = check_optional_path("path", path)
    if checked is None:
        return None
    if not isinstance(results, Mapping) or not results:
        raise ValueError("results must be a non-empty mapping name -> TrainResult")
    baselines = {r.baseline_mse for r in results.values() if isinstance(r, TrainResult)}
    if len(baselines) != 1 or not all(isinstance(r, TrainResult) for r in results.values()):
        raise ValueError("results must all be TrainResults scored against the same baseline")
    report: dict[str, Any] = {"baseline_mse": baselines.pop()}
    for key, value in extra.items():
        report[key] = check_float(key, value)
    for label, r in results.items():
        report[label] = {
            "params": r.params,
            "epochs": r.epochs_run,
            "seconds": r.seconds,
            "test_mse": r.test_mse,
            "ratio": r.ratio,
        }
    checked.write_text(json.dumps(report, indent=2))
    return report
