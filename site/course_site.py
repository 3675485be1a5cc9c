"""What the course's website needs to know about the course, shared by build.py and conf.py.

Everything here is read from ``tools.course``: the notebooks' order, their titles and the
repository slug (written once, in pyproject.toml). Nothing about the course is repeated here.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent
ROOT = SITE_DIR.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.course import NOTEBOOKS, Notebook, badges, project_settings, repository  # noqa: E402

STAGE_DIR = ROOT / "build" / "site-src"  # the Sphinx sources build.py writes
DOCTREE_DIR = ROOT / "build" / "site-doctrees"  # Sphinx's cache: kept out of the published site
OUT_DIR = ROOT / "build" / "site"

# `[![Alt](image)](target)`: a badge, as tools.course.badges() writes it.
BADGE = re.compile(r"\[!\[([^\]]*)\]\(([^)\s]+)\)\]\(([^)\s]+)\)")
# `[Open in Service](target)`: a launch link written as text (tools.course.badges).
TEXT_LINK = re.compile(r"\[Open in (\w+)\]\(([^)\s]+)\)")


def docname(nb: Notebook) -> str:
    """The page's Sphinx name, ``notebooks/01_introduction``: notebooks/01_introduction.html."""
    return f"notebooks/{nb.name}"


def launch_links(nb: Notebook) -> list[tuple[str, str]]:
    """``[(service, url), ...]`` for the notebook, read from its badges (tools.course.badges).

    The badges are the one place where the Colab and Kaggle URLs are built from the slug; the
    site takes the link targets from them rather than building the URLs a second time.
    """
    line = badges(nb)
    links = []
    for alt, _image, target in BADGE.findall(line):
        links.append((alt.removeprefix("Open In ").strip(), target))
    for service, target in TEXT_LINK.findall(BADGE.sub("", line)):
        links.append((service, target))
    if not links:
        raise RuntimeError(f"tools.course.badges() gave no link for {nb.filename}")
    return links


def github_blob(path: str) -> str:
    """The GitHub page of a file of the repository (for links to files the site does not hold)."""
    return f"https://github.com/{repository()}/blob/{project_settings()['branch']}/{path}"


def github_repo() -> str:
    return f"https://github.com/{repository()}"


__all__ = [
    "NOTEBOOKS",
    "Notebook",
    "ROOT",
    "SITE_DIR",
    "STAGE_DIR",
    "DOCTREE_DIR",
    "OUT_DIR",
    "docname",
    "launch_links",
    "github_blob",
    "github_repo",
]
