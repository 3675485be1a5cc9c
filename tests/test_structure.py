"""The notebook contract (COURSE_GUIDE.md) and the committed outputs, checked on every notebook."""

from __future__ import annotations

import ast
import getpass
import re
import socket
from pathlib import Path

import nbformat
import pytest

from tools import stamp
from tools.course import NOTEBOOK_DIR, NOTEBOOKS, ROOT, colab_badge, helpers_source, repository

PRESENT = [nb for nb in NOTEBOOKS if nb.path.exists()]
MAX_BYTES = 1_500_000
TF_STARTUP = ("cudart_stub", "oneDNN custom operations", "absl::InitializeLog", "cuInit")


def load(nb):
    return nbformat.read(nb.path, as_version=4)


def markdown_text(book) -> str:
    return "\n".join(c.source for c in book.cells if c.cell_type == "markdown")


def code_cells(book):
    return [c for c in book.cells if c.cell_type == "code"]


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


def test_notebook_files_are_the_course_names_in_order():
    names = sorted(p.stem for p in NOTEBOOK_DIR.glob("*.ipynb"))
    expected = [nb.name for nb in NOTEBOOKS]
    assert set(names) <= set(expected), f"unexpected notebooks: {set(names) - set(expected)}"
    assert names == [n for n in expected if n in names]
    assert "01_introduction" in names
    assert not list(NOTEBOOK_DIR.glob("*.py")), "commit notebooks as .ipynb only"


@pytest.fixture(params=PRESENT, ids=[nb.name for nb in PRESENT])
def nb(request):
    return request.param


def test_title_cell(nb):
    book = load(nb)
    first = book.cells[0]
    assert first.cell_type == "markdown"
    lines = first.source.splitlines()
    assert lines[0] == f"# {nb.number}. {nb.title}"
    prose = [ln for ln in lines[1:] if ln.strip() and not ln.startswith(("[![", "←", "["))]
    assert len(" ".join(prose).split(". ")) >= 2, "two or three sentences on what the learner gains"
    assert colab_badge(nb) in first.source, "the badge must point at this notebook's own file"
    assert stamp.nav_line(nb) in first.source


def test_parameters_cell_holds_literals_only(nb):
    book = load(nb)
    params = book.cells[1]
    assert params.cell_type == "code" and "parameters" in params.metadata.get("tags", [])
    tree = ast.parse(params.source)
    names = []
    for stmt in tree.body:
        assert isinstance(stmt, ast.Assign) and len(stmt.targets) == 1, ast.unparse(stmt)
        assert isinstance(stmt.targets[0], ast.Name)
        ast.literal_eval(stmt.value)  # raises on anything but a literal
        names.append(stmt.targets[0].id)
    assert "SEED" in names
    assert all(n.isupper() for n in names)


def test_setup_cell(nb):
    book = load(nb)
    setup = book.cells[2]
    assert setup.cell_type == "code"
    src = setup.source
    assert "import google.colab" in src and f'HELPERS = "{helpers_source()}"' in src
    assert "from helpers.notebook import setup" in src and "setup(SEED" in src
    # TensorFlow must not be imported before setup() has silenced it
    before = "\n".join(c.source for c in book.cells[:3])
    assert not re.search(r"^\s*(import|from) (tensorflow|keras)\b", before, re.M)
    params = ast.parse(book.cells[1].source).body
    for stmt in params:
        name = stmt.targets[0].id
        if name != "SEED":
            assert re.search(rf"check_\w+\(\s*\"{name}\"", src), f"{name} is not checked"


def test_contract_order_and_solutions(nb):
    book = load(nb)
    text = markdown_text(book)
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert "Summary" in headings and "Exercises" in headings
    assert headings.index("Summary") < headings.index("Exercises")
    solutions = [c for c in book.cells if "solution" in c.metadata.get("tags", [])]
    assert solutions, "exercises need worked solutions"
    for cell in solutions:
        assert cell.cell_type == "code"
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
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
    text = markdown_text(load(nb))
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if re.match(r"[a-z]+://", target):
            continue
        assert (NOTEBOOK_DIR / target).exists(), f"broken link {target}"


def test_code_follows_the_course_rules(nb):
    code = "\n".join(c.source for c in code_cells(load(nb)))
    assert "print(model.summary())" not in code and "print(m.summary())" not in code
    assert "input_shape=" not in code
    assert "sys.path" not in code, "helpers is installed, never imported through sys.path"
    assert not re.search(r"https?://(?!github\.com/)", code), "no download at run time"


def test_committed_outputs(nb):
    book = load(nb)
    counts = [c.execution_count for c in code_cells(book) if c.source.strip()]
    assert counts == list(range(1, len(counts) + 1)), "execute top to bottom: make outputs"
    for cell in code_cells(book):
        for out in cell.outputs:
            assert out.output_type != "error", f"error output: {out.get('ename')}"
    images = sum("image/png" in out.get("data", {}) for c in code_cells(book) for out in c.outputs)
    assert images >= 1, "figures are part of the lesson"
    assert nb.path.stat().st_size <= MAX_BYTES


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


def test_every_colab_and_github_link_uses_the_one_slug():
    slug = repository()
    assert re.fullmatch(r"[\w.-]+/[\w.-]+", slug)
    texts = {"README.md": (ROOT / "README.md").read_text()}
    for nb in PRESENT:
        texts[nb.filename] = nb.path.read_text()
    for name, text in texts.items():
        for url in re.findall(r"colab\.research\.google\.com/github/([^)\s\"]+)", text):
            assert url.startswith(f"{slug}/blob/"), f"{name}: {url}"
        for other in re.findall(r"github\.com/([\w.-]+/[\w.-]+?)(?:\.git|@|/|\)|\")", text):
            assert other == slug, f"{name} links to {other}, not {slug}"
    for nb in NOTEBOOKS:
        assert colab_badge(nb) in texts["README.md"], f"README badge for {nb.name}"
        assert f"](notebooks/{nb.filename})" in texts["README.md"]
    assert texts["README.md"].count("colab.research.google.com/github/") == len(NOTEBOOKS)


def test_slug_is_written_once():
    slug = repository()
    hits = []
    for path in [
        *ROOT.glob("*.*"),
        *ROOT.glob("helpers/*.py"),
        *ROOT.glob("tools/*.py"),
        *ROOT.glob("tests/*.py"),
        ROOT / "Makefile",
    ]:
        if path.is_file() and path.name != "README.md" and slug in path.read_text():
            hits.append(path.name)
    assert hits == ["pyproject.toml"], hits
