"""Write the Colab badges, navigation lines, Colab install line and README table from one slug.

The slug lives in pyproject.toml (``[tool.rnn-course] repository``). Run after changing it, or after
adding a notebook:

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

from tools.course import NOTEBOOKS, ROOT, Notebook, colab_badge, helpers_source

BADGE_LINE = re.compile(r"^\[!\[Open In Colab\]\(.*$")
NAV_MARK = "[Contents](../README.md)"
HELPERS_LINE = re.compile(r'^(\s*HELPERS = )"[^"]*"(.*)$')
README_START = "<!-- notebooks:start -->"
README_END = "<!-- notebooks:end -->"


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


def stamp_readme(text: str) -> str:
    start, end = text.index(README_START), text.index(README_END)
    return text[: start + len(README_START)] + "\n" + readme_table() + "\n" + text[end:]


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
