"""Forecasting baselines that need a library: exponential smoothing (Holt-Winters).

:func:`exponential_smoothing` fits statsmodels' ``ExponentialSmoothing`` on the training part of a
series only, runs the fitted model unchanged over the whole series to get honest one-step-ahead
forecasts of every later step, and chooses among several variants on the validation steps.
statsmodels is imported inside the function, so this module imports with NumPy alone.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from helpers.checks import check_array, check_int

__all__ = ["SmoothingChoice", "exponential_smoothing"]

ALLOWED = {"trend", "damped_trend", "seasonal", "seasonal_periods"}


@dataclass(frozen=True)
class SmoothingChoice:
    """What :func:`exponential_smoothing` returns.

    ``chosen`` names the variant with the lowest validation MSE; ``val_mse`` maps every variant to
    its validation MSE; ``forecast`` is the chosen variant's one-step forecasts ``[len(y)]``
    (``forecast[t]`` uses ``y[:t]`` only); ``params`` are its fitted smoothing weights (and damping
    factor); ``initial`` its fitted initial states, the ones in front of ``y[0]``: ``"level"``
    (a float), ``"trend"`` (a float, with a trend) and ``"seasons"`` (``[seasonal_periods]``, with a
    season: the seasonal terms of ``y[0], ..., y[m-1]`` before any update), enough to rerun the
    recursion by hand.
    """

    chosen: str
    val_mse: dict[str, float]
    forecast: np.ndarray
    params: dict[str, float]
    initial: dict[str, float | np.ndarray]


def _one_variant(y: np.ndarray, train_end: int, options: dict) -> tuple[np.ndarray, dict, dict]:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    trend, season = bool(options.get("trend")), bool(options.get("seasonal"))
    damped = bool(options.get("damped_trend"))
    with warnings.catch_warnings():  # the optimiser may warn that it stopped early
        warnings.simplefilter("ignore")
        fit = ExponentialSmoothing(
            y[:train_end], initialization_method="heuristic", **options
        ).fit()
        p = fit.params
        run = ExponentialSmoothing(
            y,
            initialization_method="known",
            initial_level=p["initial_level"],
            initial_trend=p["initial_trend"] if trend else None,
            initial_seasonal=p["initial_seasons"] if season else None,
            **options,
        ).fit(
            smoothing_level=p["smoothing_level"],
            smoothing_trend=p["smoothing_trend"] if trend else None,
            smoothing_seasonal=p["smoothing_seasonal"] if season else None,
            damping_trend=p["damping_trend"] if damped else None,
            optimized=False,
        )
    forecast = np.asarray(run.fittedvalues, dtype=float)
    # The same model: run over the whole series, it repeats the fit's own training forecasts.
    if not np.allclose(forecast[:train_end], np.asarray(fit.fittedvalues), atol=1e-8):
        raise RuntimeError(
            "the model run over the series differs from its fit on the training part"
        )
    weights = {
        name: float(p[name])
        for name, used in (("smoothing_level", True), ("smoothing_trend", trend),
                           ("smoothing_seasonal", season), ("damping_trend", damped))
        if used
    }  # fmt: skip
    initial: dict[str, float | np.ndarray] = {"level": float(p["initial_level"])}
    if trend:
        initial["trend"] = float(p["initial_trend"])
    if season:
        initial["seasons"] = np.asarray(p["initial_seasons"], dtype=float).copy()
    return forecast, weights, initial


def exponential_smoothing(
    y: np.ndarray, train_end: int, val_steps: np.ndarray, variants: Mapping[str, dict]
) -> SmoothingChoice:
    """One-step forecasts of ``y [T]`` by exponential smoothing, the variant chosen on validation.

    Each variant (a name -> keyword arguments of statsmodels' ``ExponentialSmoothing``: any of
    ``trend``, ``damped_trend``, ``seasonal``, ``seasonal_periods``) has its smoothing weights
    estimated on ``y[:train_end]`` (initial states from the first seasons, statsmodels'
    "heuristic"). The fitted model then runs over all of ``y`` without being refitted, so the
    forecast of step ``t`` uses ``y[:t]`` and nothing is estimated on a later step. The variant
    with the lowest MSE over ``val_steps`` (indices into ``y``, all at or after ``train_end``) is
    chosen. The heuristic needs at least two seasons (and ten steps) of training data.
    """
    y = check_array("y", y, ndim=(1,), min_length=10)
    train_end = check_int("train_end", train_end, 10, y.size - 1)
    steps = np.asarray(val_steps)
    if steps.ndim != 1 or steps.size == 0 or not np.issubdtype(steps.dtype, np.integer):
        raise ValueError("val_steps must be a non-empty 1-D array of integer indices into y")
    if steps.min() < train_end or steps.max() >= y.size:
        raise ValueError(f"val_steps must lie in [train_end, len(y)) = [{train_end}, {y.size})")
    if not isinstance(variants, Mapping) or not variants:
        raise ValueError("variants must be a non-empty mapping name -> keyword arguments")
    for name, options in variants.items():
        if not isinstance(options, Mapping) or not set(options) <= ALLOWED:
            raise ValueError(
                f"variants[{name!r}] must be a dict with keys among {sorted(ALLOWED)}, "
                f"got {options!r}"
            )
        if options.get("seasonal") and not options.get("seasonal_periods"):
            raise ValueError(f"variants[{name!r}]: a season needs seasonal_periods")
    results = {}
    for name, options in variants.items():
        try:
            results[name] = _one_variant(y, train_end, dict(options))
        except ValueError as exc:  # statsmodels' own check of the training data's length
            raise ValueError(f"variants[{name!r}]: {exc}") from None
    val_mse = {name: float(np.mean((y[steps] - r[0][steps]) ** 2)) for name, r in results.items()}
    chosen = min(val_mse, key=val_mse.get)
    return SmoothingChoice(chosen, val_mse, *results[chosen])
