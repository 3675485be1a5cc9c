"""helpers.checks: each check accepts good values and names the argument and range otherwise."""

from pathlib import Path

import numpy as np
import pytest

from helpers.checks import check_array, check_float, check_int, check_optional_path, check_rng


def test_check_int_accepts_and_converts():
    assert check_int("N", 3, 1, 5) == 3
    assert type(check_int("N", np.int64(4), 1, 5)) is int
    assert check_int("N", 10**9) == 10**9


@pytest.mark.parametrize(
    ("value", "low", "high", "message"),
    [
        (0, 1, 5, r"N must be an integer in \[1, 5\], got 0"),
        (6, 1, 5, r"N must be an integer in \[1, 5\], got 6"),
        (-1, 0, None, r"N must be an integer >= 0, got -1"),
        (9, None, 8, r"N must be an integer <= 8, got 9"),
        (2.0, 1, 5, r"N must be an integer in \[1, 5\], got 2.0"),
        ("3", 1, 5, r"N must be an integer in \[1, 5\], got '3'"),
        (True, 0, 5, r"N must be an integer in \[0, 5\], got True"),
        (None, 0, 5, r"got None"),
    ],
)
def test_check_int_rejects(value, low, high, message):
    with pytest.raises(ValueError, match=message):
        check_int("N", value, low, high)


def test_check_float_accepts_ints_and_floats():
    assert check_float("A", 1, 0, 2) == 1.0
    assert check_float("A", np.float32(0.5), 0, 1) == 0.5


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        (
            0.0,
            {"low": 0.0, "high": 1.0, "low_inclusive": False},
            r"A must be a number in \(0.0, 1.0\]",
        ),
        (1.0, {"low": 0.0, "high": 1.0, "high_inclusive": False}, r"in \[0.0, 1.0\), got 1.0"),
        (-2.0, {"low": 0.0}, r"A must be a number >= 0.0, got -2.0"),
        (0.0, {"low": 0.0, "low_inclusive": False}, r"A must be a number > 0.0"),
        (3.0, {"high": 2.0}, r"A must be a number <= 2.0"),
        (3.0, {"high": 2.0, "high_inclusive": False}, r"A must be a number < 2.0"),
        (float("nan"), {}, r"A must be a number finite, got nan"),
        (float("inf"), {"low": 0.0}, r"got inf"),
        ("x", {}, r"got 'x'"),
        (False, {}, r"got False"),
    ],
)
def test_check_float_rejects(value, kwargs, message):
    with pytest.raises(ValueError, match=message):
        check_float("A", value, **kwargs)


def test_check_optional_path():
    assert check_optional_path("METRICS_PATH", None) is None
    assert check_optional_path("METRICS_PATH", "out/m.json") == Path("out/m.json")
    for bad in ("", "  ", 3, ["a"]):
        with pytest.raises(ValueError, match="METRICS_PATH must be None or a non-empty file path"):
            check_optional_path("METRICS_PATH", bad)


def test_check_array():
    arr = check_array("s", [1, 2, 3])
    assert arr.dtype == float and arr.shape == (3,)
    with pytest.raises(ValueError, match=r"s must be a 1-D array, got shape \(2, 2\)"):
        check_array("s", np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"s must be a 1-D or 2-D array, got shape \(\)"):
        check_array("s", 1.0, ndim=(1, 2))
    with pytest.raises(ValueError, match="s must have at least 3 time steps"):
        check_array("s", [1.0, 2.0], min_length=3)
    with pytest.raises(ValueError, match="s must hold finite values only"):
        check_array("s", [1.0, np.nan])
    with pytest.raises(ValueError, match="s must be an array of numbers, got str"):
        check_array("s", "abc")


def test_check_rng():
    gen = np.random.default_rng(1)
    assert check_rng("rng", gen) is gen
    a, b = check_rng("rng", 7), check_rng("rng", 7)
    assert a.random() == b.random()
    for bad in (-1, 2**32, "7", 1.5):
        with pytest.raises(ValueError, match=r"rng must be a numpy.random.Generator or an integer"):
            check_rng("rng", bad)
