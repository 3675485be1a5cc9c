"""Data for the course: synthetic series, windows, chronological splits and scaling.

Conventions: a series is ``[time]`` (one feature) or ``[time, features]``; windows are batch-first,
``X [samples, window, features]`` and ``y [samples, horizon]``, the layout Keras' recurrent layers
read. Every random draw comes from a ``numpy.random.Generator`` passed in (or built from an integer
seed), so the same seed always gives the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from helpers.checks import check_array, check_float, check_int, check_rng

__all__ = [
    "noisy_sine",
    "make_windows",
    "Split",
    "chronological_split",
    "Scaler",
    "fit_scaler",
    "adding_problem",
    "energy_load",
    "weather",
    "random_walk",
    "inject_anomalies",
]


# --------------------------------------------------------------------------- series


def noisy_sine(
    n_steps: int = 1000,
    *,
    frequency: float = 0.1,
    noise_std: float = 0.1,
    rng: int | np.random.Generator = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """The running example: ``sin(frequency * t) + N(0, noise_std²)``, ``t = 0..n_steps-1``.

    Returns ``(noisy, clean)``, both ``[n_steps]`` float64. ``clean`` is the noise-free sine, the
    best any forecaster could do: its error against ``noisy`` is the oracle floor.
    """
    n_steps = check_int("n_steps", n_steps, 2, 10_000_000)
    frequency = check_float("frequency", frequency, 0.0, np.pi, low_inclusive=False)
    noise_std = check_float("noise_std", noise_std, 0.0, 100.0)
    gen = check_rng("rng", rng)
    t = np.arange(n_steps)
    clean = np.sin(frequency * t)
    noisy = clean + gen.normal(0.0, noise_std, n_steps)
    return noisy, clean


def adding_problem(
    n_samples: int, seq_len: int = 50, *, rng: int | np.random.Generator = 0
) -> tuple[np.ndarray, np.ndarray]:
    """The adding problem, a test of long memory.

    Each sample is a sequence of ``seq_len`` steps with two features: a value drawn from U(0, 1)
    and a marker that is 1 at exactly two steps (one in the first half, one in the second half)
    and 0 elsewhere. The target is the sum of the two marked values, so a model must carry the
    first marked value across at least ``seq_len / 2`` steps.

    Returns ``X [n_samples, seq_len, 2]`` (float32) and ``y [n_samples, 1]`` (float32).
    Predicting the mean of ``y`` scores an MSE of about 1/6 (the variance of a sum of two U(0, 1)).
    """
    n_samples = check_int("n_samples", n_samples, 1, 10_000_000)
    seq_len = check_int("seq_len", seq_len, 2, 100_000)
    gen = check_rng("rng", rng)
    values = gen.uniform(0.0, 1.0, (n_samples, seq_len))
    half = seq_len // 2
    first = gen.integers(0, half, n_samples)
    second = gen.integers(half, seq_len, n_samples)
    markers = np.zeros((n_samples, seq_len))
    rows = np.arange(n_samples)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    X = np.stack([values, markers], axis=-1).astype(np.float32)
    y = (values[rows, first] + values[rows, second]).astype(np.float32)[:, None]
    return X, y


def energy_load(
    n_days: int = 56, *, noise_std: float = 0.05, rng: int | np.random.Generator = 0
) -> np.ndarray:
    """Hourly electricity load with a daily and a weekly cycle, a slow upward trend and noise.

    Returns ``[n_days * 24]`` float64 in arbitrary units around 1. Weekdays (the first five days of
    every 7) carry a morning and an evening peak; weekend days are lower and flatter.
    """
    n_days = check_int("n_days", n_days, 2, 100_000)
    noise_std = check_float("noise_std", noise_std, 0.0, 10.0)
    gen = check_rng("rng", rng)
    hours = np.arange(n_days * 24)
    hour_of_day = hours % 24
    weekday = (hours // 24) % 7 < 5
    morning = np.exp(-0.5 * ((hour_of_day - 8) / 2.0) ** 2)
    evening = np.exp(-0.5 * ((hour_of_day - 19) / 2.5) ** 2)
    daily = np.where(weekday, 0.35 * morning + 0.45 * evening, 0.15 * morning + 0.3 * evening)
    base = np.where(weekday, 1.0, 0.85)
    trend = 0.1 * hours / hours.size
    return base + daily + trend + gen.normal(0.0, noise_std, hours.size)


def weather(n_steps: int = 2000, *, rng: int | np.random.Generator = 0) -> np.ndarray:
    """A multivariate hourly weather record: ``[n_steps, 3]`` with columns temperature (°C),
    relative humidity (%) and air pressure (hPa, as the deviation from 1013).

    Temperature follows a daily cycle plus a slow weather anomaly driven by the pressure:
    a pressure rise is followed, some hours later, by warmer air. Humidity falls as temperature
    rises. So past pressure carries information about future temperature that past temperature
    alone does not.
    """
    n_steps = check_int("n_steps", n_steps, 2, 10_000_000)
    gen = check_rng("rng", rng)
    hours = np.arange(n_steps)
    pressure = np.zeros(n_steps)
    anomaly = np.zeros(n_steps)
    shocks = gen.normal(0.0, 1.0, n_steps)
    for t in range(1, n_steps):  # an AR(1) pressure and a temperature anomaly that follows it
        pressure[t] = 0.97 * pressure[t - 1] + 0.8 * shocks[t]
        anomaly[t] = 0.9 * anomaly[t - 1] + 0.12 * pressure[max(t - 6, 0)]
    daily = 6.0 * np.sin(2 * np.pi * (hours - 9) / 24)
    temperature = 12.0 + daily + anomaly + gen.normal(0.0, 0.3, n_steps)
    humidity = np.clip(70.0 - 2.0 * (temperature - 12.0) + gen.normal(0.0, 3.0, n_steps), 5, 100)
    return np.stack([temperature, humidity, pressure], axis=1)


def random_walk(
    n_steps: int = 1000,
    *,
    start: float = 100.0,
    step_std: float = 1.0,
    rng: int | np.random.Generator = 0,
) -> np.ndarray:
    """A price-like random walk ``p_t = p_{t-1} + N(0, step_std²)``, ``[n_steps]`` float64.

    Its increments are independent, so no model can forecast them: the best forecast of
    tomorrow is today's value.
    """
    n_steps = check_int("n_steps", n_steps, 2, 10_000_000)
    start = check_float("start", start)
    step_std = check_float("step_std", step_std, 0.0, None, low_inclusive=False)
    gen = check_rng("rng", rng)
    steps = gen.normal(0.0, step_std, n_steps)
    steps[0] = 0.0
    return start + np.cumsum(steps)


def inject_anomalies(
    series: np.ndarray,
    n_anomalies: int,
    *,
    magnitude: float = 1.0,
    start: int = 0,
    rng: int | np.random.Generator = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Add ``n_anomalies`` spikes of ``±magnitude`` at distinct random steps ``>= start``.

    ``series`` is ``[time]``. Returns ``(corrupted, is_anomaly)``: a copy of the series with the
    spikes added, and a boolean mask ``[time]`` that is ``True`` exactly at the spiked steps.
    """
    arr = check_array("series", series, ndim=(1,), min_length=2)
    start = check_int("start", start, 0, arr.shape[0] - 1)
    n_anomalies = check_int("n_anomalies", n_anomalies, 0, arr.shape[0] - start)
    magnitude = check_float("magnitude", magnitude, 0.0, None, low_inclusive=False)
    gen = check_rng("rng", rng)
    where = gen.choice(np.arange(start, arr.shape[0]), size=n_anomalies, replace=False)
    signs = gen.choice([-1.0, 1.0], size=n_anomalies)
    corrupted = arr.copy()
    corrupted[where] += signs * magnitude
    mask = np.zeros(arr.shape[0], dtype=bool)
    mask[where] = True
    return corrupted, mask


# --------------------------------------------------------------------------- windows


def make_windows(
    series: np.ndarray, window: int, horizon: int = 1, *, target: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into supervised samples: ``window`` past steps in, the next ``horizon`` out.

    ``series`` is ``[time]`` or ``[time, features]``. Sample ``i`` reads steps ``i .. i+window-1``
    of every feature and predicts steps ``i+window .. i+window+horizon-1`` of column ``target``.

    Returns ``X [samples, window, features]`` and ``y [samples, horizon]`` with
    ``samples = time - window - horizon + 1``. No Python loop over samples: the windows are
    strided views of the series, copied once.
    """
    arr = check_array("series", series, ndim=(1, 2), min_length=2)
    if arr.ndim == 1:
        arr = arr[:, None]
    n_time, n_features = arr.shape
    window = check_int("window", window, 1, n_time - 1)
    horizon = check_int("horizon", horizon, 1, n_time - window)
    target = check_int("target", target, 0, n_features - 1)
    n_samples = n_time - window - horizon + 1
    # sliding_window_view gives [time - window + 1, features, window]; put time second.
    X = sliding_window_view(arr, window, axis=0)[:n_samples].transpose(0, 2, 1)
    y = sliding_window_view(arr[window:, target], horizon)[:n_samples]
    return np.ascontiguousarray(X), np.ascontiguousarray(y)


@dataclass(frozen=True)
class Split:
    """Three consecutive parts of a series, in time order.

    ``train`` is ``series[:train_end]``; ``val`` covers ``series[train_end:val_end]`` and
    ``test`` covers ``series[val_end:]``, each preceded by ``context`` steps of the part before it
    (inputs only: windows cut from ``val`` then predict every validation step).
    """

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray
    train_end: int
    val_end: int
    context: int


def chronological_split(
    series: np.ndarray,
    *,
    val_fraction: float = 0.15,
    test_fraction: float = 0.15,
    context: int = 0,
) -> Split:
    """Split a series in time order into train, validation and test parts, before any windowing.

    Cut the windows from each part separately (``make_windows(split.train, ...)`` and so on):
    then no training window reads or predicts a validation or test step. With ``context = window``
    the validation and test parts start ``window`` steps early, so their first window predicts
    their first own step; those extra steps are inputs, never targets.
    """
    arr = check_array("series", series, ndim=(1, 2), min_length=3)
    n = arr.shape[0]
    val_fraction = check_float("val_fraction", val_fraction, 0.0, 1.0, high_inclusive=False)
    test_fraction = check_float("test_fraction", test_fraction, 0.0, 1.0, low_inclusive=False)
    if val_fraction + test_fraction >= 1.0:
        raise ValueError(
            "val_fraction + test_fraction must be < 1 so that training data remains, "
            f"got {val_fraction} + {test_fraction}"
        )
    n_test = max(1, round(n * test_fraction))
    n_val = round(n * val_fraction)
    train_end = n - n_val - n_test
    if train_end < 1:
        raise ValueError(f"series is too short to split: {n} steps leave no training part")
    val_end = train_end + n_val
    context = check_int("context", context, 0, train_end)
    return Split(
        train=arr[:train_end].copy(),
        val=arr[train_end - context : val_end].copy(),
        test=arr[val_end - context :].copy(),
        train_end=train_end,
        val_end=val_end,
        context=context,
    )


# --------------------------------------------------------------------------- scaling


@dataclass(frozen=True)
class Scaler:
    """Standardisation ``(x - mean) / scale`` per feature, with statistics from the training part.

    ``mean`` and ``scale`` are ``[features]`` (``[1]`` for a 1-D series).
    """

    mean: np.ndarray
    scale: np.ndarray

    def transform(self, x: np.ndarray) -> np.ndarray:
        """Scale ``x [..., features]`` (or a 1-D series when there is one feature)."""
        return (np.asarray(x, dtype=float) - self._fit(x, self.mean)) / self._fit(x, self.scale)

    def inverse_transform(self, x: np.ndarray, *, column: int | None = None) -> np.ndarray:
        """Undo :meth:`transform`. With ``column``, ``x`` holds that one feature (e.g. ``y``)."""
        x = np.asarray(x, dtype=float)
        if column is None:
            return x * self._fit(x, self.scale) + self._fit(x, self.mean)
        column = check_int("column", column, 0, self.mean.size - 1)
        return x * self.scale[column] + self.mean[column]

    def _fit(self, x: np.ndarray, stat: np.ndarray) -> np.ndarray | float:
        x = np.asarray(x)
        if stat.size == 1:
            return float(stat[0])
        if x.ndim == 0 or x.shape[-1] != stat.size:
            raise ValueError(
                f"x must have {stat.size} features on its last axis, got shape {x.shape}"
            )
        return stat


def fit_scaler(train: np.ndarray) -> Scaler:
    """Fit a :class:`Scaler` on the training part only (``[time]`` or ``[time, features]``).

    A constant feature gets ``scale = 1`` so that transforming it never divides by zero.
    """
    arr = check_array("train", train, ndim=(1, 2), min_length=2)
    if arr.ndim == 1:
        arr = arr[:, None]
    mean = arr.mean(axis=0)
    scale = arr.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return Scaler(mean=mean, scale=scale)
