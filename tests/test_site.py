"""The course's website, built and read in headless Chromium with the network cut.

The module builds the site with ``site/build.py`` (what ``make site`` runs) into build/site/, in a
process whose network is cut like every process of the test suite (tests/offline), so the build
itself is shown to be offline. A small HTTP server serves build/site/ on 127.0.0.1; Playwright
drives Debian's Chromium (``/usr/bin/chromium``) in a context whose route handler refuses every
request to another host. Every page (the landing page and one per notebook of
tools.course.NOTEBOOKS) must have: no console error and no failed request, every picture loaded,
every formula typeset by the site's own MathJax without an error, every internal link resolving
(page and anchor), the notebook's title, its "Open in Colab" and "Open in Kaggle" links (from
tools.course.badges), a table of contents, previous/next links in course order, copy buttons on
code cells, solutions folded, and the figures' alt texts from the notebook's outputs. Notebook 01's
animation must play, and the search page must find a notebook. Screenshots of each page go to
build/site-screenshots/.

Set ``SITE_DIR`` to test an already built site instead of building one. Without Chromium the test
is skipped, except under CI (``CI`` set), where it fails: ``make browser`` installs it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

import pytest

from tools.course import NOTEBOOKS, ROOT

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = ROOT / "build" / "site-screenshots"
BUILD_TIMEOUT = 300  # s: the bar is 120 s on this machine; a busy CI machine gets more room
PAGE_TIMEOUT = 120_000  # ms: a page with MathJax on a machine shared by several workers
sys.path.insert(0, str(ROOT / "site"))
from course_site import launch_links  # noqa: E402  (site/ is not a package: "site" is stdlib's)

# Everything the checks need from a page, read once it has loaded and MathJax has finished.
PAGE_STATE_JS = r"""
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const images = [...document.images];
  const broken = [];
  await Promise.all(images.map(async (img) => {
    img.loading = 'eager';
    try { await img.decode(); } catch (e) { broken.push(img.getAttribute('src') || '(no src)'); }
    if (img.complete && img.naturalWidth === 0 && !broken.includes(img.getAttribute('src'))) {
      broken.push(img.getAttribute('src') || '(no src)');
    }
  }));
  const maths = [...document.querySelectorAll('.bd-article .math')];
  const article = document.querySelector('.bd-article');
  // The prose as a reader sees it, without code, outputs and typeset maths.
  const prose = article ? [...article.querySelectorAll('p, li, td, th, h1, h2, h3, h4')]
    .filter(e => !e.closest('pre, code, .cell_output, .math, mjx-container'))
    .map(e => {
      const c = e.cloneNode(true);
      c.querySelectorAll('code, .math, mjx-container, pre').forEach(x => x.remove());
      return c.textContent;
    }).join('\n') : '';
  const byService = {};
  document.querySelectorAll('.bd-article a.launch-link').forEach(a => {
    byService[a.textContent.trim()] = a.getAttribute('href');
  });
  const cellInputs = [...document.querySelectorAll('.bd-article .cell_input')];
  return {
    title: document.title,
    h1: [...document.querySelectorAll('.bd-article h1')]
      .map(h => h.textContent.replace('#', '').trim()),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    images: images.length,
    broken: broken,
    figureAlts: [...document.querySelectorAll('.bd-article .cell_output img')]
      .filter(img => !img.id.startsWith('_anim_img'))
      .map(img => img.getAttribute('alt') || ''),
    maths: maths.length,
    untypeset: maths.filter(m => !m.querySelector('mjx-container'))
      .map(m => m.textContent.slice(0, 80)),
    mathErrors: [...document.querySelectorAll('mjx-merror, [data-mjx-error]')]
      .map(e => e.getAttribute('data-mjx-error') || e.textContent.slice(0, 80)),
    strayDollars: (prose.match(/\$[^$\n]{1,80}\$|\\\(|\\\[/g) || []),
    launch: byService,
    launchMenu: [...document.querySelectorAll('.dropdown-launch-buttons a')]
      .map(a => a.getAttribute('href')),
    pageToc: [...document.querySelectorAll('nav.page-toc a')].map(a => a.getAttribute('href')),
    prev: (document.querySelector('.prev-next-area a.left-prev') || {}).href || null,
    next: (document.querySelector('.prev-next-area a.right-next') || {}).href || null,
    codeCells: cellInputs.length,
    withoutCopyButton: cellInputs.filter(c => !c.querySelector('button.copybtn')).length,
    solutions: [...document.querySelectorAll('.bd-article .cell.tag_solution')].map(c => {
      const d = c.querySelector('details.hide');
      const code = c.querySelector('.cell_input');
      const shown = d ? d.querySelector('summary .collapsed, summary') : null;
      return {folded: !!d && !d.open, visible: !!code && code.checkVisibility(),
              prompt: shown ? shown.textContent.trim() : ''};
    }),
  };
}
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site_dir(chromium_path) -> Path:
    """The built site: SITE_DIR if set, else built now by site/build.py into build/site/."""
    if os.environ.get("SITE_DIR"):
        return Path(os.environ["SITE_DIR"]).resolve()
    try:
        import sphinx  # noqa: F401
    except ImportError:
        message = "Sphinx is not installed (requirements.txt lists it): make setup"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    out = ROOT / "build" / "site"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(ROOT / "site" / "build.py"), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    elapsed = time.monotonic() - started
    print(result.stdout[-3000:])
    assert result.returncode == 0, (
        f"site/build.py failed ({result.returncode}):\n{result.stdout[-4000:]}\n"
        f"{result.stderr[-4000:]}"
    )
    print(f"site built in {elapsed:.1f} s")
    return out


@pytest.fixture(scope="module")
def server(site_dir):
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class Visit:
    """One page opened in a fresh, offline browser context, with what went wrong on the way."""

    def __init__(self, browser, base: str):
        self.base = base
        self.blocked: list[str] = []
        self.console: list[str] = []
        self.failed: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(PAGE_TIMEOUT)
        self.page.on(
            "console",
            lambda m: self.console.append(f"{m.type}: {m.text}") if m.type == "error" else None,
        )
        self.page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on(
            "response",
            lambda r: self.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None,
        )

    def _route(self, route):
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or url.startswith(self.base + "/"):
            route.continue_()
        else:  # the network is cut: a page that reaches out is a page that breaks offline
            self.blocked.append(url)
            route.abort()

    def open(self, path: str) -> dict:
        self.page.goto(f"{self.base}/{path}", wait_until="load")
        return self.page.evaluate(PAGE_STATE_JS)  # waits for MathJax and every picture

    def problems(self) -> list[str]:
        return (
            [f"request to another host: {u}" for u in self.blocked]
            + [f"console {c}" for c in self.console]
            + [f"failed request: {f}" for f in self.failed]
        )

    def close(self):
        self.context.close()


_pages: dict[str, str | None] = {}


def fetch(url: str) -> str | None:
    """The page at ``url`` (from the local server), or None if it does not resolve."""
    if url not in _pages:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                _pages[url] = response.read().decode("utf-8", errors="replace")
        except (urllib.error.URLError, OSError):
            _pages[url] = None
    return _pages[url]


def broken_links(links: list[str], base: str) -> list[str]:
    broken = []
    for link in sorted(set(links)):
        if not link.startswith(base + "/"):
            continue  # other hosts: not followed (the network is cut)
        address, _, anchor = link.partition("#")
        if address.endswith("/"):
            address += "index.html"
        html = fetch(address)
        if html is None:
            broken.append(f"{link}: the page does not exist")
            continue
        anchor = urllib.parse.unquote(anchor)
        if anchor and not re.search(rf"""\b(?:id|name)=["']{re.escape(anchor)}["']""", html):
            broken.append(f"{link}: no element with id {anchor!r} on that page")
    return broken


def notebook_alts(path: Path) -> list[str]:
    """The alt text of each figure output of a notebook, in order ("" where it has none)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        output.get("metadata", {}).get("image/png", {}).get("alt", "")
        for cell in cells
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]


def common_checks(name: str, state: dict, visit: Visit) -> None:
    problems = visit.problems()
    assert not problems, f"{name}: " + "\n".join(problems)
    assert not state["broken"], f"{name}: pictures that did not load: {state['broken']}"
    assert not state["untypeset"], f"{name}: formulas left untypeset: {state['untypeset']}"
    assert not state["mathErrors"], f"{name}: MathJax errors: {state['mathErrors']}"
    assert not state["strayDollars"], f"{name}: maths left as text: {state['strayDollars']}"
    broken = broken_links(state["links"], visit.base)
    assert not broken, f"{name}: internal links that do not resolve:\n" + "\n".join(broken)


PAINTED_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def screenshot(visit: Visit, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOT_DIR.glob(f"{name}-*.png"):  # none left from an earlier build
        old.unlink()
    visit.page.evaluate("window.scrollTo(0, 0)")
    visit.page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"))
    views = {  # the first figure, display formula and folded solution, each in view
        "figure": ".bd-article .cell_output img",
        "maths": ".bd-article div.math",
        "solutions": ".bd-article .cell.tag_solution",
    }
    for suffix, selector in views.items():
        element = visit.page.locator(selector).first
        if element.count():
            element.evaluate("e => e.scrollIntoView({block: 'center', behavior: 'instant'})")
            visit.page.wait_for_timeout(1000)  # a long jump is painted late on a busy machine
            visit.page.evaluate(PAINTED_JS)
            visit.page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{suffix}.png"))


def test_landing_page(server, browser):
    visit = Visit(browser, server)
    try:
        state = visit.open("index.html")
        common_checks("index.html", state, visit)
        assert state["h1"] and "Recurrent neural networks" in state["h1"][0]
        for nb in NOTEBOOKS:
            page = f"{server}/notebooks/{nb.name}.html"
            assert any(link.startswith(page) for link in state["links"]), (
                f"the landing page does not link to {nb.name}"
            )
        assert state["next"] and state["next"].startswith(f"{server}/notebooks/{NOTEBOOKS[0].name}")
        screenshot(visit, "index")
    finally:
        visit.close()


@pytest.mark.parametrize("index", range(len(NOTEBOOKS)), ids=[nb.name for nb in NOTEBOOKS])
def test_notebook_page(index, server, browser):
    nb = NOTEBOOKS[index]
    visit = Visit(browser, server)
    try:
        state = visit.open(f"notebooks/{nb.name}.html")
        common_checks(nb.name, state, visit)

        heading = f"{nb.number}. {nb.title}"
        assert heading in state["h1"], f"{nb.name}: title {heading!r} not in {state['h1']}"
        assert nb.title in state["title"], f"{nb.name}: <title> is {state['title']!r}"

        expected = {f"Open in {service}": url for service, url in launch_links(nb)}
        assert set(expected) >= {"Open in Colab", "Open in Kaggle"}
        assert state["launch"] == expected, f"{nb.name}: launch links {state['launch']}"
        assert sorted(state["launchMenu"]) == sorted(expected.values()), (
            f"{nb.name}: the header's launch menu links to {state['launchMenu']}"
        )

        assert len(state["pageToc"]) >= 3, f"{nb.name}: no table of contents: {state['pageToc']}"
        existing = NOTEBOOKS
        position = index
        previous = (
            f"{server}/index.html"
            if position == 0
            else f"{server}/notebooks/{existing[position - 1].name}.html"
        )
        assert state["prev"] == previous, f"{nb.name}: previous is {state['prev']}"
        if position + 1 < len(existing):
            following = f"{server}/notebooks/{existing[position + 1].name}.html"
            assert state["next"] == following, f"{nb.name}: next is {state['next']}"
        else:
            # the last notebook links on to the claims report when one is published, else nowhere
            assert state["next"] in (None, f"{server}/claims.html"), (
                f"{nb.name}: the last page links on to {state['next']}"
            )

        assert state["codeCells"] > 0 and state["withoutCopyButton"] == 0, (
            f"{nb.name}: {state['withoutCopyButton']} of {state['codeCells']} code cells "
            "have no copy button"
        )
        assert state["solutions"], f"{nb.name}: no solution cell found"
        for solution in state["solutions"]:
            assert solution["folded"] and not solution["visible"], f"{nb.name}: {solution}"
            assert solution["prompt"].startswith("Show Solution"), solution

        # The copy the site was built from (the notebook in notebooks/ may have changed since).
        staged = ROOT / "build" / "site-src" / "notebooks" / nb.filename
        alts = notebook_alts(staged if staged.exists() else nb.path)
        assert len(state["figureAlts"]) == len(alts), (
            f"{nb.name}: {len(state['figureAlts'])} figures on the page, "
            f"{len(alts)} in the notebook"
        )
        for shown, written in zip(state["figureAlts"], alts, strict=True):
            if written:
                assert shown == written, f"{nb.name}: alt {shown!r} instead of {written!r}"
        if not all(alts):
            warnings.warn(
                f"{nb.name}: {alts.count('')} of {len(alts)} figures have no alt text in the "
                "notebook's outputs (make outputs refreshes them)",
                stacklevel=1,
            )
        screenshot(visit, nb.name)
        print(
            f"{nb.name}: {state['maths']} formulas typeset, {state['images']} pictures, "
            f"{len(set(state['links']))} links, {state['codeCells']} code cells, "
            f"{len(state['solutions'])} folded solutions"
        )
    finally:
        visit.close()


def test_animation_plays(server, browser):
    first = NOTEBOOKS[0]
    visit = Visit(browser, server)
    try:
        visit.open(f"notebooks/{first.name}.html")
        animation = visit.page.locator(".bd-article .animation").first
        assert animation.count(), f"{first.name}: no animation on the page"
        animation.scroll_into_view_if_needed()
        frame = animation.locator("img").first
        slider = animation.locator("input.anim-slider").first
        assert (frame.get_attribute("src") or "").startswith("data:image/"), "no frame shown"
        frames = int(slider.get_attribute("max") or 0)
        assert frames >= 2, f"the animation has {frames + 1} frames"
        # The icons of the buttons come from the theme's Font Awesome (no CDN): drawn as SVG.
        assert animation.locator(".anim-buttons svg").count() >= 9, "animation buttons lack icons"
        animation.locator("button[title='First frame']").click()
        before = frame.get_attribute("src")
        animation.locator("button[title='Play']").click()
        visit.page.wait_for_function(
            "s => document.querySelector(s).value !== '0'",
            arg=f"#{slider.get_attribute('id')}",
            timeout=30_000,
        )
        animation.locator("button[title='Pause']").click()
        assert frame.get_attribute("src") != before, "the frame did not change while playing"
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        animation.screenshot(path=str(SCREENSHOT_DIR / f"{first.name}-animation.png"))
        assert not visit.problems(), visit.problems()
    finally:
        visit.close()


def test_search_finds_a_notebook(server, browser):
    visit = Visit(browser, server)
    try:
        visit.open("search.html?q=forget+gate")
        results = visit.page.locator("#search-results ul.search li a")
        results.first.wait_for(timeout=60_000)
        targets = [results.nth(i).get_attribute("href") for i in range(results.count())]
        lstm = next(nb for nb in NOTEBOOKS if nb.name == "03_lstm")
        assert any(lstm.name in (t or "") for t in targets), f"search results: {targets}"
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(SCREENSHOT_DIR / "search.png"))
        assert not visit.problems(), visit.problems()
    finally:
        visit.close()


def test_alt_text_is_matched_by_hash():
    """The post-processing idea behind the figures' alt text: a figure file is named by the
    sha256 of its bytes, so the notebook's output and the page's picture can be paired."""
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    sys.path.insert(0, str(ROOT / "site"))
    import importlib

    conf = importlib.import_module("conf")
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": {"image/png": base64.b64encode(png).decode()},
                        "metadata": {"image/png": {"alt": "One pixel, for the test"}},
                    }
                ],
            }
        ]
    }
    path = ROOT / "build" / "site-test-alt.ipynb"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(notebook), encoding="utf-8")
    try:
        texts = conf._alt_texts(path)
    finally:
        path.unlink()
    assert texts == {hashlib.sha256(png).hexdigest(): "One pixel, for the test"}
