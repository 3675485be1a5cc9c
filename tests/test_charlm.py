"""Notebook 8's strong language model: the committed weights give their committed test score."""

import dataclasses
import hashlib
import json
import os

import numpy as np
import pytest

from tools import charlm

MADE = json.loads((charlm.DEFAULT_OUT / "charlm.json").read_text())


def load_committed():
    corpus, vocab, ids, _, _, test = charlm.blocks()
    model = charlm.build(charlm.Recipe(**MADE["recipe"]), len(vocab))
    with np.load(charlm.DEFAULT_OUT / "weights.npz") as weights:
        model.set_weights([weights[name] for name in sorted(weights.files)])
    return corpus, model, ids, test


def test_the_committed_model_is_the_scripts_recipe_on_this_corpus():
    recipe = {k: v for k, v in MADE["recipe"].items() if k != "name"}
    assert recipe == {k: v for k, v in dataclasses.asdict(charlm.RECIPE).items() if k != "name"}
    corpus, *_ = charlm.blocks()
    assert MADE["corpus_sha256"] == hashlib.sha256(corpus.encode()).hexdigest()
    assert (charlm.DEFAULT_OUT / "weights.npz").stat().st_size < 4_000_000  # a few MB at most
    assert MADE["test_bpc"] < MADE["val_bpc"] + 0.2 and MADE["best_epoch"] >= 1


@pytest.mark.train
def test_the_committed_weights_reproduce_their_test_score():
    _, model, ids, test = load_committed()
    assert model.count_params() == MADE["params"]
    bpc = float(-charlm.log2_probs(model, ids, *test, MADE["recipe"]["chunk"]).mean())
    assert abs(bpc - MADE["test_bpc"]) < 0.01, (bpc, MADE["test_bpc"])


@pytest.mark.train
@pytest.mark.skipif(
    not os.environ.get("CHARLM_RETRAIN"),
    reason="retrains for 10-16 minutes: set CHARLM_RETRAIN=1 to run it",
)
def test_the_script_remakes_the_committed_score(tmp_path):
    assert charlm.main(["--out", str(tmp_path)]) == 0
    remade = json.loads((tmp_path / "charlm.json").read_text())
    assert abs(remade["test_bpc"] - MADE["test_bpc"]) < 0.03, (remade["test_bpc"], MADE["test_bpc"])
