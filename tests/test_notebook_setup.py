"""helpers.notebook: seeding, the quiet TensorFlow import, the runtime line, the SEED check."""

import os
import random
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from helpers import notebook


def test_setup_without_tensorflow_seeds_python_and_numpy():
    rng = notebook.setup(7, tensorflow=False)
    first = (random.random(), np.random.rand(), rng.random())  # noqa: NPY002
    rng = notebook.setup(7, tensorflow=False)
    assert first == (random.random(), np.random.rand(), rng.random())  # noqa: NPY002
    rng = notebook.setup(8, tensorflow=False)
    assert first[2] != rng.random()


@pytest.mark.parametrize("bad", [-1, 2**32, "42", 4.2, None, True])
def test_setup_rejects_bad_seed(bad):
    with pytest.raises(ValueError, match=r"SEED must be an integer in \[0, 4294967295\], got "):
        notebook.setup(bad, tensorflow=False)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_setup_with_tensorflow_is_quiet_and_deterministic():
    """No start-up line reaches stderr, and the same seed gives the same Keras weights."""
    proc = run_python(
        """
        from helpers.notebook import setup
        import sys
        setup(3)
        import keras
        a = keras.layers.Dense(4); a.build((None, 2))
        setup(3)
        b = keras.layers.Dense(4); b.build((None, 2))
        import numpy as np
        assert np.array_equal(a.kernel.numpy(), b.kernel.numpy())
        from tensorflow.python.framework import config
        assert config.is_op_determinism_enabled()
        print("ok", flush=True)
        print("stderr still works", file=sys.stderr)
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
    # the only stderr line is ours: no oneDNN, cudart_stub, absl or cuInit lines
    assert proc.stderr.strip() == "stderr still works", proc.stderr


def test_describe_runtime_names_versions_and_device():
    proc = run_python(
        """
        from helpers.notebook import describe_runtime, setup
        print(describe_runtime())
        setup(1)
        print(describe_runtime())
        """
    )
    assert proc.returncode == 0, proc.stderr
    without_tf, with_tf = proc.stdout.strip().splitlines()
    assert without_tf.startswith("Python 3.") and "TensorFlow" not in without_tf
    assert "NumPy " in without_tf and without_tf.endswith("device: CPU")
    assert " · TensorFlow 2." in with_tf and " · Keras 3." in with_tf


def test_missing_tensorflow_says_what_to_do():
    proc = run_python(
        """
        import sys
        sys.modules["tensorflow"] = None  # as if it were not installed
        from helpers.notebook import setup
        setup(1)
        """
    )
    assert proc.returncode != 0
    assert "ImportError: This notebook needs TensorFlow" in proc.stderr
    assert "Runtime > Change runtime type > CPU" in proc.stderr
