"""The course's table of contents and repository settings, read by the scripts and the tests.

The order, file names and one-line summaries of the notebooks live here and nowhere else; each
title is read from its notebook's own first heading (``# N. Title``).
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from helpers.checks import MAX_SEED

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"


@dataclass(frozen=True)
class Notebook:
    name: str  # file stem, fixed: tests, badges and links depend on it
    summary: str  # what the learner will do: the README table and notebook 01's course map
    beyond_source: bool = False  # True for the notebooks that go past the source document
    # what `make test` overrides after the parameters cell to execute the notebook quickly (nbval);
    # each value is an end of its accepted range that `make claims` measured. The defaults are
    # executed by `make run` (CI runs it on two Pythons and in Colab's versions).
    test_parameters: dict = field(default_factory=dict, hash=False, compare=False)

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
        "The LSTM's gates in NumPy, proven equal to Keras; the gradient along the cell state, "
        "exactly; a long-memory task against a tuned plain RNN, with the gradient's reach "
        "measured epoch by epoch.",
        test_parameters={"EPOCHS": 1},
    ),
    Notebook(
        "04_gru",
        "The GRU in NumPy under both reset conventions; LSTM against a GRU with as many "
        "parameters; porting weights; where gated RNNs stand today.",
        test_parameters={"EPOCHS": 1},
    ),
    Notebook(
        "05_time_series_applications",
        "Energy, weather, prices, anomalies and a real series, each against a tuned baseline.",
        test_parameters={"EPOCHS": 1},
    ),
    Notebook(
        "06_lstm_forecasting",
        "The source's example done right: leak-free split, baselines, choices made on "
        "validation, multi-step forecasts.",
        test_parameters={"EPOCHS": 1},
    ),
    Notebook(
        "07_next_steps",
        "Stacked and bidirectional RNNs, an honest hyperparameter search, sequence to sequence, "
        "attention written in NumPy, and a small transformer.",
        beyond_source=True,
        test_parameters={"EPOCHS": 1},
    ),
    Notebook(
        "08_text",
        "A character-level language model against n-gram baselines, in bits per character; "
        "sampling with temperature.",
        beyond_source=True,
        test_parameters={"EPOCHS": 1},
    ),
    Notebook(
        "09_modern_recurrences",
        "Linear recurrences and the parallel scan in NumPy, an LRU whose gradient decays as "
        "chosen, minGRU beside the GRU, selective copying, and generation with a fixed state.",
        beyond_source=True,
        test_parameters={"EPOCHS": 1},
    ),
]


@dataclass(frozen=True)
class Parameter:
    """One parameter of a notebook: its default (parameters cell) and accepted range (setup cell).

    ``kind`` is "integer", "number", "path" or "" (not checked); ``low``/``high`` are the literal
    bounds of its ``check_int``/``check_float`` call (None when absent).
    """

    name: str
    default: object
    default_text: str
    comment: str
    kind: str = ""
    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True

    @property
    def accepted(self) -> str:
        """The accepted range as the README's parameter table writes it."""
        if self.kind == "path":
            return "None or a file path"
        if self.low is not None and self.high is not None:
            left = "[" if self.low_inclusive else "("
            right = "]" if self.high_inclusive else ")"
            return f"{self.kind} in {left}{self.low}, {self.high}{right}"
        if self.low is not None:
            return f"{self.kind} >= {self.low}"
        return self.kind or "-"


CHECKS = {"check_int": "integer", "check_float": "number", "check_optional_path": "path"}


def parameter_specs(book) -> list[Parameter]:
    """Every parameter of a notebook (an ``nbformat`` notebook), read as literals only.

    Defaults and comments come from the ``parameters`` cell, ranges from the ``check_*`` calls of
    the setup cell after it; nothing is executed (a bound that is not a literal raises).
    """
    cells = book.cells
    i = next(k for k, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
    ranges: dict[str, dict] = {"SEED": {"kind": "integer", "low": 0, "high": MAX_SEED}}
    for node in ast.walk(ast.parse(cells[i + 1].source)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in CHECKS):
            continue
        name, kind = ast.literal_eval(node.args[0]), CHECKS[node.func.id]
        bounds = [ast.literal_eval(a) for a in node.args[2:4]]  # literals only: raises otherwise
        flags = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
        ranges[name] = {
            "kind": kind,
            "low": bounds[0] if bounds else None,
            "high": bounds[1] if len(bounds) > 1 else None,
            "low_inclusive": flags.get("low_inclusive", True),
            "high_inclusive": flags.get("high_inclusive", True),
        }
    specs = []
    for stmt in ast.parse(cells[i].source).body:
        name = stmt.targets[0].id
        line = cells[i].source.splitlines()[stmt.lineno - 1]
        comment = line.split("#", 1)[1].strip() if "#" in line else ""
        specs.append(
            Parameter(
                name,
                ast.literal_eval(stmt.value),
                ast.unparse(stmt.value),
                comment,
                **ranges.get(name, {}),
            )
        )
    return specs


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


def helpers_commit() -> str:
    """The commit of this repository that last changed ``helpers/``: what the notebooks pin.

    Read from git, so that the pin exists in every clone of the branch the course is published
    from, with no release step; ``python -m tools.stamp`` writes it into the setup cells.
    """
    import subprocess

    result = subprocess.run(
        ["git", "log", "-1", "--format=%H", "--", "helpers"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    commit = result.stdout.strip()
    if result.returncode or not re.fullmatch(r"[0-9a-f]{40}", commit):
        raise RuntimeError(
            "cannot read the last commit that changed helpers/ (is this a git checkout with its "
            f"history?): {result.stderr.strip() or 'no such commit'}"
        )
    return commit


def helpers_source(ref: str) -> str:
    """What a setup cell without ``helpers`` installs: the repository at commit ``ref``."""
    return f"git+https://github.com/{repository()}@{ref}"


PINNED = re.compile(r'^\s*HELPERS = "git\+https://github\.com/[^@"]+@([^"]+)"', re.M)


def pinned_ref() -> str:
    """The commit the notebooks' setup cells install ``helpers`` from, as stamped in them."""
    first = json.loads(NOTEBOOKS[0].path.read_text(encoding="utf-8"))
    setup = next(c for c in first["cells"][2:3])
    source = setup["source"] if isinstance(setup["source"], str) else "".join(setup["source"])
    match = PINNED.search(source)
    if match is None:
        raise ValueError(f'{NOTEBOOKS[0].filename}: no HELPERS = "git+https://...@REF" line')
    return match.group(1)
