"""The notebooks' Colab path: the setup cell installs ``helpers`` and touches nothing else.

In Colab the setup cell finds ``google.colab``, pip-installs the repository (it holds ``helpers``)
from GitHub, and goes on with TensorFlow as Colab ships it. This test rebuilds that situation
offline:

- a fresh virtual environment (no pip, no packages of its own) that sees the packages of the
  environment running the tests through a ``.pth`` line, as Colab's interpreter sees its
  preinstalled TensorFlow, NumPy and Matplotlib, but without ``helpers``: the line points at a
  folder of links to that site-packages that leaves out the ``rnn-course-helpers`` distribution;
- an importable ``google.colab`` (a namespace ``google``, so protobuf's ``google`` still imports);
- a git repository made from the current work tree (tracked and untracked files, not ignored ones),
  installed as ``git+file://...@main`` through the cell's ``RNN_COURSE_HELPERS`` override, the way
  pip installs ``git+https://github.com/...@main`` in Colab;
- pip with no index (``PIP_NO_INDEX``) and no build isolation: the build backend, setuptools, comes
  from the environment, so nothing is downloaded (and tests/offline cuts the network anyway).

For each notebook its setup cell runs in that environment up to the end of the Colab block (the
rest of the cell is the same as outside Colab, and the execution tests run it). Afterwards
``import helpers`` must resolve inside the new environment, ``pip list`` must differ from before
only by ``rnn-course-helpers``, and TensorFlow, Keras, NumPy and Matplotlib must be untouched
(version, location, RECORD). Once installed, every helpers module must import from the installed
copy and ``helpers.notebook.setup`` must run with TensorFlow.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tools.course import NOTEBOOKS, ROOT, helpers_source

DIST = "rnn-course-helpers"
SETUPTOOLS_MIN = (77,)  # pyproject.toml's build requirement (PEP 639 licence fields)
UNTOUCHED = ["tensorflow", "keras", "numpy", "matplotlib"]
PRESENT = [nb for nb in NOTEBOOKS if nb.path.exists()]


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def parameters_and_setup(path: Path) -> tuple[str, str]:
    """The sources of the cell tagged ``parameters`` and of the code cell right after it."""
    all_cells = cells(path)
    for i, cell in enumerate(all_cells):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            following = [c for c in all_cells[i + 1 :] if c["cell_type"] == "code"]
            assert following, f"{path.name}: no code cell after the parameters cell"
            return source(cell), source(following[0])
    raise AssertionError(f"{path.name}: no cell is tagged 'parameters'")


def colab_block(setup_source: str, name: str) -> str:
    """The setup cell from its first line to the end of the ``try: import google.colab`` block."""
    tree = ast.parse(setup_source)
    for node in tree.body:
        if isinstance(node, ast.Try) and any(
            isinstance(stmt, ast.Import) and any(a.name == "google.colab" for a in stmt.names)
            for stmt in node.body
        ):
            return "\n".join(setup_source.splitlines()[: node.end_lineno]) + "\n"
    raise AssertionError(f"{name}: the setup cell has no `try: import google.colab` block")


def run(command: list[str], env: dict, cwd: Path, timeout: float = 120) -> str:
    result = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} exited with {result.returncode}\n"
        f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
    )
    return result.stdout


def file_state(path: Path) -> tuple[int, str]:
    return path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


def host_dist_state(name: str) -> dict:
    """Version, files location and RECORD of a distribution of the environment running pytest."""
    dist = importlib.metadata.distribution(name)
    record = Path(dist._path) / "RECORD"  # type: ignore[attr-defined]
    return {
        "version": dist.version,
        "dist_info": os.path.realpath(dist._path),  # type: ignore[attr-defined]
        "record": file_state(record) if record.exists() else None,
    }


# Run in the Colab-like environment: where each package resolves from, and pip's view of it all.
PROBE = r"""
import importlib.metadata, importlib.util, json, os, sys
out = {"prefix": sys.prefix, "helpers": None, "dists": {}}
spec = importlib.util.find_spec("helpers")
if spec is not None:
    out["helpers"] = os.path.realpath(spec.origin)
for name in sys.argv[1:]:
    spec = importlib.util.find_spec(name.replace("-", "_"))
    try:
        dist = importlib.metadata.distribution(name)
        out["dists"][name] = {
            "version": dist.version,
            "dist_info": os.path.realpath(dist._path),
            "origin": os.path.realpath(spec.origin) if spec and spec.origin else None,
            "direct_url": dist.read_text("direct_url.json"),
        }
    except importlib.metadata.PackageNotFoundError:
        out["dists"][name] = None
print(json.dumps(out))
"""


def probe(env: SimpleNamespace) -> dict:
    script = env.tmp / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    out = run([env.python, str(script), DIST, *UNTOUCHED], env.environ, env.cwd)
    return json.loads(out)


def pip_list(env: SimpleNamespace) -> dict[str, str]:
    out = run([env.python, "-m", "pip", "list", "--format=json"], env.environ, env.cwd)
    return {d["name"].lower(): d["version"] for d in json.loads(out)}


def copy_work_tree(destination: Path) -> None:
    """The work tree as it would be committed now (tracked and untracked, not ignored), in git."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        origin = ROOT / name
        if origin.is_file():  # a tracked file deleted in the work tree is left out
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
    git_env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@localhost",
        "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@localhost",
    }  # fmt: skip
    for command in (
        ["git", "init", "--quiet", "--initial-branch=main"],
        ["git", "add", "--all"],
        ["git", "commit", "--quiet", "--no-gpg-sign", "-m", "work tree"],
    ):
        subprocess.run(command, cwd=destination, env=git_env, check=True, capture_output=True)


def preinstalled_view(site_packages: Path, view: Path) -> None:
    """Links to everything in ``site_packages`` except the helpers distribution and .pth files."""
    view.mkdir()
    for entry in site_packages.iterdir():
        name = entry.name
        if (
            name == "helpers"
            or name.startswith(("rnn_course_helpers", "__editable__"))
            or name.endswith((".pth", ".egg-link"))
            or name == "__pycache__"
        ):
            continue
        (view / name).symlink_to(entry)


@pytest.fixture(scope="module")
def colab(tmp_path_factory) -> SimpleNamespace:
    try:
        setuptools_version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        setuptools_version = "none"
    numbers = tuple(int(p) for p in setuptools_version.split(".")[:1] if p.isdigit())
    if numbers < SETUPTOOLS_MIN:
        pytest.fail(
            f"setuptools {setuptools_version} in {sys.prefix}: building helpers offline needs "
            "setuptools>=77 there (pyproject.toml's build requirement); requirements.txt must "
            "pin it so that `make setup` installs it"
        )

    tmp = tmp_path_factory.mktemp("colab")
    env = SimpleNamespace(tmp=tmp, cwd=tmp / "content")  # Colab's working folder is /content
    env.cwd.mkdir()

    # The repository, as pip would clone it from GitHub.
    env.repo = tmp / "repo"
    copy_work_tree(env.repo)
    env.source = f"git+file://{env.repo}@main"

    # google.colab, with ``google`` a namespace package like protobuf's.
    fake = tmp / "fake-colab"
    (fake / "google" / "colab").mkdir(parents=True)
    (fake / "google" / "colab" / "__init__.py").write_text('"""Stand-in for Colab."""\n')

    # The Colab-like interpreter: a venv that sees this environment's packages but not helpers.
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    env.python = str(venv / "bin" / "python")
    host_site = Path(sysconfig.get_path("purelib"))
    preinstalled_view(host_site, tmp / "preinstalled")
    env.site = Path(
        subprocess.run(
            [env.python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    )  # fmt: skip
    (env.site / "colab-preinstalled.pth").write_text(f"{tmp / 'preinstalled'}\n")

    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV", "CONDA", "JUPYTER"))
    }
    pythonpath = [str(fake), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    environ.update(
        PYTHONPATH=os.pathsep.join(pythonpath),  # keeps tests/offline's network cut
        PYTHONNOUSERSITE="1",
        PYTHONDONTWRITEBYTECODE="1",
        HOME=str(tmp / "home"),
        MPLBACKEND="Agg",
        MPLCONFIGDIR=str(tmp / "mpl"),
        PIP_CONFIG_FILE=os.devnull,  # no pip.conf, no constraints from the machine
        PIP_NO_INDEX="1",
        # pip's inverted switch: PIP_NO_BUILD_ISOLATION=0 means --no-build-isolation
        PIP_NO_BUILD_ISOLATION="0",
        PIP_CACHE_DIR=str(tmp / "pip-cache"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        RNN_COURSE_HELPERS=env.source,
    )
    env.environ = environ

    env.before = probe(env)
    assert env.before["helpers"] is None, (
        f"helpers is importable before the install: {env.before['helpers']}"
    )
    assert env.before["dists"][DIST] is None, f"{DIST} is installed before the install"
    for name in UNTOUCHED:
        assert env.before["dists"][name], f"{name} is not visible in the Colab-like environment"
    env.pip_before = pip_list(env)
    env.host_before = {name: host_dist_state(name) for name in UNTOUCHED}
    return env


def test_colab_blocks_are_identical():
    if not PRESENT:
        pytest.skip("no notebook exists yet")
    blocks = {nb.name: colab_block(parameters_and_setup(nb.path)[1], nb.name) for nb in PRESENT}
    first = next(iter(blocks.values()))
    for name, block in blocks.items():
        assert block == first, f"{name}: the Colab block differs from {PRESENT[0].name}'s"
    assert f'"{helpers_source()}"' in first, f"the Colab block does not install {helpers_source()}"
    assert 'os.environ.get("RNN_COURSE_HELPERS"' in first


def run_colab_block(colab: SimpleNamespace, nb) -> float:
    """Run ``nb``'s setup cell up to the end of its Colab block; return the seconds it took."""
    block = colab_block(parameters_and_setup(nb.path)[1], nb.name)
    script = colab.tmp / f"{nb.name}_colab_block.py"
    script.write_text(block, encoding="utf-8")
    started = time.monotonic()
    run([colab.python, str(script)], colab.environ, colab.cwd, timeout=180)
    return time.monotonic() - started


@pytest.mark.parametrize(
    "nb",
    [
        pytest.param(
            nb,
            id=nb.name,
            marks=pytest.mark.skipif(
                not nb.path.exists(), reason=f"notebooks/{nb.filename} does not exist yet"
            ),
        )
        for nb in NOTEBOOKS
    ],
)
def test_setup_cell_installs_helpers_in_colab(nb, colab):
    elapsed = run_colab_block(colab, nb)

    after = probe(colab)
    site = os.path.realpath(colab.site)
    assert after["helpers"] and after["helpers"].startswith(site + os.sep), (
        f"helpers resolves to {after['helpers']}, not inside {site}"
    )
    installed = after["dists"][DIST]
    assert installed and installed["dist_info"].startswith(site + os.sep), installed
    direct_url = json.loads(installed["direct_url"])
    assert direct_url["url"] == f"file://{colab.repo}", direct_url
    assert "vcs_info" in direct_url and not direct_url.get("dir_info", {}).get("editable")

    pip_after = pip_list(colab)
    added = {k: v for k, v in pip_after.items() if colab.pip_before.get(k) != v}
    removed = {k: v for k, v in colab.pip_before.items() if pip_after.get(k) != v}
    assert not removed, f"the setup cell changed or removed {removed}"
    assert set(added) == {DIST}, f"the setup cell installed {added}, expected {DIST} alone"

    for name in UNTOUCHED:
        assert after["dists"][name] == colab.before["dists"][name], f"{name} changed"
        assert host_dist_state(name) == colab.host_before[name], f"{name}'s files changed"
    print(f"{nb.name}: the Colab block ran in {elapsed:.1f} s")


# After the install: every helpers module imports from the installed copy, beside TensorFlow.
USE = r"""
import importlib, os, sys
site = os.path.realpath(sys.argv[1])
for name in sys.argv[2:]:
    module = importlib.import_module(name)
    assert os.path.realpath(module.__file__).startswith(site + os.sep), (name, module.__file__)
from helpers.notebook import setup
rng = setup(42)  # imports TensorFlow quietly, seeds Keras, op determinism
import tensorflow as tf
print(os.path.realpath(tf.__file__), tf.__version__, rng.integers(1000))
"""


def test_installed_helpers_work_beside_tensorflow(colab):
    if not PRESENT:
        pytest.skip("no notebook exists yet")
    if probe(colab)["helpers"] is None:  # this test alone was selected: install first
        run_colab_block(colab, PRESENT[0])
    modules = ["helpers"] + [
        f"helpers.{p.stem}" for p in sorted((colab.repo / "helpers").glob("*.py"))
        if p.stem != "__init__"
    ]  # fmt: skip
    script = colab.tmp / "use_helpers.py"
    script.write_text(USE, encoding="utf-8")
    out = run([colab.python, str(script), str(colab.site), *modules], colab.environ, colab.cwd)
    tf_file, tf_version, _ = out.split()[-3:]
    assert tf_version == colab.before["dists"]["tensorflow"]["version"]
    assert tf_file == colab.before["dists"]["tensorflow"]["origin"]
