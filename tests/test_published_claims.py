"""The published claims report (results/claims.json) against the notebooks as they are now: it
must name exactly the claims the notebooks make, none of them failed, and none that a notebook
enforces may be thin (its mean margin over the seeds less than 3 standard deviations of their
spread from failing). A notebook whose claims changed since its report was made fails here until
`make claims` is rerun for it and published."""

from __future__ import annotations

import ast
import json
import re

import pytest

from tools import claims as runner
from tools.course import NOTEBOOKS

REPORT = runner.PUBLISHED


def _sections() -> dict[str, dict]:
    return {s["notebook"]: s for s in json.loads(REPORT.read_text(encoding="utf-8"))["notebooks"]}


def _pattern(node: ast.expr) -> str:
    """A claim's name as the notebook writes it -> a regular expression for the names it prints:
    an f-string's replacement fields match any text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(
            re.escape(part.value) if isinstance(part, ast.Constant) else ".+"
            for part in node.values
        )
    raise ValueError(f"a claim named by an expression the test cannot read: {ast.dump(node)}")


def claim_patterns(notebook) -> list[str]:
    """The names of the claim(...) calls in a notebook's code cells, as regular expressions."""
    cells = json.loads(notebook.path.read_text(encoding="utf-8"))["cells"]
    patterns = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for node in ast.walk(ast.parse(source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "claim" and node.args):  # fmt: skip
                patterns.append(_pattern(node.args[0]))
    return patterns


def test_the_pattern_of_an_f_string_name_matches_what_it_prints():
    call = ast.parse('claim(f"the {name} beats {rival:>5} by " f"{bound:.0%} or more", 1, ">", 0)')
    pattern = _pattern(call.body[0].value.args[0])
    assert re.fullmatch(pattern, "the GRU(27) beats   AR by 30% or more")
    assert not re.fullmatch(pattern, "the GRU(27) trails AR by 30% or more")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda nb: nb.name)
def test_the_published_report_names_exactly_the_claims_of_the_notebook(notebook):
    section = _sections().get(notebook.name)
    patterns = claim_patterns(notebook)
    if section is None:
        assert not patterns, f"{notebook.name} makes claims but has no section in {REPORT.name}"
        return
    names = [row["name"] for row in section["claims"]]
    stale = [n for n in names if not any(re.fullmatch(p, n) for p in patterns)]
    unreported = [re.sub(r"\\(.)", r"\1", p) for p in patterns  # shown as written
                  if not any(re.fullmatch(p, n) for n in names)]  # fmt: skip
    assert not stale and not unreported, (
        f"{notebook.name}: the report is older than the notebook; rerun `make claims "
        f'ARGS="--only {notebook.name[:2]}"` and publish. In the report only: {stale}; in the '
        f"notebook only: {unreported}"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda nb: nb.name)
def test_no_enforced_claim_failed_or_is_thin_in_the_published_report(notebook):
    section = _sections().get(notebook.name)
    if section is None:
        pytest.skip(f"{notebook.name} makes no claims")
    failed = [r["name"] for r in section["claims"] if r["enforced_held"] < r["enforced_runs"]]
    assert not failed, f"{notebook.name}: enforced claims that failed in some run: {failed}"
    enforced_at_seeds = [r for r in section["claims"] if r["enforced_runs"] and r["seed_runs"]]
    spreads = {r["name"]: runner.seed_spread(r) for r in enforced_at_seeds}
    unmeasured = [name for name, spread in spreads.items() if spread is None]
    assert not unmeasured, (
        f"{notebook.name}: the report has no spread over the seeds for these enforced claims "
        f"(fewer than 5 seeds, or a section made before margins were kept); rerun its claims "
        f"and publish: {unmeasured}"
    )
    thin = {n: round(s["z"], 2) for n, s in spreads.items() if s["z"] < runner.THIN_Z}
    assert not thin, (
        f"{notebook.name}: enforced claims whose mean margin is less than 3 s.d. of its spread "
        f"over the seeds from failing (record them instead, or lower the bar): {thin}"
    )
