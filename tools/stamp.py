"""Write the lines that repeat a fact kept elsewhere: badges, navigation, the helpers' pinned
install line, notebook 01's course map and the README's tables.

The slug and branch live in pyproject.toml, the table of contents in tools/course.py, each
parameter's default, meaning and range in its notebook's parameters and setup cells; the helpers'
pin is the commit that last changed helpers/ (git log), so after committing a change to helpers,
stamp and commit the notebooks.

    python -m tools.stamp           # rewrite in place
    python -m tools.stamp --check   # exit 1 and list what is out of date (used by the tests)

Only the stamped lines change; notebook outputs and everything else are left as they are.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

from tools.course import (
    NOTEBOOKS,
    ROOT,
    Notebook,
    badges,
    helpers_commit,
    helpers_source,
    parameter_specs,
)

BADGE_LINE = re.compile(r"^\[!\[Open In (Colab|Kaggle)\]\(.*$")
NAV_MARK = "[Contents](../README.md)"
HELPERS_LINE = re.compile(r'^(\s*HELPERS = )"[^"]*"(.*)$')


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


def stamp_notebook(nb: Notebook, data: dict, pin: str) -> dict:
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
                HELPERS_LINE.sub(rf'\1"{helpers_source(pin)}"\2', ln) for ln in lines
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
    """``(name, default, accepted range, comment)`` for each parameter of a notebook, as text."""
    return [(p.name, p.default_text, p.accepted, p.comment) for p in parameter_specs(book)]


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
    pin = helpers_commit()
    for nb in NOTEBOOKS:
        data = nbformat.read(nb.path, as_version=4)
        old, new = dump(data), dump(stamp_notebook(nb, copy.deepcopy(data), pin))
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
