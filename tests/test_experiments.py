"""helpers.experiments: the adding-problem plumbing of notebooks 3 and 4, and its bad input."""

import json
import subprocess
import sys

import numpy as np
import pytest

from helpers import data, experiments
from helpers.experiments import AddingSplits, TrainResult


class FakeModel:
    """Stands in for a compiled Keras model: counts parameters, trains by counting steps."""

    def __init__(self, n_params=10):
        self.n_params = n_params
        self.optimizer = object()
        self.weights = [np.ones(3)]
        self.steps = 0

    def count_params(self):
        return self.n_params

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [w.copy() for w in weights]

    def train_on_batch(self, X, y):
        self.steps += 1
        self.weights = [w + 1 for w in self.weights]


def fake_result(val, loss=None, errors=(0.01, 0.03), baseline=0.2, n_params=10):
    history = {"loss": list(loss or val), "val_loss": list(val)}
    return TrainResult(FakeModel(n_params), history, 1.5, np.asarray(errors), baseline)


def test_module_imports_without_tensorflow():
    code = (
        "import sys; sys.modules['tensorflow'] = None; sys.modules['keras'] = None; "
        "import helpers.experiments as e; print(sorted(e.__all__)[0])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "AddingSplits"


def test_adding_splits_shapes_order_and_baseline():
    splits = experiments.adding_splits(30, 10, 12, rng=3)
    assert splits.X_train.shape == (30, 12, 2) and splits.y_train.shape == (30, 1)
    assert splits.X_val.shape == splits.X_test.shape == (10, 12, 2)
    assert splits.y_val.shape == splits.y_test.shape == (10, 1)
    X, y = data.adding_problem(50, 12, rng=3)
    np.testing.assert_array_equal(np.concatenate([splits.X_train, splits.X_val, splits.X_test]), X)
    np.testing.assert_array_equal(np.concatenate([splits.y_train, splits.y_val, splits.y_test]), y)
    expected = np.mean((splits.y_test - splits.y_train.mean()) ** 2)
    assert splits.baseline_mse == pytest.approx(expected)
    assert splits.val_baseline_mse == pytest.approx(
        np.mean((splits.y_val - splits.y_train.mean()) ** 2)
    )
    assert splits.train_baseline_mse == pytest.approx(np.var(splits.y_train))
    big = experiments.adding_splits(4000, 4000, 10, rng=0)
    assert big.baseline_mse == pytest.approx(1 / 6, abs=0.01)
    assert big.val_baseline_mse == pytest.approx(1 / 6, abs=0.01)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_train": 0}, "n_train must be an integer in"),
        ({"n_holdout": 2.5}, "n_holdout must be an integer in"),
        ({"seq_len": 1}, "seq_len must be an integer in"),
        ({"rng": -1}, "rng must be a numpy.random.Generator or an integer"),
    ],
)
def test_adding_splits_rejects_bad_input(kwargs, message):
    args = {"n_train": 10, "n_holdout": 5, "seq_len": 8, "rng": 0, **kwargs}
    with pytest.raises(ValueError, match=message):
        experiments.adding_splits(
            args.pop("n_train"), args.pop("n_holdout"), args.pop("seq_len"), **args
        )


def test_train_result_properties():
    r = fake_result([0.3, 0.1, 0.015, 0.01], errors=(0.01, 0.03), baseline=0.2)
    assert r.params == 10 and r.epochs_run == 4
    assert r.test_mse == pytest.approx(0.02) and r.ratio == pytest.approx(0.1)
    assert r.epochs_to(0.1) == 3 and r.epochs_to(0.5) == 2 and r.epochs_to(0.01) is None
    with pytest.raises(ValueError, match="share must be a number > 0.0"):
        r.epochs_to(0)
    own = TrainResult(FakeModel(), {"loss": [0.4, 0.2], "val_loss": [0.3, 0.1]}, 1.0,
                      np.asarray([0.01, 0.03]), 0.2, [], 0.1, 0.4)  # fmt: skip
    np.testing.assert_allclose(own.val_shares, [3.0, 1.0])  # each part against its own baseline
    np.testing.assert_allclose(own.train_shares, [1.0, 0.5])
    assert own.epochs_to(1.0) == 2 and own.ratio == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"make_layer": "LSTM"}, "make_layer must be a function"),
        ({"splits": (1, 2)}, "splits must be an AddingSplits"),
        ({"name": "my model"}, "name must be a Python identifier"),
        ({"seed": -1}, "seed must be an integer in"),
        ({"epochs": 0}, "epochs must be an integer in"),
        ({"batch_size": 0}, "batch_size must be an integer in"),
        ({"learning_rate": 0.0}, "learning_rate must be a number in"),
        ({"patience": 0}, "patience must be an integer in"),
        ({"callbacks": "reach"}, "callbacks must be a list of Keras callbacks"),
    ],
)
def test_train_on_adding_rejects_bad_input_before_importing_keras(kwargs, message):
    splits = experiments.adding_splits(10, 5, 8, rng=0)
    args = {
        "make_layer": lambda: None,
        "splits": splits,
        "name": "m",
        "seed": 0,
        "epochs": 1,
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        experiments.train_on_adding(args.pop("make_layer"), args.pop("splits"), **args)


@pytest.mark.train
def test_train_on_adding_trains_names_and_repeats():
    """Imports TensorFlow and trains a 22-parameter model for two epochs on 64 sequences."""
    keras = pytest.importorskip("keras")
    splits = experiments.adding_splits(64, 16, 6, rng=1)

    def run():
        return experiments.train_on_adding(
            lambda: keras.layers.SimpleRNN(3, name="rnn"),
            splits,
            name="tiny",
            seed=5,
            epochs=2,
            batch_size=16,
        )

    first, again = run(), run()
    assert first.model.name == "tiny"
    assert [layer.name for layer in first.model.layers] == ["rnn", "readout"]
    assert first.params == 3 * (2 + 3 + 1) + 4
    assert 1 <= first.epochs_run <= 2 and set(first.history) == {"loss", "val_loss"}
    assert first.test_sq_errors.shape == (16,) and first.seconds > 0
    assert [w.shape for w in first.initial_weights] == [w.shape for w in first.model.get_weights()]
    assert not np.array_equal(first.initial_weights[0], first.model.get_weights()[0])
    assert first.history == again.history, "the same seed must give the same training"
    np.testing.assert_allclose(first.test_sq_errors, again.test_sq_errors)
    seconds = experiments.step_seconds(
        {"tiny": first.model}, splits.X_train[:16], splits.y_train[:16], repeats=2, warmup=1
    )
    assert seconds["tiny"].shape == (2,) and np.all(seconds["tiny"] > 0)
    assert first.val_baseline_mse == pytest.approx(splits.val_baseline_mse)
    np.testing.assert_allclose(first.val_shares, np.asarray(first.history["val_loss"])
                               / splits.val_baseline_mse)  # fmt: skip


@pytest.mark.train
def test_train_on_adding_clips_by_the_global_norm_and_runs_callbacks():
    keras = pytest.importorskip("keras")
    splits = experiments.adding_splits(32, 8, 6, rng=2)
    recorder = experiments.reach_recorder(splits.X_val, splits.y_val, last=2)
    result = experiments.train_on_adding(
        lambda: keras.layers.SimpleRNN(3, name="rnn"), splits, name="tiny", seed=1, epochs=2,
        batch_size=16, callbacks=[recorder],
    )  # fmt: skip
    optimizer = result.model.optimizer
    assert optimizer.global_clipnorm == 1.0 and optimizer.clipnorm is None
    assert len(recorder.ratios) == result.epochs_run + 1  # before training, then every epoch
    assert all(g.shape == (6,) for g in recorder.norms)
    assert recorder.ratios[0] == pytest.approx(experiments.reach_ratio(recorder.norms[0], 2))
    with pytest.raises(ValueError, match="callbacks must hold Keras callbacks"):
        experiments.train_on_adding(
            lambda: keras.layers.SimpleRNN(3), splits, name="m", seed=0, epochs=1,
            callbacks=[print],
        )  # fmt: skip


@pytest.mark.train
def test_input_gradient_norms_match_a_linear_model_by_hand():
    """For y_hat = sum_t x_t w (one feature), d (y_hat - y)^2 / d x_t = 2 (y_hat - y) w."""
    keras = pytest.importorskip("keras")
    w = 0.5
    model = keras.Sequential(
        [keras.Input(shape=(4, 1)), keras.layers.Flatten(), keras.layers.Dense(1, use_bias=False)]
    )
    model.layers[-1].set_weights([np.full((4, 1), w, dtype=np.float32)])
    X = np.arange(8, dtype=np.float32).reshape(2, 4, 1)
    y = np.array([[1.0], [2.0]], dtype=np.float32)
    residual = X.sum(axis=(1, 2)) * w - y[:, 0]
    expected = np.full(4, np.mean(np.abs(2 * residual * w)))
    np.testing.assert_allclose(experiments.input_gradient_norms(model, X, y), expected, rtol=1e-5)


def test_reach_ratio():
    g = np.array([4.0, 2.0, 1.0, 1.0, 3.0, 1.0])
    assert experiments.reach_ratio(g, last=2) == pytest.approx(((4 + 2 + 1) / 3) / 2)
    assert experiments.reach_ratio(np.ones(10)) == 1.0


@pytest.mark.parametrize(
    ("function", "args", "message"),
    [
        ("reach_ratio", (np.ones(1),), "g must have at least 2"),
        ("reach_ratio", (np.ones((2, 2)),), "g must be a 1-D array"),
        ("reach_ratio", (np.ones(4), 5), "last must be an integer in"),
        ("input_gradient_norms", (None, np.ones((2, 3)), np.ones((2, 1))), "X must be a 3-D"),
        ("input_gradient_norms", (None, np.ones((2, 3, 1)), np.ones(2)), "y must be"),
        ("reach_recorder", (np.ones((2, 1, 1)), np.ones((2, 1))), "at least 2 steps"),
        ("reach_recorder", (np.ones((2, 3, 1)), np.ones((3, 1))), "y must be"),
        ("reach_recorder", (np.ones((2, 3, 1)), np.ones((2, 1)), 4), "last must be an integer"),
    ],
)
def test_gradient_reach_rejects_bad_input(function, args, message):
    with pytest.raises(ValueError, match=message):
        getattr(experiments, function)(*args)


def test_plot_loss_shares_draws_one_style_per_model():
    results = {"A": fake_result([0.2, 0.02]), "B": fake_result([0.2, 0.19, 0.18])}
    ax = experiments.plot_loss_shares(results)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:4] == ["A validation", "A training", "B validation", "B training"]
    assert labels[4:] == ["50% of the baseline", "10% of the baseline"]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [1.0, 0.1])
    np.testing.assert_array_equal(ax.get_lines()[2].get_xdata(), [1, 2, 3])
    lines = ax.get_lines()
    assert lines[0].get_marker() != lines[2].get_marker(), "models differ by more than colour"
    assert ax.get_yscale() == "log"


@pytest.mark.parametrize(
    ("results", "kwargs", "message"),
    [
        ({}, {}, "results must be a non-empty mapping"),
        ({"A": {"loss": [1]}}, {}, r"results\['A'\] must be a TrainResult"),
        (None, {"bars": (0.5, -1)}, "bars must be a number > 0.0"),
    ],
)
def test_plot_loss_shares_rejects_bad_input(results, kwargs, message):
    results = {"A": fake_result([0.2])} if results is None else results
    with pytest.raises(ValueError, match=message):
        experiments.plot_loss_shares(results, **kwargs)


def test_paired_difference():
    a, b = np.array([1.0, 2.0, 3.0, 4.0]), np.array([0.5, 1.0, 2.5, 3.0])
    mean, se = experiments.paired_difference(a, b)
    d = a - b
    assert mean == pytest.approx(d.mean())
    assert se == pytest.approx(d.std(ddof=1) / 2)
    assert experiments.paired_difference(a, a) == (0.0, 0.0)


def test_lag1_autocorrelation():
    alternating = np.array([1.0, -1.0] * 50)
    assert experiments.lag1_autocorrelation(alternating) == pytest.approx(-0.99)  # 99 of 100 pairs
    smooth = np.sin(np.arange(200) / 10)
    expected = np.corrcoef(smooth[:-1], smooth[1:])[0, 1]  # the two agree closely on a long series
    assert experiments.lag1_autocorrelation(smooth) == pytest.approx(expected, abs=0.02)
    noise = np.random.default_rng(0).normal(size=10_000)
    assert abs(experiments.lag1_autocorrelation(noise)) < 4 / np.sqrt(10_000)
    with pytest.raises(ValueError, match="d must not be constant"):
        experiments.lag1_autocorrelation(np.ones(5))
    with pytest.raises(ValueError, match="d must have at least 3"):
        experiments.lag1_autocorrelation(np.ones(2))


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ([1.0], [1.0], "errors_a must have at least 2"),
        ([1.0, 2.0], [1.0, 2.0, 3.0], "errors_b must have the shape of errors_a"),
        ([1.0, np.nan], [1.0, 2.0], "errors_a must hold finite values"),
        ([[1.0, 2.0]], [1.0, 2.0], "errors_a must be a 1-D array"),
    ],
)
def test_paired_difference_rejects_bad_input(a, b, message):
    with pytest.raises(ValueError, match=message):
        experiments.paired_difference(a, b)


def test_step_seconds_takes_turns_and_restores_weights():
    first, second = FakeModel(), FakeModel()
    order = []
    for name, model in (("a", first), ("b", second)):
        step = model.train_on_batch
        model.train_on_batch = lambda X, y, step=step, name=name: (order.append(name), step(X, y))
    times = experiments.step_seconds(
        {"a": first, "b": second}, np.zeros((4, 3, 2)), np.zeros((4, 1)), repeats=5, warmup=2
    )
    assert set(times) == {"a", "b"} and all(
        t.shape == (5,) and np.all(t >= 0) for t in times.values()
    )
    assert order == ["a", "a", "b", "b"] + ["a", "b"] * 5  # warm-up each, then in turns
    assert first.steps == second.steps == 7
    np.testing.assert_array_equal(first.weights[0], np.ones(3))


@pytest.mark.parametrize(
    ("models", "X", "kwargs", "message"),
    [
        ({"m": FakeModel()}, np.zeros((4, 3, 2)), {"repeats": 0}, "repeats must be an integer in"),
        ({"m": FakeModel()}, np.zeros((4, 3, 2)), {"warmup": 0}, "warmup must be an integer in"),
        ({"m": FakeModel()}, np.zeros((5, 3, 2)), {}, "X and y must be a batch of the same"),
        ({}, np.zeros((4, 3, 2)), {}, "models must be a non-empty mapping"),
        ({"m": object()}, np.zeros((4, 3, 2)), {}, r"models\['m'\] must be a compiled"),
    ],
)
def test_step_seconds_rejects_bad_input(models, X, kwargs, message):
    with pytest.raises(ValueError, match=message):
        experiments.step_seconds(models, X, np.zeros((4, 1)), **kwargs)


def test_write_metrics(tmp_path):
    results = {"LSTM": fake_result([0.1], errors=(0.01, 0.03)), "RNN": fake_result([0.2])}
    assert experiments.write_metrics(None, results) is None
    path = tmp_path / "m.json"
    written = experiments.write_metrics(path, results, paired_se=0.5)
    assert json.loads(path.read_text()) == written
    assert written["baseline_mse"] == 0.2 and written["paired_se"] == 0.5
    assert written["LSTM"] == {
        "params": 10,
        "epochs": 1,
        "seconds": 1.5,
        "test_mse": 0.02,
        "ratio": pytest.approx(0.1),
    }


@pytest.mark.parametrize(
    ("path", "results", "extra", "message"),
    [
        ("", None, {}, "path must be None or a non-empty file path"),
        ("m.json", {}, {}, "results must be a non-empty mapping"),
        ("m.json", {"A": 1}, {}, "results must all be TrainResults scored against the same"),
        ("m.json", "two baselines", {}, "results must all be TrainResults scored against the same"),
        ("m.json", None, {"gap": float("nan")}, "gap must be a number finite"),
    ],
)
def test_write_metrics_rejects_bad_input(tmp_path, path, results, extra, message):
    if results is None:
        results = {"A": fake_result([0.1])}
    elif results == "two baselines":
        results = {"A": fake_result([0.1], baseline=0.2), "B": fake_result([0.1], baseline=0.3)}
    with pytest.raises(ValueError, match=message):
        experiments.write_metrics(tmp_path / path if path else path, results, **extra)
    assert not (tmp_path / "m.json").exists()


def test_adding_splits_is_a_frozen_record():
    splits = experiments.adding_splits(4, 2, 4, rng=0)
    assert isinstance(splits, AddingSplits)
    with pytest.raises(AttributeError):
        splits.X_train = None
