"""Named claims: the comparisons a notebook's text makes, checked where they are made.

A notebook states two kinds of facts. *Invariants* (shapes, parameter counts, NumPy equal to
Keras, probabilities summing to 1) cannot depend on luck and stay plain ``assert`` statements.
*Comparisons* ("the LSTM reaches under 10% of the baseline's error", "the GRU beats the seasonal
naive forecast") depend on the seed and the settings; their bound was sized from runs over many
seeds (``make claims``), and they go through :class:`Claims`, so that a failure says in words
which claim failed, by how much, at which settings, and what to try::

    claim = Claims(SEED=SEED, SEQ_LEN=SEQ_LEN, EPOCHS=EPOCHS)  # once, in the setup cell
    claim("the LSTM learns the adding problem", lstm_share, "<=", 0.10,
          hint="give it more EPOCHS: on long sequences it leaves the baseline later")

``when=False`` marks a claim that was measured only for some settings (for example the default
sequence length): it is then evaluated and reported but not enforced, and the notebook's text
says for which settings it is claimed.

When the environment variable ``RNN_COURSE_CLAIMS`` names a file, every evaluated claim is
appended to it as one JSON line; ``tools/claims.py`` (``make claims``) reads these files to count,
over many runs, how often each claim held and by how much. With ``RNN_COURSE_CLAIMS_KEEP_GOING=1``
a failed claim is recorded instead of raised, so that one run measures every claim.
"""

from __future__ import annotations

import json
import math
import numbers
import operator
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CLAIMS_FILE_ENV", "KEEP_GOING_ENV", "Claim", "ClaimFailed", "Claims"]

CLAIMS_FILE_ENV = "RNN_COURSE_CLAIMS"
KEEP_GOING_ENV = "RNN_COURSE_CLAIMS_KEEP_GOING"
OPERATORS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


class ClaimFailed(AssertionError):
    """A named comparison of a notebook did not hold; the message says which, by how much, at
    which settings, and what to try."""


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def _plain(value: object) -> object:
    """A JSON-friendly copy of a setting: numbers, strings, None, else its text."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return str(value)


@dataclass(frozen=True)
class Claim:
    """One evaluated claim: ``value op bound``.

    ``margin`` is the signed distance from failing, in the value's units (positive: it holds,
    with room to spare). ``se`` is the standard error of ``value`` when the value is an estimate
    with one (a paired difference, say); ``margin_se`` is then the margin in standard errors.
    ``enforced`` is False for a claim made only at other settings (``when=False``).
    """

    name: str
    value: float
    op: str
    bound: float
    se: float | None = None
    enforced: bool = True
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def held(self) -> bool:
        return bool(OPERATORS[self.op](self.value, self.bound))

    @property
    def margin(self) -> float:
        return self.bound - self.value if self.op in ("<", "<=") else self.value - self.bound

    @property
    def margin_se(self) -> float | None:
        return None if not self.se else self.margin / self.se

    @property
    def relative_margin(self) -> float | None:
        """The margin as a share of the bound's size (None for a bound of 0)."""
        return None if self.bound == 0 else self.margin / abs(self.bound)

    def describe(self) -> str:
        """One line: the claim, its value against its bound, and its margin."""
        se = f" ± {self.se:.2g}" if self.se else ""
        room = f"{abs(self.margin):.3g}"
        if self.margin_se is not None:
            room += f" = {abs(self.margin_se):.1f} standard errors"
        elif self.relative_margin is not None:
            room += f" = {abs(self.relative_margin):.0%} of the bound"
        verdict = (
            f"holds with a margin of {room}" if self.held else f"does not hold: short by {room}"
        )
        scope = "" if self.enforced else " (reported only, not enforced)"
        return (
            f"claim '{self.name}': {self.value:.4g}{se} {self.op} {self.bound:.4g} {verdict}{scope}"
        )

    def record(self) -> dict[str, Any]:
        """The claim as a JSON-ready dict, with its margins and verdict."""
        return {
            **asdict(self),
            "held": self.held,
            "margin": self.margin,
            "margin_se": self.margin_se,
            "relative_margin": self.relative_margin,
        }


class Claims:
    """Check a notebook's named comparisons; build one in the setup cell with its settings.

    ``Claims(SEED=SEED, EPOCHS=EPOCHS)`` returns a callable; each call
    ``claim(name, value, op, bound, *, hint, se=None, when=True)`` evaluates ``value op bound``
    (``op`` one of ``<``, ``<=``, ``>``, ``>=``), records it, and raises :class:`ClaimFailed`
    (an ``AssertionError``) when an enforced claim does not hold. ``hint`` says what to try when
    it fails. The call returns nothing, so that a claim on a cell's last line prints nothing;
    ``checked`` lists every :class:`Claim` evaluated, the newest last.
    """

    def __init__(self, **settings: object) -> None:
        self.settings = {name: _plain(value) for name, value in settings.items()}
        self.checked: list[Claim] = []

    def __call__(
        self,
        name: str,
        value: object,
        op: str,
        bound: object,
        *,
        hint: str,
        se: object | None = None,
        when: bool = True,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"name must be a non-empty string, got {name!r}")
        if op not in OPERATORS:
            raise ValueError(f"op must be one of {', '.join(OPERATORS)}, got {op!r}")
        if not isinstance(hint, str) or not hint.strip():
            raise ValueError("hint must say what to try when the claim fails")
        if se is not None:
            se = _number("se", se)
            if se < 0:
                raise ValueError(f"se must be >= 0, got {se!r}")
        found = Claim(
            name=name,
            value=_number("value", value),
            op=op,
            bound=_number("bound", bound),
            se=se,
            enforced=bool(when),
            settings=dict(self.settings),
        )
        self.checked.append(found)
        self._write(found)
        if found.enforced and not found.held and os.environ.get(KEEP_GOING_ENV) != "1":
            settings = ", ".join(f"{k}={v!r}" for k, v in self.settings.items()) or "defaults"
            raise ClaimFailed(f"{found.describe()}, at {settings}. What to try: {hint}")

    @staticmethod
    def _write(found: Claim) -> None:
        path = os.environ.get(CLAIMS_FILE_ENV)
        if not path:
            return
        with Path(path).open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(found.record()) + "\n")
