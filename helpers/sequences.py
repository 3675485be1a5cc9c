"""Toy sequence-to-sequence data: digit strings to reverse, a vocabulary and integer encoding.

A source is a string of decimal digits, ``"40913"``; its target is the same digits reversed,
``"31904"``. Lengths vary between samples, so a batch is padded to one length with the token
``<pad>`` (id 0). The decoder of an encoder-decoder reads the target shifted right behind a
``<s>`` token (teacher forcing) and learns to end its output with ``</s>``.

Everything here is NumPy; every random draw comes from a ``numpy.random.Generator`` passed in (or
built from an integer seed), so the same seed always gives the same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from helpers.checks import check_int, check_rng

__all__ = [
    "PAD",
    "START",
    "END",
    "Vocabulary",
    "digit_vocabulary",
    "reversal_pairs",
    "decoder_inputs",
    "exact_match",
]

PAD, START, END = "<pad>", "<s>", "</s>"  # ids 0, 1, 2 in every vocabulary built here


@dataclass(frozen=True)
class Vocabulary:
    """An ordered tuple of tokens; a token's id is its position.

    The first three tokens must be ``<pad>``, ``<s>`` and ``</s>`` (ids 0, 1, 2); the others are
    single characters, so that a string is encoded one character per token.
    """

    tokens: tuple[str, ...]

    def __post_init__(self) -> None:
        if tuple(self.tokens[:3]) != (PAD, START, END):
            raise ValueError(f"tokens must start with {PAD!r}, {START!r}, {END!r}")
        chars = self.tokens[3:]
        if not chars or any(not isinstance(c, str) or len(c) != 1 for c in chars):
            raise ValueError("tokens after the three special ones must be single characters")
        if len(set(self.tokens)) != len(self.tokens):
            raise ValueError("tokens must be unique")

    @property
    def size(self) -> int:
        """Number of tokens, special ones included (the width of a one-hot or softmax layer)."""
        return len(self.tokens)

    @property
    def pad_id(self) -> int:
        return 0

    @property
    def start_id(self) -> int:
        return 1

    @property
    def end_id(self) -> int:
        return 2

    def encode(self, strings: Sequence[str], length: int, *, end: bool = False) -> np.ndarray:
        """Encode strings as ids, padded on the right with ``<pad>``: ``[len(strings), length]``.

        With ``end=True`` each string is followed by ``</s>``. ``length`` must leave room for the
        longest string (and its ``</s>``); an unknown character raises a ``ValueError``.
        """
        if isinstance(strings, str) or not isinstance(strings, Sequence):
            raise ValueError("strings must be a sequence (list or tuple) of strings")
        length = check_int("length", length, 1, None)
        index = {tok: i for i, tok in enumerate(self.tokens)}
        out = np.full((len(strings), length), self.pad_id, dtype=np.int32)
        for row, text in enumerate(strings):
            if not isinstance(text, str):
                raise ValueError(f"strings[{row}] must be a str, got {type(text).__name__}")
            need = len(text) + int(end)
            if need > length:
                raise ValueError(
                    f"length must be >= {need} to hold strings[{row}] = {text!r}, got {length}"
                )
            try:
                ids = [index[ch] for ch in text]
            except KeyError as exc:
                raise ValueError(
                    f"strings[{row}] holds {exc.args[0]!r}, not in the vocabulary"
                ) from None
            out[row, : len(ids)] = ids
            if end:
                out[row, len(ids)] = self.end_id
        return out

    def decode(self, ids: np.ndarray) -> list[str]:
        """Turn ``ids [samples, length]`` back into strings.

        Each row is read up to its first ``</s>`` (or to its end); ``<pad>`` and ``<s>`` are
        skipped. Ids outside the vocabulary raise a ``ValueError``.
        """
        arr = np.asarray(ids)
        if arr.ndim != 2 or not np.issubdtype(arr.dtype, np.integer):
            raise ValueError(f"ids must be a 2-D integer array, got {arr.dtype} {arr.shape}")
        if arr.size and (arr.min() < 0 or arr.max() >= self.size):
            raise ValueError(f"ids must lie in [0, {self.size - 1}]")
        texts = []
        for row in arr:
            chars = []
            for i in row:
                if i == self.end_id:
                    break
                if i > self.end_id:
                    chars.append(self.tokens[i])
            texts.append("".join(chars))
        return texts


def digit_vocabulary() -> Vocabulary:
    """The three special tokens and the digits ``0`` to ``9``: 13 tokens, digit ``d`` has id
    ``d + 3``."""
    return Vocabulary((PAD, START, END, *"0123456789"))


def reversal_pairs(
    n_samples: int,
    min_length: int = 1,
    max_length: int = 10,
    *,
    rng: int | np.random.Generator = 0,
) -> tuple[list[str], list[str]]:
    """Random digit strings and their reversals: ``(sources, targets)``, two lists of strings.

    Each length in ``[min_length, max_length]`` is equally likely, then each digit is uniform on
    0-9 (leading zeros allowed: these are strings, not numbers).
    """
    n_samples = check_int("n_samples", n_samples, 1, 10_000_000)
    max_length = check_int("max_length", max_length, 1, 1000)
    min_length = check_int("min_length", min_length, 1, max_length)
    gen = check_rng("rng", rng)
    lengths = gen.integers(min_length, max_length + 1, size=n_samples)
    digits = gen.integers(0, 10, size=(n_samples, max_length))
    sources = ["".join(map(str, row[:n])) for row, n in zip(digits, lengths, strict=True)]
    return sources, [s[::-1] for s in sources]


def decoder_inputs(targets: np.ndarray, start_id: int = 1) -> np.ndarray:
    """Teacher forcing: the targets shifted one step right behind ``<s>``.

    ``targets [samples, length]`` (ids, ending in ``</s>`` and padding) gives an array of the
    same shape whose step ``t`` holds target ``t - 1`` (step 0 holds ``start_id``): at step ``t``
    the decoder reads the true previous token and is trained to output target ``t``.
    """
    arr = np.asarray(targets)
    if arr.ndim != 2 or arr.shape[1] < 1 or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"targets must be a 2-D integer array, got {arr.dtype} {arr.shape}")
    start_id = check_int("start_id", start_id, 0, None)
    out = np.empty_like(arr)
    out[:, 0] = start_id
    out[:, 1:] = arr[:, :-1]
    return out


def exact_match(predicted: Sequence[str], expected: Sequence[str]) -> np.ndarray:
    """``[samples]`` booleans: is each predicted string exactly the expected one?"""
    if len(predicted) != len(expected):
        raise ValueError(
            f"predicted and expected must have the same length, got {len(predicted)} "
            f"and {len(expected)}"
        )
    return np.array([p == e for p, e in zip(predicted, expected, strict=True)], dtype=bool)
