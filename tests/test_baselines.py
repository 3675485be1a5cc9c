"""helpers.baselines: exponential smoothing fitted on the training part, chosen on validation."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.baselines import exponential_smoothing

SEASONAL = {"seasonal": "add", "seasonal_periods": 24}


@pytest.fixture(scope="module")
def series() -> np.ndarray:
    rng = np.random.default_rng(0)
    t = np.arange(24 * 40)
    return 5 + np.sin(2 * np.pi * t / 24) + rng.normal(0, 0.1, t.size)


def test_the_seasonal_variant_wins_on_a_seasonal_series_and_nears_the_noise(series):
    val = np.arange(600, 800)
    choice = exponential_smoothing(series, 600, val, {"simple": {}, "daily season": SEASONAL})
    assert choice.chosen == "daily season"
    assert choice.val_mse["daily season"] < 0.25 * choice.val_mse["simple"]
    assert choice.val_mse["daily season"] < 2 * 0.1**2  # near the noise variance
    assert choice.forecast.shape == series.shape
    assert set(choice.params) == {"smoothing_level", "smoothing_seasonal"}


def test_forecasts_use_only_the_past_and_nothing_is_refitted_on_later_steps(series):
    val = np.arange(600, 800)
    full = exponential_smoothing(series, 600, val, {"s": SEASONAL}).forecast
    changed = series.copy()
    changed[700:] += 100.0  # a change after step 700 must not move any forecast up to step 700
    moved = exponential_smoothing(changed, 600, val, {"s": SEASONAL}).forecast
    assert np.allclose(full[:701], moved[:701])
    assert not np.allclose(full[701:], moved[701:])


def test_damped_trend_variant_runs(series):
    val = np.arange(600, 700)
    variant = {"trend": "add", "damped_trend": True, **SEASONAL}
    choice = exponential_smoothing(series, 600, val, {"damped": variant})
    assert set(choice.params) >= {"smoothing_trend", "damping_trend"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"train_end": 5}, "train_end must be"),
        ({"val_steps": np.arange(500, 700)}, "val_steps must lie in"),
        ({"val_steps": np.array([600.5])}, "integer indices"),
        ({"variants": {}}, "non-empty mapping"),
        ({"variants": {"x": {"alpha": 0.3}}}, "keys among"),
        ({"variants": {"x": {"seasonal": "add"}}}, "needs seasonal_periods"),
        ({"variants": {"x": {"seasonal": "add", "seasonal_periods": 400}}}, "variants\\['x'\\]"),
    ],
)
def test_bad_arguments_name_themselves(series, kwargs, message):
    args = {"y": series, "train_end": 600, "val_steps": np.arange(600, 700),
            "variants": {"s": SEASONAL}, **kwargs}  # fmt: skip
    with pytest.raises(ValueError, match=message):
        exponential_smoothing(**args)


def _additive_recursion(y: np.ndarray, params: dict, initial: dict) -> np.ndarray:
    """Additive Holt-Winters by hand (level, optional damped trend, optional season)."""
    alpha = params["smoothing_level"]
    beta, gamma = params.get("smoothing_trend", 0.0), params.get("smoothing_seasonal", 0.0)
    phi = params.get("damping_trend", 1.0)
    level, trend = initial["level"], initial.get("trend", 0.0)
    seasons = list(initial.get("seasons", np.zeros(y.size)))  # seasons[t]: the term of y[t]
    out = np.empty(y.size)
    for t, value in enumerate(y):
        s = seasons[t]
        out[t] = level + phi * trend + s
        new_level = alpha * (value - s) + (1 - alpha) * (level + phi * trend)
        if "seasons" in initial:  # the term of y[t + m]
            seasons.append(gamma * (value - level - phi * trend) + (1 - gamma) * s)
        trend = beta * (new_level - level) + (1 - beta) * phi * trend
        level = new_level
    return out


@pytest.mark.parametrize(
    "variant",
    [
        {},
        SEASONAL,
        {"trend": "add", **SEASONAL},
        {"trend": "add", "damped_trend": True, **SEASONAL},
        {"trend": "add", "damped_trend": True},
    ],
)
def test_initial_states_and_weights_rerun_the_recursion_by_hand(series, variant):
    choice = exponential_smoothing(series, 600, np.arange(600, 700), {"v": variant})
    expected = {"level"} | ({"trend"} if "trend" in variant else set())
    expected |= {"seasons"} if "seasonal" in variant else set()
    assert set(choice.initial) == expected
    if "seasonal" in variant:
        assert choice.initial["seasons"].shape == (24,)
    assert np.allclose(_additive_recursion(series, choice.params, choice.initial), choice.forecast)
