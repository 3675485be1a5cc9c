"""The setup cell makes helpers importable wherever a notebook runs, and touches nothing else.

A fresh virtual environment (no packages of its own) sees the packages of the environment running
the tests through a ``.pth`` line, as Colab's or Kaggle's Python sees its preinstalled TensorFlow,
but not ``helpers``: the line points at a folder of links to that site-packages that leaves out the
``rnn-course-helpers`` distribution. In it:

- a notebook inside a copy of the course finds the copy's helpers (nothing is installed);
- a notebook copied alone into an empty folder, run in a Jupyter kernel, installs helpers with pip
  from the repository URL at the pinned commit and reaches its first body cell. git is pointed
  from that URL to a clone of this repository, pip has no index and builds with the
  environment's setuptools: nothing is downloaded. Afterwards ``pip list`` differs only by
  ``rnn-course-helpers``, and TensorFlow, Keras, NumPy and Matplotlib are untouched.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from tools.course import NOTEBOOKS, pinned_ref, repository
from tools.run_notebooks import repository_clone

pytestmark = pytest.mark.env

DIST = "rnn-course-helpers"
UNTOUCHED = ["tensorflow", "keras", "numpy", "matplotlib"]

PROBE = r"""
import importlib.metadata, importlib.util, json, os, sys
out = {"helpers": None, "dists": {}}
spec = importlib.util.find_spec("helpers")
if spec is not None:
    out["helpers"] = os.path.realpath(spec.origin)
for name in sys.argv[1:]:
    try:
        dist = importlib.metadata.distribution(name)
        out["dists"][name] = {"version": dist.version, "path": os.path.realpath(dist._path),
                              "direct_url": dist.read_text("direct_url.json")}
    except importlib.metadata.PackageNotFoundError:
        out["dists"][name] = None
print(json.dumps(out))
"""


def run(command: list[str], env: SimpleNamespace, cwd: Path, timeout: float = 300) -> str:
    result = subprocess.run(
        command, env=env.environ, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} exited with {result.returncode}\n"
        f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
    )
    return result.stdout


def probe(env: SimpleNamespace) -> dict:
    return json.loads(run([env.python, "-c", PROBE, DIST, *UNTOUCHED], env, env.tmp))


def pip_list(env: SimpleNamespace) -> dict[str, str]:
    out = run([env.python, "-m", "pip", "list", "--format=json"], env, env.tmp)
    return {d["name"].lower(): d["version"] for d in json.loads(out)}


def host_state(name: str) -> tuple:
    """Version, location and RECORD hash of a distribution of the environment running pytest."""
    dist = importlib.metadata.distribution(name)
    record = Path(dist._path) / "RECORD"  # type: ignore[attr-defined]
    digest = hashlib.sha256(record.read_bytes()).hexdigest() if record.exists() else None
    return dist.version, os.path.realpath(dist._path), digest  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> SimpleNamespace:
    tmp = tmp_path_factory.mktemp("install")
    env = SimpleNamespace(tmp=tmp, repo=tmp / "repo")
    redirect = repository_clone(env.repo)

    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    env.python = str(venv / "bin" / "python")
    view = tmp / "preinstalled"
    view.mkdir()
    for entry in Path(sysconfig.get_path("purelib")).iterdir():
        if entry.name == "helpers" or entry.name.startswith(("rnn_course_helpers", "__editable__")):
            continue
        if entry.suffix not in (".pth", ".egg-link") and entry.name != "__pycache__":
            (view / entry.name).symlink_to(entry)
    env.site = subprocess.run(
        [env.python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(env.site) / "preinstalled.pth").write_text(f"{view}\n")

    env.environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_", "VIRTUAL_ENV", "CONDA", "JUPYTER", "GIT_"))
    }
    env.environ.update(
        redirect,
        PYTHONNOUSERSITE="1",
        HOME=str(tmp / "home"),
        MPLBACKEND="Agg",
        MPLCONFIGDIR=str(tmp / "mpl"),
        PIP_CONFIG_FILE=os.devnull,  # no pip.conf, no constraints from the machine
        PIP_NO_INDEX="1",
        PIP_NO_BUILD_ISOLATION="0",  # pip's inverted switch: build with this setuptools
        PIP_CACHE_DIR=str(tmp / "pip-cache"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    env.before = probe(env)
    assert env.before["helpers"] is None, "helpers is importable before the test"
    assert all(env.before["dists"][name] for name in UNTOUCHED)
    env.pip_before = pip_list(env)
    env.host_before = {name: host_state(name) for name in UNTOUCHED}
    return env


def setup_script(nb) -> str:
    book = nbformat.read(nb.path, as_version=4)
    return book.cells[1].source + "\n" + book.cells[2].source


def test_a_checkout_uses_its_own_helpers(env):
    """Run from the notebooks folder of a copy of the course, the setup cell imports its helpers."""
    nb = NOTEBOOKS[0]
    script = setup_script(nb) + "\nimport helpers\nprint(helpers.__file__)\n"
    out = run([env.python, "-c", script], env, env.repo / "notebooks")
    assert out.strip().splitlines()[-1] == str(env.repo / "helpers" / "__init__.py")
    assert probe(env)["helpers"] is None, "nothing was installed"


def test_a_notebook_alone_installs_helpers_and_reaches_its_body(env):
    nb = next(nb for nb in NOTEBOOKS if nb.name == "02_rnn_basics")
    book = nbformat.read(nb.path, as_version=4)
    first_body = next(i for i, c in enumerate(book.cells) if i > 3 and c.cell_type == "code")
    book.cells = book.cells[: first_body + 1]
    alone = env.tmp / "alone"
    alone.mkdir()
    nbformat.write(book, alone / nb.filename)
    run(
        [env.python, "-m", "papermill", nb.filename, "executed.ipynb", "-k", "python3",
         "--cwd", str(alone), "--no-progress-bar"],
        env, alone, timeout=600,
    )  # fmt: skip
    executed = nbformat.read(alone / "executed.ipynb", as_version=4)
    assert executed.cells[first_body].execution_count is not None
    runtime = "".join(o.get("text", "") for o in executed.cells[2].outputs)
    assert runtime.startswith("Python ") and "TensorFlow" in runtime and "device: CPU" in runtime

    after = probe(env)
    assert after["helpers"].startswith(os.path.realpath(env.site) + os.sep), after["helpers"]
    direct_url = json.loads(after["dists"][DIST]["direct_url"])
    assert direct_url["url"] == f"https://github.com/{repository()}"
    assert direct_url["vcs_info"]["requested_revision"] == pinned_ref()
    pip_after = pip_list(env)
    changed = {k for k in pip_after.keys() | env.pip_before.keys()
               if pip_after.get(k) != env.pip_before.get(k)}  # fmt: skip
    assert changed == {DIST}, f"the setup cell changed {changed}, expected {DIST} alone"
    for name in UNTOUCHED:
        assert after["dists"][name] == env.before["dists"][name], f"{name} changed"
        assert host_state(name) == env.host_before[name], f"{name}'s files changed"
    shutil.rmtree(alone)
