"""Build the course's website into build/site/ from the committed notebooks (``make site``).

    python site/build.py                 # the notebooks as they are in notebooks/
    python site/build.py --ref HEAD      # the notebooks as committed at a git revision
    python site/build.py --out DIR

Steps, all offline and without executing a cell:

1. Stage the sources in build/site-src/: README.md becomes the landing page (index.md) with the
   notebooks in a table of contents in the order of tools.course.NOTEBOOKS; each notebook is
   copied with its outputs and adapted for the web: the stamped badges (pictures served by Colab
   and Kaggle) become "launch" links, the stamped navigation lines give way to the site's own,
   links to files outside the site point to GitHub, solution cells are folded, and the Font
   Awesome stylesheet Matplotlib's animations link from a CDN is dropped (the theme ships the
   icons).
2. Copy MathJax 3 from the pinned django-static-mathjax package (no CDN).
3. Run Sphinx (MyST-NB, sphinx-book-theme; site/conf.py) into build/site/.
4. Check the result: a page per notebook, and no page that loads a script, stylesheet or picture
   from another host.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import subprocess
import sys
import time
from html import escape
from pathlib import Path

from course_site import (
    DOCTREE_DIR,
    NOTEBOOKS,
    OUT_DIR,
    ROOT,
    SITE_DIR,
    STAGE_DIR,
    Notebook,
    docname,
    github_blob,
    launch_links,
)

# A markdown link or image: [text](target) / ![alt](target). Targets without spaces or brackets.
LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)")
BADGE_LINE = re.compile(
    r"^\s*(\[!\[[^\]]*\]\(https?://[^)]+\)\]\([^)]+\)\s*)+(·\s*\[Open in \w+\]\([^)]+\)\s*)*$"
)
NAV_LINE = re.compile(r"^.*\[Contents\]\(\.\./README\.md\).*$")
# Matplotlib's to_jshtml() links Font Awesome 4 from a CDN for its buttons' icons.
CDN_STYLESHEET = re.compile(r"<link[^>]+href=\"https?://[^\"]*font-awesome[^\"]*\"[^>]*>\s*", re.I)
# Anything in the built HTML that would make a reader's browser fetch from another host.
REMOTE_RESOURCE = re.compile(
    r"<(?:script|img|link|iframe|source|video|audio)\b[^>]*?\b(?:src|href)=\"(?:https?:)?//[^\"]+\"",
    re.I,
)
MATHJAX_PARTS = [  # what the pages load, and what MathJax's menu loads on demand
    "tex-chtml-full.js",
    "output/chtml/fonts/woff-v2",
    "input/tex/extensions",
    "ui",
    "a11y",
    "sre",
]


def log(message: str) -> None:
    print(f"site: {message}", flush=True)


# --- reading the notebooks --------------------------------------------------------------------
def read_notebook(nb: Notebook, ref: str | None) -> dict | None:
    """The notebook's JSON from the working tree, or as committed at ``ref``; None if absent."""
    if ref is None:
        return json.loads(nb.path.read_text(encoding="utf-8")) if nb.path.exists() else None
    result = subprocess.run(
        ["git", "show", f"{ref}:notebooks/{nb.filename}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout) if result.returncode == 0 else None


def uncommitted(nb: Notebook) -> bool:
    result = subprocess.run(
        ["git", "status", "--porcelain", "--", f"notebooks/{nb.filename}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.returncode == 0 and bool(result.stdout.strip())


# --- adapting markdown -------------------------------------------------------------------------
def source_of(cell: dict) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def rewrite_links(text: str, here: str, staged: set[str]) -> str:
    """Point each relative link at a page of the site, or at the file on GitHub.

    ``here`` is the folder of the document in the repository ("" or "notebooks"); ``staged``
    holds the repository paths the site has as pages (README.md, notebooks/NN_name.ipynb).
    """

    def replace(match: re.Match) -> str:
        bang, label, target = match.groups()
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|#|//)", target, re.I):
            return match.group(0)  # absolute URL, anchor, mailto: as they are
        path, _, anchor = target.partition("#")
        repo_path = Path(here, path).as_posix()
        parts: list[str] = []
        for part in repo_path.split("/"):
            if part == "..":
                if parts:
                    parts.pop()
            elif part not in ("", "."):
                parts.append(part)
        repo_path = "/".join(parts)
        if repo_path in staged and not bang:
            if repo_path == "README.md":  # the landing page
                new = Path("index.md") if here == "" else Path("..", "index.md")
                target = new.as_posix() + (f"#{anchor}" if anchor else "")
            return f"{bang}[{label}]({target})"
        return f"{bang}[{label}]({github_blob(repo_path)}{'#' + anchor if anchor else ''})"

    return LINK.sub(replace, text)


def launch_html(nb: Notebook) -> str:
    links = " ".join(
        f'<a class="launch-link launch-{service.lower()}" href="{escape(url)}">'
        f"Open in {escape(service)}</a>"
        for service, url in launch_links(nb)
    )
    return f'<p class="launch-links">Run this notebook: {links}</p>\n'


def strip_stamped_lines(text: str) -> str:
    """Drop the stamped badge and navigation lines (the site has launch links and its own nav)."""
    kept = [
        line for line in text.split("\n") if not BADGE_LINE.match(line) and not NAV_LINE.match(line)
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip() + "\n"


def stage_notebook(nb: Notebook, notebook: dict, staged: set[str]) -> tuple[dict, dict]:
    """The notebook as the site shows it, and counts of what was changed."""
    notebook = copy.deepcopy(notebook)
    counts = {"figures": 0, "figures_without_alt": 0, "solutions": 0, "folded": 0}
    cells = []
    for index, cell in enumerate(notebook["cells"]):
        cell.setdefault("metadata", {})
        if cell["cell_type"] == "markdown":
            text = strip_stamped_lines(source_of(cell))
            cell["source"] = rewrite_links(text, "notebooks", staged)
            cells.append(cell)
            if index == 0:
                note = claims_note(nb)
                cells.append(
                    {
                        "cell_type": "markdown",
                        "id": "site-launch-links",
                        "metadata": {},
                        "source": launch_html(nb) + (note or ""),
                    }
                )
            continue
        if cell["cell_type"] != "code":
            cells.append(cell)
            continue
        metadata = cell["metadata"]
        tags = list(metadata.get("tags", []))
        hidden = metadata.get("jupyter", {})
        if "solution" in tags:
            counts["solutions"] += 1
            title = re.match(r"#@title\s+(Solution\s*\d*)", source_of(cell))
            label = title.group(1) if title else "the solution"
            metadata["mystnb"] = {
                "code_prompt_show": f"Show {label}",
                "code_prompt_hide": f"Hide {label}",
            }
            tags += ["hide-input"] + (["hide-output"] if cell.get("outputs") else [])
        else:
            if hidden.get("source_hidden"):
                tags.append("hide-input")
                counts["folded"] += 1
            if hidden.get("outputs_hidden") and cell.get("outputs"):
                tags.append("hide-output")
        metadata["tags"] = list(dict.fromkeys(tags))
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                html = source_of({"source": data["text/html"]})
                data["text/html"] = CDN_STYLESHEET.sub("", html)
            if "image/png" in data:
                counts["figures"] += 1
                if not output.get("metadata", {}).get("image/png", {}).get("alt"):
                    counts["figures_without_alt"] += 1
        cells.append(cell)
    notebook["cells"] = cells
    return notebook, counts


CLAIMS_INTRO = """\
Every comparison the notebooks' text makes ("the LSTM reaches under 10 % of the baseline's error",
"the GRU beats the seasonal naive forecast") is a named claim, checked by the cell that makes it:
if it does not hold, the notebook stops and says which claim failed, by how much, at which
settings, and what to try. Facts that cannot depend on luck (shapes, parameter counts, NumPy equal
to Keras) are plain assertions and are not listed here.

Each notebook was run with many values of `SEED` at its default settings (listed per notebook)
and, with the default seed, at both ends of every parameter's accepted range (an end that takes
more than twice the default's time is listed as not run). For each claim: in how many runs it
held, and its smallest margin, the distance from failing in the claim's own units (in standard
errors where it has one), with the run that gave it; and the spread of its margins over the
seeds: how many of their own standard deviations the mean margin lies from failing (a seed nobody
ran is one more draw from that spread; below 3 the claim is marked thin). A claim the notebook
makes only for some settings is counted where it is claimed and shown as "reported only"
elsewhere. Made with `make claims` ({machine}); the notebooks' own runs check the claims again on
every seed a reader chooses.

"""


def stage_claims(staged: set[str]) -> str | None:
    """The page "How often each claim holds" from results/claims.json (None if there is none)."""
    path = ROOT / "results" / "claims.json"
    if not path.exists():
        return None
    from tools.claims import markdown

    report = json.loads(path.read_text(encoding="utf-8"))
    sections = {s["notebook"]: s for s in report["notebooks"]}
    ordered = [sections[nb.name] for nb in NOTEBOOKS if nb.name in sections]
    title, *rest = markdown(ordered, intro=False).split("\n", 1)
    body = "\n".join(rest)
    for nb in NOTEBOOKS:  # each section's heading is its notebook's title, with a link to it
        body = body.replace(
            f"## {nb.name}\n",
            f"## {nb.number}. {nb.title}\n\nThe notebook: [{nb.filename}](notebooks/{nb.name}).\n",
        )
    return f"{title}\n\n{CLAIMS_INTRO.format(machine=report['machine'])}{body}"


def heading_slug(nb: Notebook) -> str:
    """The anchor Sphinx gives the claims page's heading of a notebook (docutils' make_id)."""
    from docutils.nodes import make_id

    return make_id(f"{nb.number}. {nb.title}")


def claims_note(nb: Notebook) -> str | None:
    """One line for the top of a notebook's page: how often its claims held."""
    from tools.claims import seed_text

    path = ROOT / "results" / "claims.json"
    if not path.exists():
        return None
    report = json.loads(path.read_text(encoding="utf-8"))
    section = next((s for s in report["notebooks"] if s["notebook"] == nb.name), None)
    if section is None or not section["claims"]:
        return None
    rows = section["claims"]
    always = sum(r["enforced_held"] == r["enforced_runs"] for r in rows)
    runs = sum(r["status"] != "too slow" for r in section["runs"])
    return (
        f'<p class="claims-note">This notebook makes {len(rows)} checked claims; {always} of them '
        f"held in every run where they are claimed, over {runs} runs (seeds "
        f"{seed_text(section['seeds'])} and the ends of every parameter range): "
        f'<a href="../claims.html#{heading_slug(nb)}">'
        "how often each claim holds</a>.</p>\n"
    )


def stage_index(readme: str, staged: set[str], names: list[str], extra: list[str]) -> str:
    """README.md as the landing page: badges become plain links, the notebooks (and the
    ``extra`` pages) a toctree."""
    badge = r"\[!\[([^\]]*)\]\((?:https?:)?//[^)]+\)\]\(([^)\s]+)\)"
    text = re.sub(rf"(?<=\))[ \t]+(?={badge})", " · ", readme)  # between two badges
    text = re.sub(
        badge,
        lambda m: f"[{m.group(1).replace('Open In', 'Open in')}]({m.group(2)})",
        text,
    )
    text = rewrite_links(text, "", staged)
    toctree = "\n".join(["", "```{toctree}", ":hidden:", ":maxdepth: 2", ""])
    toctree += "\n".join([*(f"notebooks/{name}" for name in names), *extra]) + "\n```\n"
    return text.rstrip() + "\n" + toctree


def copy_mathjax(target: Path) -> None:
    import mathjax  # django-static-mathjax: MathJax 3, as published, in a wheel

    source = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (source / "tex-chtml-full.js").exists():
        raise RuntimeError(f"MathJax not found in {source}: is django-static-mathjax installed?")
    for part in MATHJAX_PARTS:
        src, dst = source / part, target / part
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)
    licence = source.parent / "LICENSE"
    if licence.exists():
        shutil.copy2(licence, target / "LICENSE")


def stage(ref: str | None) -> list[Notebook]:
    if STAGE_DIR.exists():
        shutil.rmtree(STAGE_DIR)
    (STAGE_DIR / "notebooks").mkdir(parents=True)
    sources = {nb: read_notebook(nb, ref) for nb in NOTEBOOKS}
    missing = [nb.filename for nb, notebook in sources.items() if notebook is None]
    if missing:
        where = f"at {ref}" if ref else "in notebooks/"
        raise SystemExit(
            f"site: error: tools.course.NOTEBOOKS lists notebooks that are not {where}: "
            + ", ".join(missing)
        )
    present = [nb for nb in NOTEBOOKS if sources[nb] is not None]
    staged = {"README.md"} | {f"notebooks/{nb.filename}" for nb in present}
    for nb in present:
        if ref is None and uncommitted(nb):
            log(f"note: notebooks/{nb.filename} has uncommitted changes (--ref HEAD builds the "
                "committed version)")  # fmt: skip
        notebook, counts = stage_notebook(nb, sources[nb], staged)
        (STAGE_DIR / f"{docname(nb)}.ipynb").write_text(
            json.dumps(notebook, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        note = (
            f", {counts['figures_without_alt']} WITHOUT alt text in their output metadata"
            if counts["figures_without_alt"]
            else ""
        )
        log(f"{nb.filename}: {counts['figures']} figures{note}, {counts['solutions']} solutions")
    extra = []
    claims = stage_claims(staged)
    if claims is not None:
        (STAGE_DIR / "claims.md").write_text(claims, encoding="utf-8")
        extra.append("claims")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (STAGE_DIR / "index.md").write_text(
        stage_index(readme, staged, [nb.name for nb in present], extra), encoding="utf-8"
    )
    copy_mathjax(STAGE_DIR / "_mathjax" / "mathjax")
    return present


def check(out: Path, present: list[Notebook]) -> None:
    problems = []
    for page in [out / "index.html"] + [out / f"{docname(nb)}.html" for nb in present]:
        if not page.exists():
            problems.append(f"{page.relative_to(out)} was not written")
    for page in sorted(out.rglob("*.html")):
        for match in REMOTE_RESOURCE.finditer(page.read_text(encoding="utf-8")):
            problems.append(f"{page.relative_to(out)} loads from another host: {match.group(0)}")
    if problems:
        raise SystemExit("site: error:\n  " + "\n  ".join(problems))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (build/site)")
    parser.add_argument(
        "--ref", help="build the notebooks as committed at this git revision (e.g. HEAD)"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()

    present = stage(args.ref)

    from sphinx.cmd.build import build_main

    out = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    status = build_main(
        [
            "-b", "html",
            "-c", str(SITE_DIR),
            "-d", str(DOCTREE_DIR),
            "-E",  # read every source again: the staged copies are new each time
            "-W", "--keep-going",  # a warning (a broken reference, a bad output) fails the build
            "-q",
            str(STAGE_DIR),
            str(out),
        ]
    )  # fmt: skip
    if status != 0:
        log(f"error: sphinx-build failed with status {status} (its messages are above)")
        return status
    check(out, present)
    log(
        f"wrote {out / 'index.html'} and {len(present)} notebook pages "
        f"in {time.monotonic() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
