"""The course's table of contents and repository slug, read by the scripts and the tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"


@dataclass(frozen=True)
class Notebook:
    number: int
    name: str  # file stem, fixed: tests, badges and links depend on it
    title: str
    summary: str

    @property
    def path(self) -> Path:
        return NOTEBOOK_DIR / f"{self.name}.ipynb"

    @property
    def filename(self) -> str:
        return f"{self.name}.ipynb"


NOTEBOOKS = [
    Notebook(
        1,
        "01_introduction",
        "Introduction to recurrent networks",
        "Sequential data, the recurrence as a loop with memory, a first recurrence by hand.",
    ),
    Notebook(
        2,
        "02_rnn_basics",
        "Basics of RNNs",
        "The recurrence in NumPy, checked against Keras; backpropagation through time; "
        "vanishing and exploding gradients.",
    ),
    Notebook(
        3,
        "03_lstm",
        "Long short-term memory (LSTM)",
        "The LSTM's gates in NumPy, proven equal to Keras; a long-memory task.",
    ),
    Notebook(
        4,
        "04_gru",
        "Gated recurrent units (GRU)",
        "The GRU in NumPy, both reset conventions, and LSTM against GRU on one task.",
    ),
    Notebook(
        5,
        "05_time_series_applications",
        "Applications in time-series prediction",
        "Energy, weather, prices, anomalies and a real series, each against a baseline.",
    ),
    Notebook(
        6,
        "06_lstm_forecasting",
        "A complete forecast with an LSTM",
        "The source's example done right: leak-free split, baselines, multi-step forecasts.",
    ),
]


def project_settings() -> dict[str, str]:
    """The ``[tool.rnn-course]`` table of pyproject.toml (``repository``, ``branch``).

    Read with a small pattern rather than ``tomllib`` so that the scripts run on Python 3.10 too.
    """
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = re.search(r"^\[tool\.rnn-course\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if section is None:
        raise RuntimeError("pyproject.toml has no [tool.rnn-course] table")
    return dict(re.findall(r'^(\w+)\s*=\s*"([^"]*)"', section.group(1), re.M))


def repository() -> str:
    """The repository slug ``OWNER/NAME``: written once, in pyproject.toml."""
    return project_settings()["repository"]


def branch() -> str:
    return project_settings()["branch"]


def colab_url(nb: Notebook) -> str:
    return (
        f"https://colab.research.google.com/github/{repository()}/blob/{branch()}/"
        f"notebooks/{nb.filename}"
    )


def colab_badge(nb: Notebook) -> str:
    return (
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({colab_url(nb)})"
    )


def helpers_source() -> str:
    """What the setup cell installs in Colab: the repository itself (it holds ``helpers``)."""
    return f"git+https://github.com/{repository()}@{branch()}"
