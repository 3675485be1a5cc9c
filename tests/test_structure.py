"""The notebook contract (CONTRIBUTING.md) and the committed outputs, checked on every notebook.

These tests read files only: no kernel starts, nothing trains (tier `make check`).
"""

from __future__ import annotations

import ast
import getpass
import re
import socket
from pathlib import Path

import nbformat
import pytest

from tools import stamp
from tools.course import (
    NOTEBOOK_DIR,
    NOTEBOOKS,
    ROOT,
    badges,
    helpers_commit,
    helpers_source,
    parameter_specs,
    pinned_ref,
    repository,
)

MAX_BYTES = 1_500_000
TF_STARTUP = ("cudart_stub", "oneDNN custom operations", "absl::InitializeLog", "cuInit")
ANSI = re.compile(r"\x1b\[")
SETUP_BLOCK_LINES = 17  # the identical head of every setup cell: making helpers importable
KERAS_DEFAULT_NAME = re.compile(
    r"\b(sequential|functional|lstm|gru|simple_rnn|dense|dropout|embedding|bidirectional"
    r"|time_distributed|repeat_vector|attention|additive_attention|multi_head_attention"
    r"|layer_normalization|conv1d|input_layer)_\d+\b"
)


def load(nb):
    return nbformat.read(nb.path, as_version=4)


def markdown_text(book) -> str:
    return "\n".join(c.source for c in book.cells if c.cell_type == "markdown")


def code_cells(book):
    return [c for c in book.cells if c.cell_type == "code"]


def tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def output_texts(cell):
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            yield out.text
        elif out.output_type in ("execute_result", "display_data"):
            for mime, value in out.get("data", {}).items():
                if mime.startswith("text/"):
                    yield value if isinstance(value, str) else "".join(value)
        elif out.output_type == "error":
            yield "\n".join(out.get("traceback", []))


def test_notebook_files_are_exactly_the_course():
    """A missing, renamed or extra notebook fails; notebooks are committed as .ipynb only."""
    found = sorted(p.name for p in NOTEBOOK_DIR.iterdir() if not p.name.startswith("."))
    assert found == sorted(nb.filename for nb in NOTEBOOKS)
    assert [nb.number for nb in NOTEBOOKS] == list(range(1, len(NOTEBOOKS) + 1))


@pytest.fixture(params=NOTEBOOKS, ids=[nb.name for nb in NOTEBOOKS])
def nb(request):
    return request.param


def test_title_cell(nb):
    first = load(nb).cells[0]
    assert first.cell_type == "markdown"
    lines = first.source.splitlines()
    assert lines[0] == f"# {nb.number}. {nb.title}"
    prose = [ln for ln in lines[1:] if ln.strip() and not ln.startswith(("[![", "←", "["))]
    assert len(" ".join(prose).split(". ")) >= 2, "two or three sentences on what the learner gains"
    assert badges(nb) in first.source, "the badges must point at this notebook's own file"
    assert stamp.nav_line(nb) in first.source


def test_parameters_cell_holds_literals_only(nb):
    params = load(nb).cells[1]
    assert params.cell_type == "code" and "parameters" in tags(params)
    names = []
    for stmt in ast.parse(params.source).body:
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1, ast.unparse(stmt)
        assert isinstance(stmt.targets[0], ast.Name)
        ast.literal_eval(stmt.value)  # raises on anything but a literal
        names.append(stmt.targets[0].id)
    assert "SEED" in names and all(n.isupper() for n in names)
    assert all("#" in line for line in params.source.splitlines() if line.strip()), (
        "every parameter has a comment: the README's table shows it"
    )


def test_test_parameters_are_measured_range_ends(nb):
    """`make test` runs a notebook with its test parameters: each is a parameter of the notebook
    set to an end of the range its setup cell accepts, where `make claims` runs it too."""
    specs = {p.name: p for p in parameter_specs(load(nb))}
    for name, value in nb.test_parameters.items():
        assert name in specs, f"{nb.name}: {name} is not a parameter"
        spec = specs[name]
        assert value in (spec.low, spec.high) and value != spec.default, (
            f"{nb.name}: {name}={value!r} is not an end of [{spec.low}, {spec.high}]"
        )


def setup_sources() -> dict[str, str]:
    return {nb.name: load(nb).cells[2].source for nb in NOTEBOOKS}


def test_setup_cells_share_one_head():
    heads = {
        name: "\n".join(src.splitlines()[:SETUP_BLOCK_LINES])
        for name, src in setup_sources().items()
    }
    first = next(iter(heads.values()))
    assert all(head == first for head in heads.values()), "copy the head from notebook 01"
    assert f'HELPERS = "{helpers_source(pinned_ref())}"' in first
    assert "@main" not in first, "helpers are installed from a pinned commit"


def test_pinned_helpers_resolve_to_the_helpers_of_head():
    """The commit the setup cells install helpers from exists in this clone (a plain git clone
    of main has it), its helpers/ is HEAD's file for file, and it last changed helpers/."""
    import subprocess

    pin = pinned_ref()
    assert re.fullmatch(r"[0-9a-f]{40}", pin), f"the pin must be a full commit id, got {pin!r}"
    git = ["git", "-C", str(ROOT)]
    exists = subprocess.run([*git, "cat-file", "-e", f"{pin}^{{commit}}"], capture_output=True)
    assert exists.returncode == 0, f"the pinned commit {pin} is not in this repository"
    trees = [
        subprocess.run([*git, "rev-parse", f"{ref}:helpers"], capture_output=True, text=True,
                       check=True).stdout.strip()
        for ref in (pin, "HEAD")
    ]  # fmt: skip
    assert trees[0] == trees[1], (
        f"helpers/ at the pin {pin[:12]} differs from HEAD's: run the stamp"
    )
    assert pin == helpers_commit(), "the pin is not the last commit that changed helpers/"


def test_setup_cell(nb):
    book = load(nb)
    src = book.cells[2].source
    tree = ast.parse(src)
    assert "from helpers.notebook import describe_runtime, setup" in src
    assert re.search(r"^rng = setup\(SEED[,)]", src, re.M)
    assert src.rstrip().endswith("print(describe_runtime())")
    # TensorFlow must not be imported before setup() has silenced it
    before = "\n".join(c.source for c in book.cells[:3])
    assert not re.search(r"^\s*(import|from) (tensorflow|keras)\b", before, re.M)
    checked = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("check_"):
            name = ast.literal_eval(node.args[0])
            checked[name] = [ast.literal_eval(a) for a in node.args[2:]]  # literal bounds only
    for stmt in ast.parse(book.cells[1].source).body:
        if stmt.targets[0].id != "SEED":
            assert stmt.targets[0].id in checked, f"{stmt.targets[0].id} is not checked"


def test_contract_order_and_solutions(nb):
    book = load(nb)
    headings = re.findall(r"^## (.+)$", markdown_text(book), re.M)
    for name in ("Summary", "Exercises", "Further reading"):
        assert name in headings, f"missing ## {name}"
    assert (
        headings.index("Summary") < headings.index("Exercises") < headings.index("Further reading")
    )
    solutions = [c for c in book.cells if "solution" in tags(c)]
    assert solutions, "exercises need worked solutions"
    for cell in solutions:
        assert cell.cell_type == "code"
        jupyter = cell.metadata.get("jupyter", {})
        assert jupyter.get("source_hidden") is True and jupyter.get("outputs_hidden") is True
        assert cell.metadata.get("cellView") == "form", "Colab hides a form cell's code"
        assert cell.source.startswith("#@title "), "Colab shows a form cell's title"
        assert not cell.outputs, "a solution's output would show the answer: make outputs"
        assert "nbval-check-output" not in tags(cell)
    last_md = [c for c in book.cells if c.cell_type == "markdown"][-1]
    assert stamp.nav_line(nb) in last_md.source


def test_markdown_hygiene(nb):
    text = markdown_text(load(nb))
    badge = r"(?!colab\.research\.google\.com/assets/colab-badge\.svg)"
    assert not re.search(rf"!\[[^\]]*\]\(https?://{badge}", text), "hot-linked image"
    assert not re.search(r"<img[^>]+src=[\"']https?://", text), "hot-linked image"
    assert not re.search(r"^\s*\$\s*$", text, re.M), "display math must use $$ blocks"
    assert text.count("$$") % 2 == 0


def test_relative_links_resolve(nb):
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", markdown_text(load(nb))):
        if not re.match(r"[a-z]+://", target):
            assert (NOTEBOOK_DIR / target).exists(), f"broken link {target}"


def test_code_follows_the_course_rules(nb):
    book = load(nb)
    for i, cell in enumerate(code_cells(book)):
        src = cell.source
        assert not re.search(r"NBVAL_\w+", src), "use the cell tag nbval-check-output"
        assert "input_shape=" not in src
        assert not re.search(r"https?://(?!github\.com/)", src), "no download at run time"
        if i != 1:  # the setup cell alone may put a checkout of the course on sys.path
            assert "sys.path" not in src, "helpers is imported as a package"
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                for arg in node.args:
                    called = getattr(getattr(arg, "func", None), "attr", None)
                    assert called != "summary", "call model.summary(), do not print it"


def test_committed_outputs(nb):
    book = load(nb)
    counts = [c.execution_count for c in code_cells(book) if c.source.strip()]
    assert counts == list(range(1, len(counts) + 1)), "execute top to bottom: make outputs"
    images = 0
    for cell in code_cells(book):
        for out in cell.outputs:
            assert out.output_type != "error", f"error output: {out.get('ename')}"
            if "image/png" in out.get("data", {}):
                images += 1
                alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
                assert len(alt) >= 10, f"a figure without alt text: {cell.source[:80]!r}"
        for text in output_texts(cell):
            assert not ANSI.search(text), "terminal escape codes in an output"
            if "Layer (type)" in text or "Model:" in text:
                assert not KERAS_DEFAULT_NAME.search(text), "name the models and layers"
    assert images >= 1, "figures are part of the lesson"
    assert nb.path.stat().st_size <= MAX_BYTES


def test_checked_outputs_are_machine_independent(nb):
    """Cells whose output nbval compares print no rounding-level number (e.g. 2.2e-16)."""
    for cell in code_cells(load(nb)):
        if "nbval-check-output" in tags(cell):
            for text in output_texts(cell):
                tiny = re.findall(r"\d(?:\.\d+)?e-(?:0?9|[1-9]\d)\b", text)
                assert not tiny, f"checked output holds rounding-level numbers {tiny}"
                assert not re.search(r"\d+\.\d+ ?(s|seconds)\b", text), "timings vary"


def test_outputs_hold_nothing_private_or_noisy(nb):
    """No absolute paths, user or host names, tracebacks or TensorFlow start-up lines."""
    book = load(nb)
    forbidden = [str(ROOT), str(Path.home()), "/tmp/", "site-packages", "Traceback (most recent"]
    forbidden += [f"/home/{getpass.getuser()}", f"{getpass.getuser()}@"]
    host = socket.gethostname()
    for cell in code_cells(book):
        for text in output_texts(cell):
            for needle in [*forbidden, *TF_STARTUP]:
                assert needle not in text, f"output holds {needle!r}"
            if len(host) >= 4:
                assert host not in text, "output holds the host name"
    meta = str(book.metadata)
    assert "papermill" not in meta and str(ROOT) not in meta


def test_stamped_lines_are_up_to_date():
    assert stamp.main(["--check"]) == 0, "run: python -m tools.stamp (or make outputs)"


def test_every_colab_kaggle_and_github_link_uses_the_one_slug():
    slug = repository()
    assert re.fullmatch(r"[\w.-]+/[\w.-]+", slug)
    texts = {"README.md": (ROOT / "README.md").read_text()}
    for nb in NOTEBOOKS:
        texts[nb.filename] = nb.path.read_text()
    for name, text in texts.items():
        for other in re.findall(r"github\.com/([\w.-]+/[\w.-]+?)(?:\.git|@|/|\)|\")", text):
            assert other == slug, f"{name} links to {other}, not {slug}"
    readme = texts["README.md"]
    for nb in NOTEBOOKS:
        assert badges(nb) in readme, f"README badges for {nb.name}"
        assert f"](notebooks/{nb.filename})" in readme
    assert readme.count("colab.research.google.com/github/") == len(NOTEBOOKS)
    assert readme.count("kaggle.com/kernels/welcome?src=") == len(NOTEBOOKS)


def test_slug_is_written_once():
    slug = repository()
    hits = []
    for path in [
        *ROOT.glob("*.*"),
        *ROOT.glob("helpers/*.py"),
        *ROOT.glob("tools/*.py"),
        *ROOT.glob("tests/*.py"),
        *ROOT.glob("site/*.*"),
        ROOT / "Makefile",
    ]:
        if path.is_file() and path.name != "README.md" and slug in path.read_text():
            hits.append(path.name)
    assert hits == ["pyproject.toml"], hits


def test_readme_parameter_table_reads_literals_without_running_code(monkeypatch):
    """The table is built from the cells' text: executing anything would raise here."""
    monkeypatch.setattr("builtins.exec", lambda *a, **k: pytest.fail("exec called"))
    monkeypatch.setattr("builtins.eval", lambda *a, **k: pytest.fail("eval called"))
    table = stamp.parameters_table()
    for nb in NOTEBOOKS:
        assert f"| {nb.number} | `SEED` |" in table
