"""Unit tests of helpers.sequences: the digit-reversal task, its vocabulary and encoding."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import sequences
from helpers.sequences import END, PAD, START, Vocabulary


@pytest.fixture
def vocab() -> Vocabulary:
    return sequences.digit_vocabulary()


def test_digit_vocabulary(vocab):
    assert vocab.size == 13
    assert vocab.tokens[:3] == (PAD, START, END)
    assert (vocab.pad_id, vocab.start_id, vocab.end_id) == (0, 1, 2)
    assert vocab.tokens[3 + 7] == "7"


def test_encode_pads_right_and_ends(vocab):
    ids = vocab.encode(["40913", "7"], 7, end=True)
    assert ids.dtype == np.int32 and ids.shape == (2, 7)
    assert ids[0].tolist() == [7, 3, 12, 4, 6, 2, 0]
    assert ids[1].tolist() == [10, 2, 0, 0, 0, 0, 0]
    assert vocab.encode(["12"], 3).tolist() == [[4, 5, 0]]
    assert vocab.encode([""], 2, end=True).tolist() == [[2, 0]]


def test_decode_inverts_encode(vocab):
    texts = ["40913", "7", "0000", "9876543210"]
    for end in (False, True):
        assert vocab.decode(vocab.encode(texts, 11, end=end)) == texts


def test_decode_stops_at_end_and_skips_specials(vocab):
    ids = np.array([[1, 4, 0, 5, 2, 6, 7], [4, 4, 4, 4, 4, 4, 4]])
    assert vocab.decode(ids) == ["12", "1111111"]


def test_reversal_pairs(vocab):
    sources, targets = sequences.reversal_pairs(500, 2, 6, rng=3)
    assert len(sources) == len(targets) == 500
    assert all(t == s[::-1] for s, t in zip(sources, targets, strict=True))
    assert {len(s) for s in sources} == {2, 3, 4, 5, 6}
    assert all(s.isdigit() for s in sources)
    assert set("".join(sources)) == set("0123456789")


def test_reversal_pairs_is_seeded():
    a = sequences.reversal_pairs(50, 1, 8, rng=7)
    b = sequences.reversal_pairs(50, 1, 8, rng=np.random.default_rng(7))
    c = sequences.reversal_pairs(50, 1, 8, rng=8)
    assert a == b and a != c


def test_decoder_inputs_shift_right():
    targets = np.array([[7, 3, 2, 0], [5, 2, 0, 0]], dtype=np.int32)
    shifted = sequences.decoder_inputs(targets)
    assert shifted.tolist() == [[1, 7, 3, 2], [1, 5, 2, 0]]
    assert shifted.dtype == targets.dtype
    assert sequences.decoder_inputs(targets[:, :1], start_id=9).tolist() == [[9], [9]]


def test_exact_match():
    hits = sequences.exact_match(["12", "3", ""], ["12", "4", ""])
    assert hits.dtype == bool and hits.tolist() == [True, False, True]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "tokens, message",
    [
        (("a", START, END, "1"), "must start with"),
        ((PAD, START, END), "single characters"),
        ((PAD, START, END, "ab"), "single characters"),
        ((PAD, START, END, "1", "1"), "unique"),
    ],
)
def test_vocabulary_rejects_bad_tokens(tokens, message):
    with pytest.raises(ValueError, match=message):
        Vocabulary(tokens)


def test_encode_rejects_bad_input(vocab):
    with pytest.raises(ValueError, match="length must be >= 4"):
        vocab.encode(["123"], 3, end=True)
    with pytest.raises(ValueError, match="length must be an integer >= 1"):
        vocab.encode(["1"], 0)
    with pytest.raises(ValueError, match="not in the vocabulary"):
        vocab.encode(["12a"], 5)
    with pytest.raises(ValueError, match="sequence"):
        vocab.encode("123", 5)
    with pytest.raises(ValueError, match=r"strings\[1\] must be a str"):
        vocab.encode(["1", 2], 5)


def test_decode_rejects_bad_input(vocab):
    with pytest.raises(ValueError, match="2-D integer array"):
        vocab.decode(np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="2-D integer array"):
        vocab.decode(np.array([[1.0, 2.0]]))
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 12\]"):
        vocab.decode(np.array([[3, 13]]))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_samples": 0}, "n_samples must be an integer"),
        ({"n_samples": 5, "max_length": 0}, "max_length must be an integer"),
        (
            {"n_samples": 5, "min_length": 4, "max_length": 3},
            r"min_length must be an integer in \[1, 3\]",
        ),
        ({"n_samples": 5, "rng": -1}, "rng must be a numpy.random.Generator"),
    ],
)
def test_reversal_pairs_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sequences.reversal_pairs(**kwargs)


def test_decoder_inputs_rejects_bad_input():
    with pytest.raises(ValueError, match="2-D integer array"):
        sequences.decoder_inputs(np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="2-D integer array"):
        sequences.decoder_inputs(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="start_id must be an integer >= 0"):
        sequences.decoder_inputs(np.zeros((2, 3), dtype=int), start_id=-1)


def test_exact_match_rejects_unequal_lengths():
    with pytest.raises(ValueError, match="same length"):
        sequences.exact_match(["1"], ["1", "2"])
