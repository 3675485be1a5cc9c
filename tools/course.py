"""The course's table of contents and repository settings, read by the scripts and the tests.

The order, file names and one-line summaries of the notebooks live here and nowhere else; each
title is read from its notebook's own first heading (``# N. Title``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"


@dataclass(frozen=True)
class Notebook:
    name: str  # file stem, fixed: tests, badges and links depend on it
    summary: str  # what the learner will do: the README table and notebook 01's course map
    beyond_source: bool = False  # True for the notebooks that go past the source document

    @property
    def number(self) -> int:
        return int(self.name[:2])

    @property
    def path(self) -> Path:
        return NOTEBOOK_DIR / f"{self.name}.ipynb"

    @property
    def filename(self) -> str:
        return f"{self.name}.ipynb"

    @property
    def title(self) -> str:
        """The notebook's title: its first heading ``# N. Title`` without the number."""
        first = json.loads(self.path.read_text(encoding="utf-8"))["cells"][0]["source"]
        first = first if isinstance(first, str) else "".join(first)
        match = re.match(rf"# {self.number}\. (.+)", first)
        if match is None:
            raise ValueError(f"{self.filename}: the first cell must start with '# {self.number}. '")
        return match.group(1).strip()


NOTEBOOKS = [
    Notebook(
        "01_introduction",
        "Sequential data, the recurrence as a loop with memory, a first recurrence by hand.",
    ),
    Notebook(
        "02_rnn_basics",
        "The recurrence in NumPy, checked against Keras; backpropagation through time; "
        "vanishing and exploding gradients; a NumPy RNN that trains.",
    ),
    Notebook(
        "03_lstm",
        "The LSTM's gates in NumPy, proven equal to Keras; a long-memory task, with the gradient "
        "measured step by step.",
    ),
    Notebook(
        "04_gru",
        "The GRU in NumPy under both reset conventions, and LSTM against GRU on one task.",
    ),
    Notebook(
        "05_time_series_applications",
        "Energy, weather, prices, anomalies and a real series, each against a tuned baseline.",
    ),
    Notebook(
        "06_lstm_forecasting",
        "The source's example done right: leak-free split, baselines, choices made on "
        "validation, multi-step forecasts.",
    ),
    Notebook(
        "07_next_steps",
        "Stacked and bidirectional RNNs, an honest hyperparameter search, sequence to sequence, "
        "attention written in NumPy, and a small transformer.",
        beyond_source=True,
    ),
    Notebook(
        "08_text",
        "A character-level language model against n-gram baselines, in bits per character; "
        "sampling with temperature.",
        beyond_source=True,
    ),
]


def project_settings() -> dict[str, str]:
    """``[tool.rnn-course]`` of pyproject.toml (``repository``, ``branch``) and the version.

    Read with a small pattern rather than ``tomllib`` so that the scripts run on Python 3.10 too.
    """
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = re.search(r"^\[tool\.rnn-course\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    project = re.search(r"^\[project\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if section is None or project is None:
        raise RuntimeError("pyproject.toml needs a [project] and a [tool.rnn-course] table")
    settings = dict(re.findall(r'^(\w+)\s*=\s*"([^"]*)"', section.group(1), re.M))
    settings["version"] = re.search(r'^version\s*=\s*"([^"]+)"', project.group(1), re.M).group(1)
    return settings


def repository() -> str:
    """The repository slug ``OWNER/NAME``: written once, in pyproject.toml."""
    return project_settings()["repository"]


def github_url(nb: Notebook) -> str:
    return f"https://github.com/{repository()}/blob/{project_settings()['branch']}/notebooks/{nb.filename}"


def badges(nb: Notebook) -> str:
    """The "Open in Colab" badge and an "Open in Kaggle" link of one notebook, on one line.

    Only the Colab badge is a picture (the contract's one allowed hot-linked image); Kaggle gets
    a text link, so that no other picture is fetched from another site.
    """
    colab = github_url(nb).replace(
        "https://github.com/", "https://colab.research.google.com/github/"
    )
    kaggle = f"https://kaggle.com/kernels/welcome?src={github_url(nb)}"
    return (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab}) "
        f"· [Open in Kaggle]({kaggle})"
    )


def helpers_ref() -> str:
    """The git tag the notebooks install ``helpers`` from: ``v`` and the project's version."""
    return f"v{project_settings()['version']}"


def helpers_source() -> str:
    """What a setup cell without ``helpers`` installs: the repository at the pinned tag."""
    return f"git+https://github.com/{repository()}@{helpers_ref()}"
