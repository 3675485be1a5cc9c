"""helpers.text: the corpus, the vocabulary, the block split, chunks, context windows, words."""

import pathlib
import sys

import numpy as np
import pytest

from helpers import text

# --------------------------------------------------------------------------- load_corpus


def test_load_corpus_is_the_fixed_copy_of_the_documentation_topics():
    corpus = text.load_corpus()
    assert isinstance(corpus, str)
    assert len(corpus) == 465_048  # Python 3.11.7's pages, whatever Python runs this
    assert 'The "if" statement' in corpus
    assert corpus == text.load_corpus()  # the same text every time
    letters = sum(c.isalpha() for c in corpus) / len(corpus)
    assert letters > 0.6  # mostly prose
    if sys.version_info[:3] == (3, 11, 7):  # the Python the copy was taken from
        assert corpus == text.topics_text()
    else:
        assert 400_000 < len(text.topics_text()) < 600_000  # other versions: other pages


def test_load_corpus_refuses_a_changed_file(monkeypatch):
    monkeypatch.setattr(text, "CORPUS_SHA256", "000000000000")
    with pytest.raises(RuntimeError, match="not the text the course was made with"):
        text.load_corpus()


def test_the_corpus_and_its_licence_ship_with_the_package():
    package = pathlib.Path(text.__file__).parent
    assert (package / "corpus" / text.CORPUS_FILE).is_file()
    licence = (package / "corpus" / "PSF-LICENSE.txt").read_text(encoding="utf-8")
    assert "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2" in licence
    pyproject = (package.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"corpus/*.txt"' in pyproject  # package data: a pip install from git carries it


# --------------------------------------------------------------------------- Vocabulary


def test_vocabulary_encodes_and_decodes():
    vocab = text.Vocabulary.from_text("hello world")
    assert vocab.chars == (text.UNKNOWN, " ", "d", "e", "h", "l", "o", "r", "w")
    assert len(vocab) == 9
    ids = vocab.encode("hold")
    assert ids.dtype == np.int32 and ids.shape == (4,)
    np.testing.assert_array_equal(ids, [4, 6, 5, 2])
    assert vocab.decode(ids) == "hold"
    assert vocab.decode([]) == ""
    assert vocab.encode("").shape == (0,)


def test_vocabulary_maps_unseen_characters_to_zero():
    vocab = text.Vocabulary.from_text("abc")
    np.testing.assert_array_equal(vocab.encode("axc\u00e9"), [1, 0, 3, 0])
    assert vocab.decode(vocab.encode("axc")) == f"a{text.UNKNOWN}c"
    # the replacement character itself is never a second entry
    assert text.Vocabulary.from_text(f"a{text.UNKNOWN}").chars == (text.UNKNOWN, "a")


def test_vocabulary_round_trip_on_the_corpus():
    corpus = text.load_corpus()[:20_000]
    vocab = text.Vocabulary.from_text(corpus)
    ids = vocab.encode(corpus)
    assert ids.min() >= 1 and ids.max() == len(vocab) - 1
    assert vocab.decode(ids) == corpus


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: text.Vocabulary.from_text(""), "text must be a non-empty string"),
        (lambda: text.Vocabulary.from_text(["a"]), "text must be a non-empty string"),
        (lambda: text.Vocabulary(("a", "b")), "chars must be a tuple that starts with UNKNOWN"),
        (lambda: text.Vocabulary([text.UNKNOWN, "a"]), "chars must be a tuple"),
        (lambda: text.Vocabulary((text.UNKNOWN, "ab")), "chars must hold single characters"),
        (lambda: text.Vocabulary((text.UNKNOWN, "a", "a")), "chars must not repeat"),
        (lambda: text.Vocabulary.from_text("ab").encode(3), "text must be a string, got int"),
        (lambda: text.Vocabulary.from_text("ab").decode([0, 3]), r"ids must lie in \[0, 2\]"),
        (lambda: text.Vocabulary.from_text("ab").decode([-1]), r"ids must lie in \[0, 2\]"),
        (lambda: text.Vocabulary.from_text("ab").decode([[1]]), "ids must be a 1-D array"),
        (lambda: text.Vocabulary.from_text("ab").decode([1.0]), "ids must be a 1-D array"),
    ],
)
def test_vocabulary_rejects(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --------------------------------------------------------------------------- split_blocks


def test_split_blocks_is_contiguous_and_in_order():
    train, val, test = text.split_blocks("abcdefghij", 0.2, 0.1)
    assert (train, val, test) == ("abcdefg", "hi", "j")
    arr = np.arange(1000)
    parts = text.split_blocks(arr)
    assert [len(p) for p in parts] == [800, 100, 100]
    np.testing.assert_array_equal(np.concatenate(parts), arr)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("abcdefghij", 0.0, 0.1), r"val_fraction must be a number in \(0.0, 0.5\], got 0.0"),
        (("abcdefghij", 0.1, 0.6), r"test_fraction must be a number in \(0.0, 0.5\], got 0.6"),
        (("abc", 0.1, 0.1), r"sequence is too short \(3\)"),
        ((5, 0.1, 0.1), "sequence must be a string or an array, got int"),
    ],
)
def test_split_blocks_rejects(args, message):
    with pytest.raises(ValueError, match=message):
        text.split_blocks(*args)


# --------------------------------------------------------------------------- make_chunks


def test_make_chunks_targets_are_inputs_shifted_by_one():
    ids = np.arange(23)
    X, Y = text.make_chunks(ids, 5)
    assert X.shape == Y.shape == (4, 5) and X.dtype == Y.dtype == np.int32
    np.testing.assert_array_equal(X[0], [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(Y[0], [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(X[-1], [15, 16, 17, 18, 19])
    np.testing.assert_array_equal(Y[:, :-1], X[:, 1:])
    np.testing.assert_array_equal(Y[:-1, -1], X[1:, 0])  # chunks follow each other
    assert text.make_chunks(np.arange(6), 5)[0].shape == (1, 5)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.arange(10), 0), r"length must be an integer in \[1, 100000\], got 0"),
        ((np.arange(5), 5), "ids must hold at least 6 ids, got 5"),
        ((np.ones((3, 4), dtype=int), 2), r"ids must be a 1-D array of integer ids"),
        ((np.linspace(0, 1, 10), 2), r"ids must be a 1-D array of integer ids"),
    ],
)
def test_make_chunks_rejects(args, message):
    with pytest.raises(ValueError, match=message):
        text.make_chunks(*args)


# --------------------------------------------------------------------------- context_windows


def test_context_windows_score_every_position_once_with_its_context():
    ids = np.arange(100, 150)  # ids equal to 100 + position, to read positions back
    X, Y = text.context_windows(ids, 20, 43, length=10, warmup=4)
    assert X.shape == Y.shape == (3, 14) and X.dtype == np.int32
    scored = Y[:, 4:]
    np.testing.assert_array_equal(scored[scored >= 0], np.arange(120, 143))
    assert (scored[-1, 3:] == -1).all()  # the last window is padded
    valid = Y >= 0
    np.testing.assert_array_equal(X[valid], Y[valid] - 1)  # each input precedes its target
    np.testing.assert_array_equal(X[0, :4], [115, 116, 117, 118])  # warm-up before the block
    assert (X[~valid] == 0).all()  # nothing read from beyond the block
    X0, Y0 = text.context_windows(ids, 1, 50, length=49, warmup=0)
    np.testing.assert_array_equal(Y0[0], ids[1:])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": 4}, r"start must be an integer in \[5, 49\], got 4"),
        ({"stop": 10}, r"stop must be an integer in \[21, 50\], got 10"),
        ({"stop": 51}, r"stop must be an integer in \[21, 50\], got 51"),
        ({"length": 0}, r"length must be an integer in \[1, 100000\], got 0"),
        ({"warmup": -1}, r"warmup must be an integer in \[0, 100000\], got -1"),
        ({"ids": np.arange(5.0)}, "ids must be a 1-D array of integer ids"),
    ],
)
def test_context_windows_rejects(kwargs, message):
    args = {"ids": np.arange(50), "start": 20, "stop": 40, "length": 10, "warmup": 4} | kwargs
    with pytest.raises(ValueError, match=message):
        text.context_windows(**args)


# --------------------------------------------------------------------------- words


def test_words_are_runs_of_letters():
    assert text.words('The "if" statement, 3 times: if_else.') == [
        "The",
        "if",
        "statement",
        "times",
        "if",
        "else",
    ]
    assert text.words("") == []
    with pytest.raises(ValueError, match="text must be a string, got list"):
        text.words(["a"])
