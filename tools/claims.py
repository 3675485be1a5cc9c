"""Run notebooks over many seeds and at the ends of their parameters' ranges; count the claims.

    python -m tools.claims                         # make claims: every notebook, seeds 1-20, ends
    python -m tools.claims --only 05 --seeds 1-3   # a cheap slice
    python -m tools.claims --only 01 --seeds 1-2 --no-ends --jobs 2
    python -m tools.claims --only 06 --seeds 1-20 -p WINDOW 15   # at the edge of a claim's when=

Every run executes one notebook headless (``tools.run_notebooks``) with one parameter changed:
``SEED`` = each seed of ``--seeds`` (the other parameters at their defaults), then, with the
default seed, each numeric parameter at the lower and at the upper end of the range its setup cell
accepts. An end is run with a time limit of twice the notebook's median time at the defaults; a
run that needs longer is reported as too slow, not as a failure. Each run writes the claims its
notebook evaluates (``helpers.claims``) to a file of its own, with failed claims recorded rather
than raised, so that one run measures every claim.

Writes ``build/claims.json`` and ``build/claims.md``: per named claim, the runs it was evaluated
in, how many it held in, its smallest margin with the settings of that run, and the spread of its
margins over the seeds (how many standard deviations the mean margin lies from failing); per
notebook, its runs and their outcome. With ``--publish`` the notebooks' sections also replace
theirs in the committed ``results/claims.json``, from which the website's page "How often each
claim holds" is built (``make claims`` publishes; a slice with ``--seeds`` or ``--no-ends`` does
not, unless asked).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from helpers.claims import CLAIMS_FILE_ENV, KEEP_GOING_ENV
from tools.course import NOTEBOOKS, ROOT, Notebook, parameter_specs
from tools.run_notebooks import convert, select

PUBLISHED = ROOT / "results" / "claims.json"
SKIPPED = {"SEED", "METRICS_PATH"}  # the seed has runs of its own; a path has no ends
THIN_Z = 3.0  # below this many s.d. of its spread over the seeds, an enforced claim is thin


@dataclass
class Run:
    notebook: str
    params: dict
    kind: str  # "seed" or "end"
    limit: float | None = None
    status: str = "pending"  # ok, claims failed, failed, too slow
    seconds: float = 0.0
    error: str = ""
    claims: list[dict] = field(default_factory=list)

    @property
    def label(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.params.items())


def parse_seeds(text: str) -> list[int]:
    """``1-20``, ``3``, ``1,5,9`` or ``1-3,7`` -> a sorted list of distinct seeds."""
    seeds: set[int] = set()
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError:
            raise SystemExit(f"error: --seeds {text!r}: write e.g. 1-20 or 1,5,9") from None
        if first > last or first < 0:
            raise SystemExit(f"error: --seeds {text!r}: a range runs from low to high, from 0")
        seeds.update(range(first, last + 1))
    return sorted(seeds)


def end_values(nb: Notebook) -> list[dict]:
    """One override per end of each numeric parameter's accepted range.

    A closed end is run as it is. An open end of a number's range (``0 < ALPHA < 1``) cannot be
    typed; the value 1 % of the range inside it stands for it (ALPHA 0.01 and 0.99).
    """
    overrides = []
    for p in parameter_specs(nbformat.read(nb.path, as_version=4)):
        if p.name in SKIPPED or p.kind not in ("integer", "number"):
            continue
        inside = 0.01 * (p.high - p.low) if None not in (p.low, p.high) else None
        for end, inclusive, sign in ((p.low, p.low_inclusive, 1), (p.high, p.high_inclusive, -1)):
            if end is None or (not inclusive and (inside is None or p.kind == "integer")):
                continue
            value = end if inclusive else float(f"{end + sign * inside:.6g}")
            if value != p.default:
                overrides.append({p.name: value})
    return overrides


def execute(run: Run, scratch: Path) -> Run:
    """Run one notebook in a process of its own, with a claims file and an optional time limit."""
    tag = "_".join(f"{k}{v}" for k, v in run.params.items()).replace(".", "p")
    claims_file = scratch / f"{run.notebook}-{tag}.jsonl"
    claims_file.unlink(missing_ok=True)
    command = [sys.executable, "-m", "tools.run_notebooks", "--only", run.notebook,
               "--out-dir", str(scratch / tag)]  # fmt: skip
    for name, value in run.params.items():
        command += ["-p", name, str(value)]
    env = {**os.environ, CLAIMS_FILE_ENV: str(claims_file), KEEP_GOING_ENV: "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # the kernel is a grandchild: a time-out ends the whole group
    )  # fmt: skip
    try:
        _, stderr = process.communicate(timeout=run.limit)
        run.status = "ok" if process.returncode == 0 else "failed"
        if process.returncode:
            lines = [ln for ln in stderr.strip().splitlines() if ln.startswith("error:")]
            run.error = lines[-1] if lines else stderr.strip()[-300:]
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.communicate()
        run.status = "too slow"
        run.error = f"stopped after {run.limit:.0f} s (twice the median time at the defaults)"
    run.seconds = time.perf_counter() - started
    if claims_file.exists():
        run.claims = [json.loads(ln) for ln in claims_file.read_text().splitlines() if ln]
    if run.status == "ok" and any(c["enforced"] and not c["held"] for c in run.claims):
        run.status = "claims failed"
    return run


def run_all(runs: list[Run], jobs: int, scratch: Path) -> None:
    def one(run: Run) -> Run:
        execute(run, scratch)
        failed = [c["name"] for c in run.claims if c["enforced"] and not c["held"]]
        print(f"  {run.notebook} {run.label}: {run.status} in {run.seconds:.0f} s, "
              f"{len(run.claims)} claims" + (f"; failed: {'; '.join(failed)}" if failed else "")
              + (f"; {run.error}" if run.error and run.status != "claims failed" else ""),
              flush=True)  # fmt: skip
        return run

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, runs))


def _new_row(claim: dict) -> dict:
    """An empty row of the report for one named claim."""
    return {"name": claim["name"], "op": claim["op"], "runs": 0, "held": 0, "enforced_runs": 0,
            "enforced_held": 0, "seed_runs": 0, "seed_held": 0, "not_held_at": [],
            "seed_margins": [], "smallest": None, "closest": None}  # fmt: skip


def summarise(nb_name: str, runs: list[Run]) -> dict:
    """One notebook's section of the report: its runs and, per claim, how often it held."""
    by_name: dict[str, dict] = {}
    for run in runs:
        for c in run.claims:
            row = by_name.setdefault(c["name"], _new_row(c))
            row["runs"] += 1
            row["held"] += c["held"]
            row["enforced_runs"] += c["enforced"]
            row["enforced_held"] += c["enforced"] and c["held"]
            row["seed_runs"] += run.kind == "seed"  # at the defaults, one per seed
            row["seed_held"] += run.kind == "seed" and c["held"]
            if not c["held"]:
                row["not_held_at"].append(run.params)
            if c["enforced"] and run.kind == "seed":
                row["seed_margins"].append(c["margin"])
            if (
                not c["enforced"]
                and run.kind == "seed"
                and (row["closest"] is None or c["margin"] < row["closest"]["margin"])
            ):  # a recorded claim: how near it came to not holding at the defaults
                row["closest"] = {
                    "margin": c["margin"], "margin_se": c["margin_se"],
                    "relative_margin": c["relative_margin"], "at": run.params, "scope": "seeds",
                }  # fmt: skip
            if c["enforced"] and (
                row["smallest"] is None or c["margin"] < row["smallest"]["margin"]
            ):
                row["smallest"] = {
                    "margin": c["margin"], "margin_se": c["margin_se"],
                    "relative_margin": c["relative_margin"], "value": c["value"],
                    "bound": c["bound"], "se": c["se"], "at": run.params,
                }  # fmt: skip
    seed_runs = [r for r in runs if r.kind == "seed"]
    ok = [r.seconds for r in seed_runs if r.status in ("ok", "claims failed")]
    return {
        "notebook": nb_name,
        "date": f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d}",
        "seeds": sorted(r.params["SEED"] for r in seed_runs),
        "median_seconds": round(statistics.median(ok), 1) if ok else None,
        "runs": [
            {
                "params": r.params,
                "kind": r.kind,
                "status": r.status,
                "seconds": round(r.seconds, 1),
                "error": r.error,
                "claims": len(r.claims),
            }
            for r in runs
        ],  # fmt: skip
        "claims": list(by_name.values()),
    }


def _z(margins: list[float]) -> tuple[float, float, float]:
    mean, sd = statistics.fmean(margins), statistics.stdev(margins)
    return mean, sd, (mean / sd if sd > 0 else math.inf)


def seed_spread(row: dict) -> dict | None:
    """How far a claim's margins over the seeds at the defaults stay from failing, in their own
    standard deviation: ``z = mean / sd``. A learner's next seed is one more draw from the same
    spread; with roughly normal margins, z = 3 fails about one seed in 700 and z = 4 one in
    30,000. A positive quantity held against a positive bar is also judged on the log of value ÷
    bound (ratios and norms vary on that scale); ``z`` is the larger of the two, since a claim is
    thin only if neither scale puts it 3 s.d. clear. None with fewer than 5 seeds, or for reports
    made before margins were kept."""
    margins = row.get("seed_margins") or []
    if len(margins) < 5:
        return None
    mean, sd, z = _z(margins)
    out = {"n": len(margins), "mean": mean, "sd": sd, "z": z, "z_raw": z, "z_log": None}
    bound = (row.get("smallest") or {}).get("bound")
    if bound is not None and bound > 0 and (row.get("smallest") or {}).get("se") is None:
        sign = 1.0 if row["op"] in (">", ">=") else -1.0
        values = [bound + sign * m for m in margins]
        if min(values) > 0:
            out["z_log"] = _z([sign * math.log(v / bound) for v in values])[2]
            out["z"] = max(z, out["z_log"])
    return out


def spread_text(row: dict) -> str:
    spread = seed_spread(row)
    if spread is None:
        return "-"
    if math.isinf(spread["z"]):
        return f"no spread over {spread['n']} seeds (the same margin each time)"
    flag = " **thin**" if spread["z"] < THIN_Z else ""
    text = f"{spread['z_raw']:.1f} s.d."
    if spread["z_log"] is not None:
        text += f", {spread['z_log']:.1f} on the log scale"
    return (f"{text} (margin {spread['mean']:+.3g} ± {spread['sd']:.2g} over {spread['n']} "
            f"seeds){flag}")  # fmt: skip


def tightness(row: dict) -> float:
    """How close a claim came to failing, comparable across claims: its smallest margin in
    standard errors where it has one, else as a share of its bound (smaller is closer)."""
    s = row["smallest"]
    if s is None:
        return math.inf
    if s["margin_se"] is not None:
        return s["margin_se"] / 3  # three standard errors count as a share of 1
    return s["relative_margin"] if s["relative_margin"] is not None else s["margin"]


def margin_text(s: dict | None) -> str:
    if s is None:
        return "never enforced"
    text = f"{s['margin']:+.3g}"
    if s["margin_se"] is not None:
        text += f" ({s['margin_se']:+.1f} s.e.)"
    elif s["relative_margin"] is not None:
        text += f" ({s['relative_margin']:+.0%} of the bound)"
    at = ", ".join(f"{k}={v}" for k, v in s["at"].items())
    return f"{text} at {at}"


def seed_text(seeds: list[int]) -> str:
    """[1, 2, 3, 7] -> "1-3, 7"."""
    parts, start = [], None
    for i, seed in enumerate(seeds):
        if start is None:
            start = seed
        if i + 1 == len(seeds) or seeds[i + 1] != seed + 1:
            parts.append(f"{start}" if start == seed else f"{start}-{seed}")
            start = None
    return ", ".join(parts)


SPREAD_NOTE = (
    "The last column: how far a claim's mean margin over the seeds at the defaults lies from "
    "failing, in the margins' own standard deviation. A seed nobody ran is one more draw from "
    "that spread; below 3 s.d. a claim is marked thin (with roughly normal margins, one seed in "
    "700 or more would fail it). A positive quantity held against a positive bar (a ratio, a "
    "norm) is also judged on the log of value ÷ bound; it is thin only if neither scale puts it "
    "3 s.d. clear."
)


def markdown(sections: list[dict], intro: bool = True) -> str:
    lines = ["# How often each claim holds", ""] + ([SPREAD_NOTE, ""] if intro else [])
    for sec in sections:
        runs = sec["runs"]
        counted = [r for r in runs if r["status"] != "too slow"]
        slow = [r for r in runs if r["status"] == "too slow"]
        broken = [r for r in runs if r["status"] in ("failed", "claims failed")]
        lines += [
            f"## {sec['notebook']}",
            "",
            f"{len(counted)} runs ({len(sec['seeds'])} at the defaults with SEED = "
            f"{seed_text(sec['seeds'])}, {len(counted) - len(sec['seeds'])} at the ends of "
            "parameter ranges), "
            f"{len(broken)} with a failure; median time at the defaults "
            f"{sec['median_seconds']} s; {sec['date']}.",
            "",
        ]
        if slow:
            lines += ["Not run, slower than twice the defaults' time: "
                      + ", ".join(", ".join(f"{k}={v}" for k, v in r["params"].items())
                                  for r in slow) + ".", ""]  # fmt: skip
        for r in broken:
            at = ", ".join(f"{k}={v}" for k, v in r["params"].items())
            lines.append(f"- **{r['status']}** at {at}: {r['error'] or 'a claim did not hold'}")
        if broken:
            lines.append("")
        if not sec["claims"]:
            lines += ["No claims: this notebook asserts invariants only.", ""]
            continue
        lines += [
            "| claim | held | smallest margin | mean margin over the seeds, in s.d. |",
            "| --- | --- | --- | --- |",
        ]
        for row in sorted(sec["claims"], key=tightness):
            held = f"{row['enforced_held']} of {row['enforced_runs']}"
            reported = row["runs"] - row["enforced_runs"]
            if row["enforced_runs"] == 0:  # an observation the notebook never enforces
                held = f"{row['held']} of {row['runs']}, reported only (an ordering that varies)"
                if row.get("closest"):
                    where = "at the defaults " if row["closest"].get("scope") == "seeds" else ""
                    held += f"; {where}its smallest margin {margin_text(row['closest'])}"
            elif reported:
                held += (f" (+{reported} runs reported only, held in "
                         f"{row['held'] - row['enforced_held']})")  # fmt: skip
            if row.get("seed_runs"):
                held += f"; at the defaults {row['seed_held']} of {row['seed_runs']} seeds"
            if row.get("not_held_at"):
                misses = ["; ".join(f"{k}={v}" for k, v in at.items()) for at in row["not_held_at"]]
                held += (
                    "; not held at " + ", ".join(misses[:6]) + (" ..." if len(misses) > 6 else "")
                )
            lines.append(
                f"| {row['name']} ({row['op']}) | {held} | {margin_text(row['smallest'])} "
                f"| {spread_text(row)} |"
            )
        lines.append("")
    return "\n".join(lines)


def _take_out(rows: dict[str, dict], rerun: dict, count: int) -> bool:
    """Subtract from ``rows`` the first ``count`` claims of a one-run section (the rerun of a
    crashed or stopped run: see merge_sections); False if that cannot be done exactly.

    The rerun evaluates those claims at the same settings with the same values, so an enforced
    one's smallest margin, if the earlier run gave it, is given again by the rerun: it stays."""
    firsts = rerun["claims"][:count]
    if len(rerun["runs"]) != 1 or len(firsts) < count:
        return False
    if any(c["runs"] != 1 for c in firsts):
        return False
    for c in firsts:
        row = rows.get(c["name"])
        if row is None or row["runs"] < 1 or row["enforced_runs"] < c["enforced_runs"]:
            return False
        row["runs"] -= 1
        row["held"] -= c["held"]
        row["enforced_runs"] -= c["enforced_runs"]
        row["enforced_held"] -= c["enforced_held"]
        for margin in c.get("seed_margins") or []:  # a rerun seed gives the same margin again
            if margin in row.get("seed_margins", []):
                row["seed_margins"].remove(margin)
        if "seed_runs" in row and "seed_runs" in c:
            row["seed_runs"] -= c["seed_runs"]
            row["seed_held"] -= c["seed_held"]
            for params in c["not_held_at"]:
                row["not_held_at"].remove(params)
    return True


def merge_sections(sections: list[dict]) -> dict:
    """One notebook's report from the reports of several slices of runs (say seeds 1-10, then
    11-20, then some ends), later slices last.

    The per-claim rows add up exactly. A run may appear twice only if the earlier one failed (a
    crash) or was stopped as too slow: the later one replaces it. A run that had already evaluated
    k claims is taken out only when its rerun is a slice of its own: a notebook evaluates its
    claims in order and, at the same settings and seed, with the same values, so those k are the
    rerun's first k rows, and an enforced one's smallest margin, if the earlier run gave it, is
    given again by the rerun. Any other repeat is an error.
    """
    names = {s["notebook"] for s in sections}
    if len(names) != 1:
        raise ValueError(f"sections of one notebook expected, got {sorted(names)}")
    runs: dict[tuple, dict] = {}
    rows: dict[str, dict] = {}
    for sec in sections:
        for run in sec["runs"]:
            key = (run["kind"], tuple(sorted(run["params"].items())))
            earlier = runs.get(key)
            if earlier is not None and (earlier["status"] not in ("failed", "too slow") or (
                earlier["claims"] and not _take_out(rows, sec, earlier["claims"])
            )):  # fmt: skip
                raise ValueError(f"{sec['notebook']}: run {run['params']} is in two slices")
            runs[key] = run
        for c in sec["claims"]:
            row = rows.setdefault(c["name"], _new_row(c))
            for k in ("runs", "held", "enforced_runs", "enforced_held"):
                row[k] += c[k]
            if (
                "seed_runs" in c and "seed_runs" in row
            ):  # reports made before these counts lack them
                row["seed_runs"] += c["seed_runs"]
                row["seed_held"] += c["seed_held"]
                row["not_held_at"] += c["not_held_at"]
            else:
                for k in ("seed_runs", "seed_held", "not_held_at"):
                    row.pop(k, None)
            if "seed_margins" in c and "seed_margins" in row:  # kept since 2026-12-07
                row["seed_margins"] += c["seed_margins"]
            elif c["enforced_runs"]:  # a slice without margins: no spread for the whole
                row.pop("seed_margins", None)
            scopes = {x.get("scope") for x in (c.get("closest"), row.get("closest")) if x}
            if "closest" in c and "closest" in row and len(scopes) < 2:  # since 2026-12-07
                near = c["closest"]
                if near is not None and (
                    row["closest"] is None or near["margin"] < row["closest"]["margin"]
                ):
                    row["closest"] = near
            else:
                row.pop("closest", None)
            small = c["smallest"]
            if small is not None and (
                row["smallest"] is None or small["margin"] < row["smallest"]["margin"]
            ):
                row["smallest"] = small
    merged = list(runs.values())
    seed_runs = [r for r in merged if r["kind"] == "seed"]
    ok = [r["seconds"] for r in seed_runs if r["status"] in ("ok", "claims failed")]
    return {
        "notebook": names.pop(),
        "date": max(s["date"] for s in sections),
        "seeds": sorted(r["params"]["SEED"] for r in seed_runs),
        "median_seconds": round(statistics.median(ok), 1) if ok else None,
        "runs": merged,
        "claims": list(rows.values()),
    }


def publish(sections: list[dict]) -> None:
    """Replace these notebooks' sections of results/claims.json, keep the others."""
    old = json.loads(PUBLISHED.read_text()) if PUBLISHED.exists() else {"notebooks": []}
    kept = {s["notebook"]: s for s in old["notebooks"]}
    kept.update({s["notebook"]: s for s in sections})
    order = [nb.name for nb in NOTEBOOKS]
    merged = [kept[name] for name in order if name in kept]
    PUBLISHED.parent.mkdir(parents=True, exist_ok=True)
    PUBLISHED.write_text(json.dumps({"machine": machine(), "notebooks": merged}, indent=1) + "\n")
    PUBLISHED.with_suffix(".md").write_text(markdown(merged))


def machine() -> str:
    return f"{os.cpu_count()} CPU cores, {platform.system()}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="notebook name prefixes, e.g. 05")
    parser.add_argument("--seeds", default="1-20", help="seeds to run, e.g. 1-20 or 1,5,9")
    parser.add_argument("--no-ends", action="store_true", help="skip the parameter-range ends")
    parser.add_argument("--jobs", type=int, default=1, help="notebook runs at a time")
    parser.add_argument("--out", default=str(ROOT / "build"), help="folder for claims.json/.md")
    parser.add_argument("--publish", action="store_true", help="update results/claims.json")
    parser.add_argument(
        "--end", action="append", default=[], metavar="NAME",
        help="run only the ends of this parameter's range (NAME), or one end (NAME=VALUE), at the "
             "default seed (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--merge", nargs="+", metavar="FILE",
        help="run nothing: merge the sections of these claims.json files (slices of one report, "
             "in order; results/claims.json may be one of them) into --out, and with --publish "
             "into results/claims.json",
    )  # fmt: skip
    parser.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
        help="run the seeds with this parameter changed too (e.g. -p WINDOW 15): to measure a "
             "claim at the edge of the settings it is made for; implies --no-ends",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.publish and args.parameter:
        raise SystemExit("error: runs with -p changed settings are not the published report")
    if args.end and args.parameter:
        raise SystemExit("error: --end runs a range end at the defaults; -p cannot change them too")
    if args.publish and args.end and not args.merge:
        raise SystemExit("error: --end runs a slice; merge it with --merge to publish it")
    if args.merge:
        by_notebook: dict[str, list[dict]] = {}
        for name in args.merge:
            for sec in json.loads(Path(name).read_text())["notebooks"]:
                by_notebook.setdefault(sec["notebook"], []).append(sec)
        wanted = {nb.name for nb in select(args.only)} if args.only else set(by_notebook)
        sections = [merge_sections(secs) for name, secs in by_notebook.items() if name in wanted]
        return write_report(sections, Path(args.out), args.publish)
    seeds = parse_seeds(args.seeds)
    scratch = Path(tempfile.mkdtemp(prefix="rnn-claims-"))
    sections = []
    for nb in select(args.only):
        fixed = {name: convert(value) for name, value in args.parameter}
        if args.end:
            overrides = [
                o
                for o in end_values(nb)
                if any(f"{k}={v}" in args.end or k in args.end for k, v in o.items())
            ]
            runs = [Run(nb.name, o, "end") for o in overrides]
            print(f"{nb.name}: {len(runs)} range ends of {', '.join(args.end)}", flush=True)
            run_all(runs, args.jobs, scratch)
            sections.append(summarise(nb.name, runs))
            continue
        print(f"{nb.name}: seeds {args.seeds}", flush=True)
        runs = [Run(nb.name, {"SEED": s, **fixed}, "seed") for s in seeds]
        run_all(runs, args.jobs, scratch)
        done = [r.seconds for r in runs if r.status in ("ok", "claims failed")]
        if not args.no_ends and not fixed and done:
            limit = 2 * statistics.median(done)
            ends = [Run(nb.name, o, "end", limit=limit) for o in end_values(nb)]
            print(f"{nb.name}: {len(ends)} range ends, each limited to {limit:.0f} s", flush=True)
            run_all(ends, args.jobs, scratch)
            runs += ends
        sections.append(summarise(nb.name, runs))
    return write_report(sections, Path(args.out), args.publish)


def write_report(sections: list[dict], out: Path, publish_too: bool) -> int:
    out.mkdir(parents=True, exist_ok=True)
    (out / "claims.json").write_text(
        json.dumps({"machine": machine(), "notebooks": sections}, indent=1) + "\n"
    )
    (out / "claims.md").write_text(markdown(sections))
    print(f"\nwritten: {out / 'claims.md'} and claims.json")
    if publish_too:
        publish(sections)
        print(f"published: {PUBLISHED.relative_to(ROOT)} (and .md)")
    failed = [r for s in sections for r in s["runs"] if r["status"] in ("failed", "claims failed")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
