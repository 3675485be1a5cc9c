"""Bad parameters stop in the setup cell with a clear message; kernels are offline; a notebook is
reproducible from its seed.

The parameter checks run in-process against every notebook's setup cell (tier `make check`); one
end-to-end run shows the message reaching the learner through papermill and `make run`'s runner.
(nbval executes every notebook with its defaults and compares the checked cells: see the pytest
settings in pyproject.toml, which collect notebooks/ too.)
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import nbformat
import papermill as pm
import pytest

from tools.course import NOTEBOOKS, ROOT


def cells(nb) -> tuple[str, str]:
    book = nbformat.read(nb.path, as_version=4)
    i = next(k for k, c in enumerate(book.cells) if "parameters" in c.metadata.get("tags", []))
    return book.cells[i].source, book.cells[i + 1].source


def bad_values(nb) -> list[tuple[str, object]]:
    """For each parameter a value outside the range its check states, and a wrong type."""
    params, setup = cells(nb)
    bounds = {}
    for node in ast.walk(ast.parse(setup)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("check_"):
            bounds[ast.literal_eval(node.args[0])] = (
                node.func.id,
                [ast.literal_eval(a) for a in node.args[2:4]],
            )
    cases = [("SEED", -1), ("SEED", "forty-two")]
    for name, (check, limits) in bounds.items():
        if check == "check_optional_path":
            cases.append((name, 42))
        else:
            cases += [(name, limits[0] - 1), (name, limits[1] * 10 + 1), (name, "ten")]
    return cases


CASES = [
    pytest.param(nb, name, value, id=f"{nb.name}-{name}={value!r}")
    for nb in NOTEBOOKS
    for name, value in bad_values(nb)
]


@pytest.mark.parametrize(("nb", "name", "value"), CASES)
def test_bad_parameter_stops_in_setup_cell(nb, name, value):
    params, setup = cells(nb)
    namespace: dict = {}
    exec(compile(params, "parameters", "exec"), namespace)
    namespace[name] = value  # what papermill's injected-parameters cell does
    with pytest.raises(ValueError) as info:
        exec(compile(setup, "setup", "exec"), namespace)
    message = str(info.value)
    assert message.startswith(f"{name} must be"), message
    assert "in [" in message or "in (" in message or "file path" in message, message
    assert repr(value) in message, "the message shows the value given"


@pytest.mark.notebook
def test_bad_parameter_reaches_the_learner(tmp_path):
    """End to end: papermill stops in the setup cell, and the runner names notebook and cell."""
    proc = subprocess.run(
        [sys.executable, "-m", "tools.run_notebooks", "--only", "01", "-p", "SEED", "abc",
         "--out-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 1
    assert "01_introduction" in proc.stdout and "FAILED" in proc.stdout
    assert "SEED must be an integer in [0, 4294967295], got 'abc'" in proc.stdout
    # cells: parameters [1], injected parameters [2], setup [3]
    assert "error: 01_introduction.ipynb failed, cell [3]: ValueError: SEED must" in proc.stderr
    executed = nbformat.read(tmp_path / "01_introduction.ipynb", as_version=4)
    errors = [
        c for c in executed.cells if any(o.output_type == "error" for o in c.get("outputs", []))
    ]
    assert len(errors) == 1 and errors[0].execution_count == 3


@pytest.mark.notebook
def test_kernels_are_offline(tmp_path):
    """A kernel started by the tests cannot open a connection outside this machine."""
    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    book.cells = [
        nbformat.v4.new_code_cell(
            "import socket\n"
            "try:\n"
            "    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"  # TEST-NET-1, never sent
            "    result = 'connected'\n"
            "except OSError as e:\n"
            "    result = str(e)\n"
            "print(result)"
        )
    ]
    src = tmp_path / "probe.ipynb"
    nbformat.write(book, src)
    out = pm.execute_notebook(
        str(src), str(tmp_path / "out.ipynb"), kernel_name="python3", progress_bar=False
    )
    assert "network access is cut in the course's tests" in out.cells[0].outputs[0]["text"]


TIMING = re.compile(r"\d+(\.\d+)?\s?(s|ms|seconds)\b")


def text_outputs(path) -> list[str]:
    """Each cell's text outputs joined (streams arrive in chunks that vary), timings blanked."""
    texts = []
    for cell in nbformat.read(path, as_version=4).cells:
        joined = ""
        for out in cell.get("outputs", []):
            text = out.get("text") or out.get("data", {}).get("text/plain", "")
            joined += text if isinstance(text, str) else "".join(text)
        texts.append(TIMING.sub("<time>", joined))
    return texts


@pytest.mark.notebook
def test_a_seed_gives_the_same_results_run_after_run(tmp_path):
    """Notebook 02 trains a NumPy RNN and a Keras SimpleRNN: twice with SEED 1, the same text."""
    nb02 = next(nb for nb in NOTEBOOKS if nb.name == "02_rnn_basics")
    runs = []
    for run in ("a", "b"):
        out = tmp_path / f"{run}.ipynb"
        pm.execute_notebook(
            str(nb02.path), str(out), parameters={"SEED": 1}, kernel_name="python3",
            cwd=str(nb02.path.parent), progress_bar=False, execution_timeout=600,
        )  # fmt: skip
        runs.append(text_outputs(out))
    assert runs[0] == runs[1], "the same SEED must print the same results"
