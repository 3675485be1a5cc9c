"""The set-up that every notebook's setup cell runs.

``setup(SEED)`` checks the seed, seeds Python, NumPy and (when asked) Keras, turns on TensorFlow
op determinism, keeps TensorFlow's start-up log lines out of the notebook, and sets the course's
plotting style. It returns a ``numpy.random.Generator`` for the notebook's own draws.
"""

from __future__ import annotations

import importlib.util
import os
import random
import sys
from types import ModuleType

import numpy as np

from helpers.checks import MAX_SEED, check_int
from helpers.plotting import use_course_style

__all__ = ["setup", "in_colab", "import_tensorflow_quietly", "MAX_SEED"]


def in_colab() -> bool:
    """True when running inside Google Colab (the ``google.colab`` package is importable)."""
    try:
        return importlib.util.find_spec("google.colab") is not None
    except ModuleNotFoundError:  # no ``google`` package at all
        return False


def import_tensorflow_quietly() -> ModuleType:
    """Import TensorFlow without its start-up lines on stderr and return the module.

    TensorFlow writes lines such as ``oneDNN custom operations are on`` and ``Could not find cuda
    drivers`` straight to the process's file descriptor 2 while it loads and when it first looks
    for a GPU, before its logging can be configured; a Jupyter kernel forwards them into the cell's
    output. Setting ``TF_CPP_MIN_LOG_LEVEL`` alone does not stop them, so the import and the device
    look-up run with descriptor 2 pointed at ``/dev/null``; errors raised are still raised.
    """
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import tensorflow as tf

        tf.config.list_physical_devices()
        tf.constant(0.0).numpy()  # the first op initialises the runtime (and logs about CUDA)
        tf.get_logger().setLevel("ERROR")
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    return tf


def setup(seed: int, *, tensorflow: bool = True, style: bool = True) -> np.random.Generator:
    """Prepare a notebook run and return ``numpy.random.default_rng(seed)``.

    - ``seed`` must be an integer in ``[0, 2**32 - 1]``; anything else raises a ``ValueError``
      that names ``SEED``.
    - Seeds Python's ``random`` and NumPy's global state; with ``tensorflow=True`` also imports
      TensorFlow quietly, calls ``keras.utils.set_random_seed`` and turns on op determinism, so
      the same seed gives the same numbers run after run on one machine.
    - With ``style=True`` applies the course's Matplotlib style.
    """
    seed = check_int("SEED", seed, 0, MAX_SEED)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 (the legacy global state is what we seed here)
    if tensorflow:
        tf = import_tensorflow_quietly()
        import keras

        keras.utils.set_random_seed(seed)
        tf.config.experimental.enable_op_determinism()
    if style:
        use_course_style()
    return np.random.default_rng(seed)
