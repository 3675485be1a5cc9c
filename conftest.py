"""Test-suite set-up, loaded by pytest before anything is collected.

- Cuts outbound network access in this process and in every process it starts (kernels,
  papermill, pip): see tests/offline/sitecustomize.py.
- Uses Matplotlib's non-interactive backend.
- Marks every nbval item (a notebook cell) with ``notebook``, so that ``-m`` selects tiers.
- Runs each notebook with its test parameters (``tools.course``: a shorter training, at the end of
  an accepted range that ``make claims`` measured), appended to its parameters cell; the checked
  outputs do not depend on them. ``--notebook-defaults`` runs the defaults instead.
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


def pytest_addoption(parser):
    parser.addoption(
        "--notebook-defaults",
        action="store_true",
        help="execute the notebooks with their default parameters, not their test parameters",
    )


def pytest_collection_modifyitems(config, items):
    from tools.course import NOTEBOOKS

    fast = {nb.name: nb.test_parameters for nb in NOTEBOOKS}
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)
            cell = getattr(item, "cell", None)
            overrides = fast.get(item.path.stem)
            if config.getoption("--notebook-defaults") or not overrides or cell is None:
                continue
            if "parameters" in cell.metadata.get("tags", []):
                # what papermill's injected-parameters cell does, in the parameters cell itself
                lines = "".join(f"\n{k} = {v!r}  # make test's value" for k, v in overrides.items())
                cell.source = cell.source.rstrip("\n") + lines + "\n"
