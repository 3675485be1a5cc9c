"""Write the lines that repeat a fact kept elsewhere: badges, navigation, the helpers' pinned
install line, notebook 01's course map and the README's tables.

The slug, branch and version live in pyproject.toml, the table of contents in tools/course.py,
each parameter's default, meaning and range in its notebook's parameters and setup cells.

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
from tools.course import NOTEBOOKS, ROOT, Notebook, badges, helpers_source

BADGE_LINE = re.compile(r"^\[!\[Open In (Colab|Kaggle)\]\(.*$")
NAV_MARK = "[Contents](../README.md)"
HELPERS_LINE = re.compile(r'^(\s*HELPERS = )"[^"]*"(.*)$')
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


def _replace_between(text: str, name: str, body: str) -> str:
    """Replace what stands between ``<!-- name:start -->`` and ``<!-- name:end -->``."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    i, j = text.index(start), text.index(end)
    return text[: i + len(start)] + "\n" + body + "\n" + text[j:]


def _without_trailing_blank(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def course_map() -> str:
    """Notebook 01's map of the course: one row per notebook, linked relative to notebooks/."""
    rows = ["| Notebook | What you will do |", "| --- | --- |"]
    for nb in NOTEBOOKS:
        rows.append(f"| [{nb.number}. {nb.title}]({nb.filename}) | {nb.summary} |")
    return "\n".join(rows)


def stamp_notebook(nb: Notebook, data: dict) -> dict:
    """Return the notebook JSON with its stamped lines up to date."""
    markdown = [c for c in data["cells"] if c["cell_type"] == "markdown"]
    first, last = markdown[0], markdown[-1]
    lines = [ln for ln in first["source"].split("\n") if not BADGE_LINE.match(ln)]
    lines = _without_trailing_blank([ln for ln in lines if NAV_MARK not in ln])
    first["source"] = "\n".join([*lines, "", badges(nb), "", nav_line(nb)])
    if last is not first:
        lines = [ln for ln in last["source"].split("\n") if NAV_MARK not in ln]
        lines = _without_trailing_blank(lines)
        last["source"] = "\n".join([*lines, "", nav_line(nb)])
    for cell in data["cells"]:
        if cell["cell_type"] == "markdown" and "<!-- course-map:start -->" in cell["source"]:
            cell["source"] = _replace_between(cell["source"], "course-map", course_map())
        elif cell["cell_type"] == "code":
            lines = cell["source"].split("\n")
            cell["source"] = "\n".join(
                HELPERS_LINE.sub(rf'\1"{helpers_source()}"\2', ln) for ln in lines
            )
    return data


def readme_table() -> str:
    rows = ["| # | Notebook | What you will do | Open |", "| --- | --- | --- | --- |"]
    for nb in NOTEBOOKS:
        beyond = " *(beyond the source)*" if nb.beyond_source else ""
        rows.append(
            f"| {nb.number} | [{nb.title}](notebooks/{nb.filename}){beyond} | {nb.summary} | "
            f"{badges(nb)} |"
        )
    return "\n".join(rows)


def notebook_parameters(book) -> list[tuple[str, str, str, str]]:
    """``(name, default, accepted range, comment)`` for each parameter of a notebook.

    Defaults and comments come from the ``parameters`` cell, ranges from the ``check_*`` calls of
    the setup cell after it; both are read as literals, nothing is executed.
    """
    cells = book.cells
    i = next(k for k, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
    ranges = {"SEED": f"integer in [0, {MAX_SEED}]"}  # checked inside setup()
    for node in ast.walk(ast.parse(cells[i + 1].source)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in CHECKS):
            continue
        name, kind = ast.literal_eval(node.args[0]), CHECKS[node.func.id]
        bounds = [ast.literal_eval(a) for a in node.args[2:4]]  # literals only: raises otherwise
        flags = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
        if kind == "path":
            ranges[name] = "None or a file path"
        elif len(bounds) == 2:
            left = "[" if flags.get("low_inclusive", True) else "("
            right = "]" if flags.get("high_inclusive", True) else ")"
            ranges[name] = f"{kind} in {left}{bounds[0]}, {bounds[1]}{right}"
        else:
            ranges[name] = f"{kind} >= {bounds[0]}" if bounds else kind
    rows = []
    for stmt in ast.parse(cells[i].source).body:
        name = stmt.targets[0].id
        line = cells[i].source.splitlines()[stmt.lineno - 1]
        comment = line.split("#", 1)[1].strip() if "#" in line else ""
        rows.append((name, ast.unparse(stmt.value), ranges.get(name, "-"), comment))
    return rows


def parameters_table() -> str:
    rows = [
        "| Notebook | Parameter | Default | Accepted | Meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for nb in NOTEBOOKS:
        for name, default, accepted, comment in notebook_parameters(nbformat.read(nb.path, 4)):
            rows.append(f"| {nb.number} | `{name}` | `{default}` | {accepted} | {comment} |")
    return "\n".join(rows)


def stamp_readme(text: str) -> str:
    text = _replace_between(text, "notebooks", readme_table())
    return _replace_between(text, "parameters", parameters_table())


def dump(data: dict) -> str:
    return nbformat.writes(data) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, do not write")
    args = parser.parse_args(argv)
    targets: list[tuple[Path, str]] = []
    for nb in NOTEBOOKS:
        data = nbformat.read(nb.path, as_version=4)
        old, new = dump(data), dump(stamp_notebook(nb, copy.deepcopy(data)))
        if new != old:
            targets.append((nb.path, new))
    readme = ROOT / "README.md"
    old = readme.read_text(encoding="utf-8")
    if (new := stamp_readme(old)) != old:
        targets.append((readme, new))
    for path, new in targets:
        if not args.check:
            path.write_text(new, encoding="utf-8")
        print(f"{'out of date' if args.check else 'stamped'}: {path.relative_to(ROOT)}")
    return 1 if (args.check and targets) else 0


if __name__ == "__main__":
    sys.exit(main())
