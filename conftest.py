"""Test-suite set-up, loaded by pytest before anything is collected.

- Cuts outbound network access in this process and in every process it starts (kernels,
  papermill, pip): see tests/offline/sitecustomize.py.
- Uses Matplotlib's non-interactive backend.
- Marks every nbval item (a notebook cell) with ``notebook``, so that ``-m`` selects tiers.
"""

import os
import sys
from pathlib import Path

import pytest

OFFLINE = Path(__file__).parent / "tests" / "offline"


def pytest_configure(config):
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(OFFLINE), os.environ.get("PYTHONPATH", "")) if p
    )
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # quiet debugpy note in kernels
    sys.path.insert(0, str(OFFLINE))
    import sitecustomize  # noqa: F401  (this process too)

    assert getattr(__import__("socket"), "RNN_COURSE_OFFLINE", False), "offline guard not active"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)
