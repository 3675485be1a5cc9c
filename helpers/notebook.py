"""The set-up that every notebook's setup cell runs.

``setup(SEED)`` checks the seed, seeds Python, NumPy and (when asked) Keras, turns on TensorFlow
op determinism, keeps TensorFlow's start-up log lines out of the notebook, turns TF32 off on a GPU
and sets the course's plotting style. ``describe_runtime()`` gives the one line the setup cell
prints: the versions and the device the notebook runs on.
"""

from __future__ import annotations

import os
import platform
import random
import sys
from types import ModuleType

import numpy as np

from helpers.checks import MAX_SEED, check_int
from helpers.plotting import use_course_style

__all__ = ["setup", "describe_runtime", "import_tensorflow_quietly"]

NO_TENSORFLOW = (
    "This notebook needs TensorFlow (2.16 or newer, with Keras 3), and this Python has none. "
    "In Colab, pick a runtime that has it: Runtime > Change runtime type > CPU (or a GPU; the "
    "TPU runtime has no TensorFlow). Elsewhere install the course's packages: "
    "pip install -r requirements.txt"
)


def import_tensorflow_quietly() -> ModuleType:
    """Import TensorFlow without its start-up lines on stderr and return the module.

    TensorFlow writes lines such as ``oneDNN custom operations are on`` and ``Could not find cuda
    drivers`` straight to the process's file descriptor 2 while it loads and when it first looks
    for a GPU, before its logging can be configured; a Jupyter kernel forwards them into the cell's
    output. Setting ``TF_CPP_MIN_LOG_LEVEL`` alone does not stop them, so the import and the device
    look-up run with descriptor 2 pointed at ``/dev/null``; errors raised are still raised.

    Raises ``ImportError`` with what to do when TensorFlow is missing or its Keras is older than 3.
    On a GPU, TF32 matrix products are turned off, so that float32 results agree with NumPy to
    ~1e-7 as on a CPU (Ampere and newer GPUs would otherwise round them to ~1e-3).
    """
    if sys.modules.get("tensorflow") is not None:
        return sys.modules["tensorflow"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        try:
            import tensorflow as tf
        except ImportError as exc:
            raise ImportError(NO_TENSORFLOW) from exc
        if tf.config.list_physical_devices("GPU"):
            tf.config.experimental.enable_tensor_float_32_execution(False)
        tf.constant(0.0).numpy()  # the first op initialises the runtime (and logs about CUDA)
        tf.get_logger().setLevel("ERROR")
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    import keras

    if int(keras.__version__.split(".")[0]) < 3:
        raise ImportError(
            f"This course needs Keras 3; this Python has Keras {keras.__version__} (TensorFlow "
            f"{tf.__version__}). Install the course's packages (pip install -r requirements.txt), "
            "or in Colab use a current runtime: Runtime > Change runtime type > CPU."
        )
    return tf


def describe_runtime() -> str:
    """One line: Python, TensorFlow, Keras and NumPy versions, and the device computing.

    TensorFlow and Keras are named only when the notebook has imported them. The device is the
    first GPU's name when TensorFlow sees one, else ``CPU``.
    """
    parts = [f"Python {platform.python_version()}"]
    device = "CPU"
    tf = sys.modules.get("tensorflow")
    if tf is not None:
        import keras

        parts += [f"TensorFlow {tf.__version__}", f"Keras {keras.__version__}"]
        gpus = tf.config.list_physical_devices("GPU")
        if gpus:
            details = tf.config.experimental.get_device_details(gpus[0])
            device = f"GPU {details.get('device_name', gpus[0].name)} (TF32 off)"
    parts += [f"NumPy {np.__version__}", f"device: {device}"]
    return " · ".join(parts)


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
