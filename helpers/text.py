"""Text plumbing for the character-level language model (notebook 8): NumPy only.

The corpus is the English text of the Python documentation's topics as the standard library ships
it in ``pydoc_data.topics`` (what ``help("if")`` shows). Those pages differ a little from one Python
version to the next, so the course reads one fixed copy, taken from Python 3.11.7 and shipped with
this package (``helpers/corpus/``, with the Python Software Foundation's licence): every Python
and every machine sees the same text, and nothing is downloaded.

``Vocabulary`` maps characters to integer ids and back (id 0 is kept for characters never seen in
the text it was built from); ``split_blocks`` cuts a sequence into contiguous training, validation
and test blocks; ``make_chunks`` cuts an id sequence into fixed-length input chunks and their
next-character targets; ``context_windows`` gives every position of a block the characters before
it, for scoring a model on that block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from helpers.checks import check_float, check_int

__all__ = [
    "UNKNOWN",
    "load_corpus",
    "topics_text",
    "Vocabulary",
    "split_blocks",
    "make_chunks",
    "context_windows",
    "words",
]

UNKNOWN = "\ufffd"  # the character id 0 stands for: Unicode's replacement character


CORPUS_FILE = "python-3.11.7-topics.txt"
CORPUS_SHA256 = "2a95af4ac93f"  # first 12 hex digits of the SHA-256 of its UTF-8 bytes


def load_corpus() -> str:
    """The Python documentation's topic pages as Python 3.11.7 ships them, joined in name order.

    Returns one string of 465,048 characters, mostly English prose with some code and grammar
    rules: the pages of ``pydoc_data.topics`` (what ``help("if")`` shows), in the order of their
    names, separated by a line break. The copy is fixed, so it is the same on every Python; it is
    under the PSF License Version 2 (``helpers/corpus/PSF-LICENSE.txt``). Raises ``RuntimeError``
    if the file was changed, for example by a checkout that rewrote its line endings.
    """
    import hashlib
    from importlib import resources

    data = resources.files("helpers").joinpath("corpus", CORPUS_FILE).read_bytes()
    if hashlib.sha256(data).hexdigest()[:12] != CORPUS_SHA256:
        raise RuntimeError(
            f"helpers/corpus/{CORPUS_FILE} is not the text the course was made with (its SHA-256 "
            f"differs): restore it from the repository (git checkout -- helpers/corpus; on Windows "
            f"keep its line endings as they are)"
        )
    return data.decode("utf-8")


def topics_text() -> str:
    """The same pages as this Python's own ``pydoc_data.topics`` holds them (they differ a
    little between versions: 3.10 ships about 459,000 characters, 3.13 about 511,000)."""
    from pydoc_data.topics import topics

    return "\n".join(topics[name] for name in sorted(topics))


@dataclass(frozen=True)
class Vocabulary:
    """A character vocabulary: id 0 is ``UNKNOWN``, ids 1.. are the known characters, sorted.

    Build it with ``Vocabulary.from_text(train_text)``. ``encode`` maps a string to an int32 array
    of ids ``[len(text)]`` (a character not in the vocabulary becomes 0); ``decode`` maps ids back.
    """

    chars: tuple[str, ...]
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        chars = self.chars
        if not isinstance(chars, tuple) or not chars or chars[0] != UNKNOWN:
            raise ValueError("chars must be a tuple that starts with UNKNOWN")
        if any(not isinstance(c, str) or len(c) != 1 for c in chars):
            raise ValueError("chars must hold single characters only")
        if len(set(chars)) != len(chars):
            raise ValueError("chars must not repeat a character")
        object.__setattr__(self, "_index", {c: i for i, c in enumerate(chars)})

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        """The vocabulary of every distinct character of ``text`` (which must not be empty)."""
        if not isinstance(text, str) or not text:
            raise ValueError("text must be a non-empty string")
        return cls((UNKNOWN, *sorted(set(text) - {UNKNOWN})))

    def __len__(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """Ids of the characters of ``text``: int32 array ``[len(text)]``; unknown ones are 0."""
        if not isinstance(text, str):
            raise ValueError(f"text must be a string, got {type(text).__name__}")
        get = self._index.get
        return np.fromiter((get(c, 0) for c in text), dtype=np.int32, count=len(text))

    def decode(self, ids: Iterable[int] | np.ndarray) -> str:
        """The string of the ids ``[n]``; each id must lie in ``[0, len(self) - 1]``."""
        arr = np.asarray(ids)
        if arr.ndim != 1 or (arr.size and not np.issubdtype(arr.dtype, np.integer)):
            raise ValueError("ids must be a 1-D array of integers")
        if arr.size and (arr.min() < 0 or arr.max() >= len(self)):
            raise ValueError(f"ids must lie in [0, {len(self) - 1}]")
        return "".join(self.chars[i] for i in arr.tolist())


def split_blocks(
    sequence: Sequence, val_fraction: float = 0.1, test_fraction: float = 0.1
) -> tuple[Sequence, Sequence, Sequence]:
    """Cut ``sequence`` (a string or an array ``[n, ...]``) into three contiguous blocks.

    Returns ``(train, validation, test)`` in the order they appear: the first
    ``1 - val_fraction - test_fraction`` of the sequence, then the next ``val_fraction``, then the
    rest. Block boundaries are ``int(n * (1 - val_fraction - test_fraction))`` and
    ``int(n * (1 - test_fraction))``. Each block must hold at least one element.
    """
    val_fraction = check_float("val_fraction", val_fraction, 0.0, 0.5, low_inclusive=False)
    test_fraction = check_float("test_fraction", test_fraction, 0.0, 0.5, low_inclusive=False)
    try:
        n = len(sequence)
    except TypeError:
        raise ValueError(
            f"sequence must be a string or an array, got {type(sequence).__name__}"
        ) from None
    first = int(n * (1.0 - val_fraction - test_fraction))
    second = int(n * (1.0 - test_fraction))
    if not 0 < first < second < n:
        raise ValueError(f"sequence is too short ({n}) to give three non-empty blocks")
    return sequence[:first], sequence[first:second], sequence[second:]


def _check_ids(name: str, ids: object, min_length: int) -> np.ndarray:
    arr = np.asarray(ids)
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must be a 1-D array of integer ids, got shape {arr.shape}")
    if arr.shape[0] < min_length:
        raise ValueError(f"{name} must hold at least {min_length} ids, got {arr.shape[0]}")
    return arr


def make_chunks(ids: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Non-overlapping chunks for truncated backpropagation through time.

    ``ids [n]`` is cut into ``N = (n - 1) // length`` chunks. Returns inputs ``X [N, length]``
    (``X[i] = ids[i * length : (i + 1) * length]``) and targets ``Y [N, length]``, the same
    chunks shifted by one character (``Y[i, t] = ids[i * length + t + 1]``), both int32. The
    last ``n - 1 - N * length`` characters are left out.
    """
    length = check_int("length", length, 1, 100_000)
    arr = _check_ids("ids", ids, length + 1)
    count = (arr.shape[0] - 1) // length
    X = arr[: count * length].reshape(count, length)
    Y = arr[1 : count * length + 1].reshape(count, length)
    return X.astype(np.int32), Y.astype(np.int32)


def context_windows(
    ids: np.ndarray, start: int, stop: int, length: int, warmup: int
) -> tuple[np.ndarray, np.ndarray]:
    """Windows that score every position of ``ids[start:stop]`` once, each with its context.

    The targets ``ids[start:stop]`` are cut into ``N = ceil((stop - start) / length)`` pieces of
    ``length`` characters (the last piece is shorter and padded). Window ``i`` holds the ``warmup``
    characters before its piece and the piece's inputs, so that a model reads them first. Returns
    inputs ``X [N, warmup + length]`` and targets ``Y [N, warmup + length]`` (int32): ``Y[i, t]``
    is the character that follows ``X[i, t]``. Only the targets ``Y[:, warmup:]`` are meant to be
    scored; padded positions of the last window hold -1 in ``Y``. Needs ``start >= warmup + 1``
    (the context comes from before the block) and ``stop <= len(ids)``.
    """
    arr = _check_ids("ids", ids, 2)
    length = check_int("length", length, 1, 100_000)
    warmup = check_int("warmup", warmup, 0, 100_000)
    start = check_int("start", start, warmup + 1, arr.shape[0] - 1)
    stop = check_int("stop", stop, start + 1, arr.shape[0])
    padded = np.concatenate([arr, np.full(length, -1, dtype=arr.dtype)])
    first = np.arange(start, stop, length)  # first target of each window's scored piece
    offsets = np.arange(-warmup, length)
    Y = padded[first[:, None] + offsets]
    Y[first[:, None] + offsets >= stop] = -1
    X = padded[first[:, None] + offsets - 1]
    X[Y < 0] = 0  # inputs past the block's end are never scored: set to 0, not read from beyond
    return X.astype(np.int32), Y.astype(np.int32)


_WORD = re.compile(r"[A-Za-z]+")


def words(text: str) -> list[str]:
    """The words of ``text``: its maximal runs of ASCII letters, in order, as written."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    return _WORD.findall(text)
