"""Sphinx configuration of the course's website (Sphinx + MyST-NB + sphinx-book-theme).

Run through ``site/build.py`` (``make site``), which stages the sources into build/site-src/
first: the README as the landing page and the committed notebooks, with their outputs, as pages.
Nothing is executed and nothing is fetched: MathJax is copied from the pinned
``django-static-mathjax`` package, the theme's fonts and scripts come with the theme.
"""

from __future__ import annotations

import hashlib
import json
import sys
from base64 import b64decode
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from course_site import NOTEBOOKS, docname, github_repo, launch_links

project = "Recurrent neural networks, hands-on"
author = "The course's authors"
copyright = "code MIT, text and figures CC BY 4.0"
language = "en"

extensions = [
    "myst_nb",  # notebooks and Markdown (MyST); brings myst_parser
    "sphinx_copybutton",  # a copy button on every code cell
    "sphinx.ext.githubpages",  # .nojekyll, so that GitHub Pages serves _static/
]

# Only what build.py staged; never the build's own folders.
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}

# --- notebooks: shown as committed, never executed --------------------------------------------
nb_execution_mode = "off"
nb_merge_streams = True  # consecutive prints in one block, as in JupyterLab
nb_output_stderr = "show"
nb_render_markdown_format = "myst"
nb_code_prompt_show = "Show code"  # folded cells; solutions get their own words (build.py)
nb_code_prompt_hide = "Hide code"
myst_enable_extensions = ["dollarmath", "amsmath", "html_image"]
myst_heading_anchors = 3  # links to "#section" inside notebooks resolve
suppress_warnings = ["myst.header"]  # notebooks may start sections at ### after a table

# --- maths: MathJax 3 from the site itself -----------------------------------------------------
# build.py copies MathJax into build/site-src/_mathjax/mathjax/; relative paths are read from
# _static, where html_static_path puts it.
STAGE = Path(__file__).resolve().parent.parent / "build" / "site-src"
mathjax_path = "mathjax/tex-chtml-full.js"
html_static_path = ["_static", str(STAGE / "_mathjax")]

# --- HTML --------------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = project
html_css_files = ["course.css"]
html_copy_source = False  # the notebooks are on GitHub; no second copy of every output
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "repository_url": github_repo(),
    "use_repository_button": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,  # the page's table of contents shows sections and subsections
    "show_navbar_depth": 1,
    "navigation_with_keys": False,
    "path_to_docs": "",
}
# pydata-sphinx-theme reads the starting colour mode from the context (left empty, it logs a
# console error); light suits the notebooks' figures and tables, the reader can switch.
html_context = {"default_mode": "light"}
copybutton_exclude = ".linenos, .gp, .go"


def _alt_texts(path: Path) -> dict[str, str]:
    """sha256 of each PNG output of a notebook -> its alt text (output metadata, "image/png")."""
    if path.suffix != ".ipynb":
        return {}
    notebook = json.loads(path.read_text(encoding="utf-8"))
    texts = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in ("image/png", "image/jpeg"):
                alt = output.get("metadata", {}).get(mime, {}).get("alt")
                if mime in data and alt:
                    payload = data[mime] if isinstance(data[mime], str) else "".join(data[mime])
                    texts[hashlib.sha256(b64decode(payload)).hexdigest()] = alt
    return texts


def add_alt_text(app, doctree) -> None:
    """Give each figure of a notebook the alt text its output carries.

    MyST-NB writes an image output to a file named by the sha256 of its bytes but does not read
    the output's ``alt`` metadata; this matches the two by that hash.
    """
    from docutils import nodes

    texts = _alt_texts(Path(app.env.doc2path(app.env.docname)))
    if not texts:
        return
    for image in doctree.findall(nodes.image):
        digest = Path(image["uri"]).stem
        if digest in texts:
            image["alt"] = texts[digest]


def add_launch_buttons(app, pagename, templatename, context, doctree) -> None:
    """A "launch" menu in the page header of every notebook: Colab and Kaggle."""
    notebook = next((nb for nb in NOTEBOOKS if docname(nb) == pagename), None)
    if notebook is None or "header_buttons" not in context:
        return
    icons = {"Colab": "_static/images/logo_colab.png", "Kaggle": "fab fa-kaggle"}
    buttons = [
        {
            "type": "link",
            "text": service,
            "tooltip": f"Open this notebook in {service}",
            "icon": icons.get(service, "fas fa-rocket"),
            "url": url,
            "label": f"launch-{service.lower()}-button",
        }
        for service, url in launch_links(notebook)
    ]
    context["header_buttons"].append(
        {
            "type": "group",
            "tooltip": "Run this notebook",
            "icon": "fas fa-rocket",
            "buttons": buttons,
            "label": "launch-buttons",
        }
    )


def setup(app):
    app.connect("doctree-read", add_alt_text)
    app.connect("html-page-context", add_launch_buttons, priority=502)
