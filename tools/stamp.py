"""Write the Colab badges, navigation lines, Colab install line and README table from one slug.

The slug lives in pyproject.toml (``[tool.rnn-course] repository``). Run after changing it, or after
adding a notebook:

    python -m tools.stamp           # rewrite in place
    python -m tools.stamp --check   # exit 1 and list what is out of date (used by the tests)

Only the stamped lines change; notebook outputs and everything else are left as they are.
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
from pathlib import Path

import nbformat

from helpers.checks import MAX_SEED
from tools.course import NOTEBOOKS, ROOT, Notebook, colab_badge, helpers_source

BADGE_LINE = re.compile(r"^\[!\[Open In Colab\]\(.*$")
NAV_MARK = "[Contents](../README.md)"
HELPERS_LINE = re.compile(r'^(\s*HELPERS = )"[^"]*"(.*)$')
README_START = "<!-- notebooks:start -->"
README_END = "<!-- notebooks:end -->"
PARAMS_START = "<!-- parameters:start -->"
PARAMS_END = "<!-- parameters:end -->"
CHECKS = {"check_int": "integer", "check_float": "number", "check_optional_path": "path"}


def nav_line(nb: Notebook) -> str:
    i = NOTEBOOKS.index(nb)
    parts = []
    if i > 0:
        prev = NOTEBOOKS[i - 1]
        parts.append(f"← [{prev.number}. {prev.title}]({prev.filename})")
    parts.append(NAV_MARK)
    if i + 1 < len(NOTEBOOKS):
        nxt = NOTEBOOKS[i + 1]
        parts.append(f"[{nxt.number}. {nxt.title}]({nxt.filename}) →")
    return " · ".join(parts)


def _lines(cell: dict) -> list[str]:
    return cell["source"].split("\n")


def _set(cell: dict, lines: list[str]) -> None:
    cell["source"] = "\n".join(lines)


def _strip_trailing_blank(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def stamp_notebook(nb: Notebook, data: dict) -> dict:
    """Return the notebook JSON with its stamped lines up to date."""
    cells = data["cells"]
    markdown = [c for c in cells if c["cell_type"] == "markdown"]
    if not markdown:
        raise SystemExit(f"{nb.filename}: no markdown cell to stamp")
    first, last = markdown[0], markdown[-1]
    lines = [ln for ln in _lines(first) if not BADGE_LINE.match(ln) and NAV_MARK not in ln]
    _set(first, _strip_trailing_blank(lines) + ["", colab_badge(nb), "", nav_line(nb)])
    if last is not first:
        lines = [ln for ln in _lines(last) if NAV_MARK not in ln]
        _set(last, _strip_trailing_blank(lines) + ["", nav_line(nb)])
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        lines = _lines(cell)
        new = [HELPERS_LINE.sub(rf'\1"{helpers_source()}"\2', ln) for ln in lines]
        if new != lines:
            _set(cell, new)
    return data


def readme_table() -> str:
    rows = ["| # | Notebook | What you will do | Colab |", "| --- | --- | --- | --- |"]
    for nb in NOTEBOOKS:
        rows.append(
            f"| {nb.number} | [{nb.title}](notebooks/{nb.filename}) | {nb.summary} | "
            f"{colab_badge(nb)} |"
        )
    return "\n".join(rows)


def notebook_parameters(book) -> list[tuple[str, str, str, str]]:
    """``(name, default, accepted range, comment)`` for each parameter of a notebook.

    Defaults and comments come from the ``parameters`` cell, ranges from the ``check_*`` calls of
    the setup cell, so the README table cannot drift from the notebooks.
    """
    cells = book.cells
    i = next(k for k, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
    namespace = _setup_constants(cells[i].source, cells[i + 1].source)

    def bound(node: ast.expr) -> str:
        try:  # a bound such as `N_TEST // 3` is shown as its value
            return repr(eval(compile(ast.Expression(node), "<bound>", "eval"), namespace))
        except Exception:  # noqa: BLE001 - anything not computable is shown as written
            return ast.unparse(node)

    ranges = {"SEED": f"integer in [0, {MAX_SEED}]"}  # checked inside setup()
    for node in ast.walk(ast.parse(cells[i + 1].source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in CHECKS
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            kind = CHECKS[node.func.id]
            bounds = [bound(a) for a in node.args[2:4]]
            if kind == "path":
                ranges[node.args[0].value] = "None or a file path"
            elif len(bounds) == 2:
                flags = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
                left = "[" if flags.get("low_inclusive", True) else "("
                right = "]" if flags.get("high_inclusive", True) else ")"
                ranges[node.args[0].value] = f"{kind} in {left}{bounds[0]}, {bounds[1]}{right}"
            elif bounds:
                ranges[node.args[0].value] = f"{kind} >= {bounds[0]}"
            else:
                ranges[node.args[0].value] = kind
    rows = []
    for line in cells[i].source.splitlines():
        m = re.match(r"^([A-Z_][A-Z0-9_]*)\s*=\s*(.+?)\s*(?:#\s*(.*))?$", line)
        if m:
            name, default, comment = m.group(1), m.group(2), m.group(3) or ""
            rows.append((name, default, ranges.get(name, "-"), comment))
    return rows


def _setup_constants(parameters_source: str, setup_source: str) -> dict:
    """The names the setup cell defines before its checks (e.g. ``N_TEST``), with defaults.

    Runs the parameters cell and the setup cell's imports and plain assignments, skipping the
    Colab block and every statement that calls ``setup`` or a check.
    """
    namespace: dict = {}
    exec(compile(parameters_source, "<parameters>", "exec"), namespace)
    for stmt in ast.parse(setup_source).body:
        calls = {
            n.func.id
            for n in ast.walk(stmt)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        if not isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Assign)):
            continue  # the Colab block, expressions
        if "setup" in calls or calls & CHECKS.keys():
            continue  # the checks and the seeding are what the table describes, not constants
        try:
            exec(compile(ast.Module([stmt], []), "<setup>", "exec"), namespace)
        except Exception:  # noqa: BLE001 - the README then shows the bound as written
            continue
    return namespace


def parameters_table() -> str:
    rows = [
        "| Notebook | Parameter | Default | Accepted | Meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for nb in NOTEBOOKS:
        if not nb.path.exists():
            rows.append(f"| {nb.number} | (not written yet) | | | |")
            continue
        for name, default, accepted, comment in notebook_parameters(nbformat.read(nb.path, 4)):
            rows.append(f"| {nb.number} | `{name}` | `{default}` | {accepted} | {comment} |")
    return "\n".join(rows)


def _replace_between(text: str, start_mark: str, end_mark: str, body: str) -> str:
    start, end = text.index(start_mark), text.index(end_mark)
    return text[: start + len(start_mark)] + "\n" + body + "\n" + text[end:]


def stamp_readme(text: str) -> str:
    text = _replace_between(text, README_START, README_END, readme_table())
    return _replace_between(text, PARAMS_START, PARAMS_END, parameters_table())


def dump(data: dict) -> str:
    return nbformat.writes(data) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, do not write")
    args = parser.parse_args(argv)
    stale: list[Path] = []
    targets: list[tuple[Path, str, str]] = []
    for nb in NOTEBOOKS:
        if nb.path.exists():
            data = nbformat.read(nb.path, as_version=4)
            old, new = dump(data), dump(stamp_notebook(nb, copy.deepcopy(data)))
            if new != old:
                targets.append((nb.path, old, new))
    readme = ROOT / "README.md"
    old = readme.read_text(encoding="utf-8")
    new = stamp_readme(old)
    if new != old:
        targets.append((readme, old, new))
    for path, _, new in targets:
        stale.append(path)
        if not args.check:
            path.write_text(new, encoding="utf-8")
    for path in stale:
        print(f"{'out of date' if args.check else 'stamped'}: {path.relative_to(ROOT)}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
