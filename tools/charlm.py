"""Train notebook 8's strong character-level language model (``make charlm``).

Notebook 8 trains a small LSTM for about a minute; with that budget it stays behind the 5-gram.
This script trains a larger, regularised recurrent model for longer on the same blocks of the same
corpus (``helpers.text.load_corpus()``, a fixed committed text), chooses the epoch on the
validation block, scores the test block once with the chosen weights, and writes

- ``weights.npz``: the chosen weights (float32, in the order ``model.get_weights()`` gives them),
- ``charlm.json``: the settings, the validation curve, the chosen epoch, the training time, the
  validation and test bits per character, and the versions it ran with,

into ``--out`` (``helpers/charlm/`` by default, where notebook 8 loads them from). Everything is
seeded; the same command on the same machine class gives the same numbers to within float
rounding. ``--search`` instead compares several recipes on the validation block only (nothing is
scored on the test block and nothing is written but the table).

    python -m tools.charlm                # the committed model (10-16 minutes on two cores)
    python -m tools.charlm --search       # the recipes table, validation only
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import math
import os
import pathlib
import platform
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "helpers" / "charlm"


@dataclasses.dataclass(frozen=True)
class Recipe:
    """One way to build and train the model."""

    name: str
    cell: str = "lstm"  # "lstm" or "gru"
    units: int = 256
    layers: int = 1
    embed: int = 32
    dropout: float = 0.0  # on the embedding output, between layers and before the Dense layer
    epochs: int = 20
    batch: int = 32
    chunk: int = 100
    lr: float = 0.005  # Adam's peak step size; cosine decay to 1% of it over the run
    shift: bool = True  # start the chunks at a random offset each epoch


RECIPE = Recipe("committed", units=192, layers=2, dropout=0.2, lr=0.008, epochs=25)


def build(recipe: Recipe, V: int):
    import keras

    layers = [
        keras.Input(shape=(None,), dtype="int32", name="characters"),
        keras.layers.Embedding(V, recipe.embed, name="embedding"),
    ]
    Cell = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[recipe.cell]
    for i in range(recipe.layers):
        if recipe.dropout:
            layers.append(keras.layers.Dropout(recipe.dropout, name=f"dropout_{i}"))
        layers.append(Cell(recipe.units, return_sequences=True, name=f"{recipe.cell}_{i}"))
    if recipe.dropout:
        layers.append(keras.layers.Dropout(recipe.dropout, name=f"dropout_{recipe.layers}"))
    layers.append(keras.layers.Dense(V, name="next_character"))
    return keras.Sequential(layers, name="char_rnn")


def log2_probs(model, ids: np.ndarray, lo: int, hi: int, chunk: int) -> np.ndarray:
    """log2 p of every character of ids[lo:hi], each piece of `chunk` characters read after the
    `chunk` characters before it (the scoring of notebook 8); returns [hi - lo]."""
    from helpers import text

    X, Y = text.context_windows(ids, lo, hi, length=chunk, warmup=chunk)
    logits = model.predict(X, batch_size=256, verbose=0)[:, chunk:].astype(np.float64)
    targets = Y[:, chunk:]
    logits -= logits.max(-1, keepdims=True)
    logits -= np.log(np.exp(logits).sum(-1, keepdims=True))
    picked = np.take_along_axis(logits, np.maximum(targets, 0)[..., None], -1)[..., 0]
    return picked[targets >= 0] / math.log(2)


def blocks():
    """The corpus, its vocabulary, the ids and the three blocks, as notebook 8 makes them."""
    from helpers import text

    corpus = text.load_corpus()
    train_text, val_text, _ = text.split_blocks(corpus, val_fraction=0.1, test_fraction=0.1)
    vocab = text.Vocabulary.from_text(train_text)
    ids = vocab.encode(corpus)
    n_train, n_val = len(train_text), len(val_text)
    return corpus, vocab, ids, (0, n_train), (n_train, n_train + n_val), (n_train + n_val, len(ids))


def train(recipe: Recipe, seed: int, score_test: bool, say=print) -> dict:
    import keras

    from helpers import text

    corpus, vocab, ids, TRAIN, VAL, TEST = blocks()
    V = len(vocab)
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    model = build(recipe, V)
    steps_per_epoch = (TRAIN[1] - TRAIN[0] - recipe.chunk) // recipe.chunk // recipe.batch
    schedule = keras.optimizers.schedules.CosineDecay(
        recipe.lr, decay_steps=steps_per_epoch * recipe.epochs, alpha=0.01
    )
    model.compile(
        optimizer=keras.optimizers.Adam(schedule, global_clipnorm=1.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    say(f"{recipe}: {model.count_params():,} parameters, {steps_per_epoch} steps per epoch")
    curve, best = [], (np.inf, None, 0)
    started = time.perf_counter()
    for epoch in range(1, recipe.epochs + 1):
        offset = int(rng.integers(0, recipe.chunk)) if recipe.shift else 0
        X, Y = text.make_chunks(ids[TRAIN[0] + offset : TRAIN[1]], recipe.chunk)
        order = rng.permutation(len(X))[: steps_per_epoch * recipe.batch]
        history = model.fit(
            X[order], Y[order], batch_size=recipe.batch, epochs=1, shuffle=False, verbose=0
        )
        val = float(-log2_probs(model, ids, *VAL, recipe.chunk).mean())
        seconds = time.perf_counter() - started
        curve.append(
            {
                "epoch": epoch,
                "train_bpc": history.history["loss"][0] / math.log(2),
                "val_bpc": val,
                "seconds": round(seconds, 1),
            }
        )
        if val < best[0]:
            best = (val, model.get_weights(), epoch)
        say(
            f"  epoch {epoch:>2}/{recipe.epochs}: training {curve[-1]['train_bpc']:.3f}, "
            f"validation {val:.4f} bits per character, {seconds:.0f} s"
        )
    model.set_weights(best[1])
    result = {
        "recipe": dataclasses.asdict(recipe),
        "seed": seed,
        "params": model.count_params(),
        "curve": curve,
        "best_epoch": best[2],
        "val_bpc": best[0],
        "train_seconds": round(time.perf_counter() - started, 1),
        "corpus_sha256": hashlib.sha256(corpus.encode()).hexdigest(),
        "characters": len(corpus),
        "V": V,
        "python": platform.python_version(),
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "cpus": os.cpu_count(),
    }
    if score_test:  # once, with the weights validation chose
        result["test_bpc"] = float(-log2_probs(model, ids, *TEST, recipe.chunk).mean())
        say(
            f"kept epoch {best[2]}: validation {best[0]:.4f}, test {result['test_bpc']:.4f} "
            "bits per character"
        )
    return {"result": result, "weights": model.get_weights()}


SEARCH = [  # the recipes compared on validation (helpers/charlm/README.md has the results)
    Recipe("LSTM 128, no dropout, 10 epochs", units=128, lr=0.01, epochs=10),
    Recipe("LSTM 256, dropout 0.2, 40 epochs", units=256, dropout=0.2, lr=0.008, epochs=40),
    Recipe(
        "2 x LSTM 192, dropout 0.2, 25 epochs",
        units=192,
        layers=2,
        dropout=0.2,
        lr=0.008,
        epochs=25,
    ),
    Recipe("2 x LSTM 192, no dropout, 25 epochs", units=192, layers=2, lr=0.008, epochs=25),
]


def changed(recipe: Recipe, args: argparse.Namespace) -> Recipe:
    """The recipe with the options given on the command line changed (and renamed if any was)."""
    fields = ("cell", "units", "layers", "embed", "dropout", "epochs", "batch", "lr")
    new = {k: getattr(args, k) for k in fields if getattr(args, k) is not None}
    if not new:
        return recipe
    label = ", ".join(f"{k}={v}" for k, v in new.items())
    return dataclasses.replace(recipe, name=f"{recipe.name} with {label}", **new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    parser.add_argument("--search", action="store_true", help="compare recipes on validation")
    parser.add_argument("--only", type=int, nargs="*", help="with --search: these rows (0-based)")
    for name in ("cell", "units", "layers", "embed", "dropout", "epochs", "batch", "lr"):
        kind = {"cell": str, "dropout": float, "lr": float}.get(name, int)
        parser.add_argument(f"--{name}", type=kind, help=f"change the recipe's {name} (a try)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    def say(line: str) -> None:
        print(line, flush=True)

    if args.search:
        rows = []
        for i, recipe in enumerate(SEARCH):
            if args.only and i not in args.only:
                continue
            recipe = changed(recipe, args)
            r = train(recipe, args.seed, score_test=False, say=say)["result"]
            rows.append(r)
            say(
                f"| {recipe.name} | {r['params']:,} | {r['val_bpc']:.3f} | {r['best_epoch']} | "
                f"{r['train_seconds']:.0f} |"
            )
        say("| recipe | parameters | validation bpc | kept epoch | seconds |")
        say("| --- | ---: | ---: | ---: | ---: |")
        for r in rows:
            say(
                f"| {r['recipe']['name']} | {r['params']:,} | {r['val_bpc']:.3f} | "
                f"{r['best_epoch']} | {r['train_seconds']:.0f} |"
            )
        return 0
    recipe = changed(RECIPE, args)
    out = train(recipe, args.seed, score_test=True, say=say)
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out / "weights.npz",
        **{f"w{i:02d}": w.astype(np.float32) for i, w in enumerate(out["weights"])},
    )
    (args.out / "charlm.json").write_text(json.dumps(out["result"], indent=2) + "\n")
    say(f"wrote {args.out / 'weights.npz'} and {args.out / 'charlm.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
