"""Argument checks shared by the helpers and by the notebooks' setup cells.

Each check returns the value (converted to a plain Python type) or raises a ``ValueError``
whose message names the argument and the accepted range, e.g.
``EPOCHS must be an integer in [1, 500], got 0``.
"""

from __future__ import annotations

import math
import numbers
from pathlib import Path

import numpy as np

__all__ = [
    "MAX_SEED",
    "check_int",
    "check_float",
    "check_optional_path",
    "check_array",
    "check_rng",
]


MAX_SEED = 2**32 - 1  # the largest seed NumPy and Keras accept


def _range_text(
    low: float | None,
    high: float | None,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    unbounded: str = "of any size",
) -> str:
    """``in [low, high]``, ``> low``, ``<= high`` and so on, as an error message states a range."""
    if low is not None and high is not None:
        left, right = "[" if low_inclusive else "(", "]" if high_inclusive else ")"
        return f"in {left}{low}, {high}{right}"
    if low is not None:
        return f"{'>=' if low_inclusive else '>'} {low}"
    if high is not None:
        return f"{'<=' if high_inclusive else '<'} {high}"
    return unbounded


def check_int(name: str, value: object, low: int | None = None, high: int | None = None) -> int:
    """Return ``value`` as an ``int`` if it is an integer in ``[low, high]`` (bounds optional)."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
    if ok:
        value = int(value)  # type: ignore[arg-type]
        ok = (low is None or value >= low) and (high is None or value <= high)
    if not ok:
        raise ValueError(f"{name} must be an integer {_range_text(low, high)}, got {value!r}")
    return value  # type: ignore[return-value]


def check_float(
    name: str,
    value: object,
    low: float | None = None,
    high: float | None = None,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Return ``value`` as a finite ``float`` within the given bounds (bounds optional)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    if ok:
        value = float(value)  # type: ignore[arg-type]
        ok = math.isfinite(value)
        if ok and low is not None:
            ok = value >= low if low_inclusive else value > low
        if ok and high is not None:
            ok = value <= high if high_inclusive else value < high
    if not ok:
        text = _range_text(
            low,
            high,
            low_inclusive=low_inclusive,
            high_inclusive=high_inclusive,
            unbounded="finite",
        )
        raise ValueError(f"{name} must be a number {text}, got {value!r}")
    return value  # type: ignore[return-value]


def check_optional_path(name: str, value: object) -> Path | None:
    """Return ``None`` or a ``Path`` for a non-empty string or path; anything else is an error."""
    if value is None:
        return None
    if isinstance(value, (str, Path)) and str(value).strip():
        return Path(value)
    raise ValueError(f"{name} must be None or a non-empty file path, got {value!r}")


def check_array(
    name: str, value: object, *, ndim: tuple[int, ...] = (1,), min_length: int = 1
) -> np.ndarray:
    """Return ``value`` as a float array with one of the allowed ``ndim`` and finite values."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be an array of numbers, got {type(value).__name__}"
        ) from None
    dims = " or ".join(f"{d}-D" for d in ndim)
    if arr.ndim not in ndim:
        raise ValueError(f"{name} must be a {dims} array, got shape {arr.shape}")
    if arr.shape[0] < min_length:
        raise ValueError(
            f"{name} must have at least {min_length} time steps (axis 0), got {arr.shape[0]}"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite values only (no NaN or inf)")
    return arr


def check_rng(name: str, value: object) -> np.random.Generator:
    """Return a NumPy ``Generator`` from a Generator or a non-negative integer seed."""
    if isinstance(value, np.random.Generator):
        return value
    try:
        seed = check_int(name, value, 0, MAX_SEED)
    except ValueError:
        raise ValueError(
            f"{name} must be a numpy.random.Generator or an integer in [0, {MAX_SEED}], "
            f"got {value!r}"
        ) from None
    return np.random.default_rng(seed)
