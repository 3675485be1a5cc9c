"""Execute the course's notebooks in order, headless, and report a table.

    python -m tools.run_notebooks                     # make run: papermill into build/executed/
    python -m tools.run_notebooks --only 03 -p EPOCHS 5
    python -m tools.run_notebooks --in-place          # make outputs: refresh committed outputs
    python -m tools.run_notebooks --bench build/bench.md

Each notebook runs in a child process of its own, so that its wall time and the peak memory of
its kernel are measured separately. The exit status is 1 if any notebook failed, and the last
line names the first failure and its failing cell.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.course import NOTEBOOK_DIR, NOTEBOOKS, ROOT, Notebook

KERNEL = "python3"


def convert(value: str) -> object:
    """Papermill's conversion of ``-p`` values: int, float, True/False/None, else the string."""
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return {"True": True, "False": False, "None": None}.get(value, value)


def clean_for_commit(nb) -> None:
    """Drop metadata that differs per run or machine (timings, paths) from an executed notebook."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)


def execute_one(nb: Notebook, params: dict, out: Path | None, timeout: int) -> dict:
    """Run one notebook in this process; return a result dict (used by the child process)."""
    import nbformat

    started = time.perf_counter()
    result: dict = {"name": nb.name, "status": "ok", "error": None}
    try:
        if out is None:  # in place, no parameters: the committed outputs
            from nbclient import NotebookClient

            data = nbformat.read(nb.path, as_version=4)
            client = NotebookClient(
                data,
                timeout=timeout,
                kernel_name=KERNEL,
                record_timing=False,
                resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
            )
            client.execute()
            clean_for_commit(data)
            nbformat.write(data, nb.path)
        else:
            import papermill as pm

            out.parent.mkdir(parents=True, exist_ok=True)
            pm.execute_notebook(
                str(nb.path),
                str(out),
                parameters=params,
                kernel_name=KERNEL,
                cwd=str(NOTEBOOK_DIR),
                execution_timeout=timeout,
                progress_bar=False,
                log_output=False,
            )
    except Exception as exc:  # noqa: BLE001 - every failure becomes a row in the table
        result["status"] = "FAILED"
        result["error"] = describe_failure(exc)
    result["seconds"] = round(time.perf_counter() - started, 1)
    # the kernel is a child of this process and has been waited for: its peak is counted here
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return result


def describe_failure(exc: Exception) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc).strip().splitlines()[-1] if str(exc) else "")
    count = getattr(exc, "exec_count", None)
    index = getattr(exc, "cell_index", None)
    where = ""
    if count is not None:
        where = f"cell [{count}]"
        if index is not None:
            where += f" (cell index {index})"
        where += ": "
    return f"{where}{ename}: {evalue}"


def run_child(nb: Notebook, params: dict, out: Path | None, timeout: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        result_file = Path(tmp) / "result.json"
        cmd = [
            sys.executable,
            "-m",
            "tools.run_notebooks",
            "--child",
            nb.name,
            "--result",
            str(result_file),
            "--timeout",
            str(timeout),
            "--params-json",
            json.dumps(params),
        ]
        if out is not None:
            cmd += ["--out", str(out)]
        proc = subprocess.run(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for line in proc.stderr.splitlines():  # the kernel's notice about its local TCP channels
            if "Kernel is running over TCP without encryption" not in line:
                print(line, file=sys.stderr)
        if proc.returncode != 0 or not result_file.exists():
            return {
                "name": nb.name,
                "status": "FAILED",
                "seconds": 0.0,
                "peak_mb": 0,
                "error": f"runner exited with status {proc.returncode}",
            }
        return json.loads(result_file.read_text())


def select(only: list[str]) -> list[Notebook]:
    if not only:
        return NOTEBOOKS
    chosen = [nb for nb in NOTEBOOKS if any(nb.name.startswith(o) for o in only)]
    if not chosen:
        names = ", ".join(nb.name for nb in NOTEBOOKS)
        raise SystemExit(f"error: --only {' '.join(only)} matches no notebook (known: {names})")
    return chosen


def table(rows: list[dict]) -> str:
    lines = [f"{'notebook':<32} {'seconds':>8} {'peak MB':>8}  status", "-" * 68]
    for r in rows:
        secs = f"{r['seconds']:.1f}" if r.get("seconds") is not None else "-"
        peak = f"{r['peak_mb']:.0f}" if r.get("peak_mb") else "-"
        status = r["status"] if not r.get("error") else f"{r['status']}: {r['error']}"
        lines.append(f"{r['name']:<32} {secs:>8} {peak:>8}  {status}")
    return "\n".join(lines)


def write_bench(path: Path, rows: list[dict], metrics_file: Path) -> None:
    ran = [r for r in rows if r.get("seconds") is not None]
    total = sum(r["seconds"] for r in ran)
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    md = [
        "# Course benchmark",
        "",
        f"- date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- machine: {os.cpu_count()} CPU cores ({cpu}), {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        "- command: `make bench` (every notebook with its default parameters)",
        f"- load average when it finished: {os.getloadavg()[0]:.2f} (1 min); on a shared machine,"
        " compare runs by their ratios rather than their seconds",
        "",
        "| notebook | seconds | peak memory (MB) | status |",
        "| --- | ---: | ---: | --- |",
    ]
    for r in rows:
        secs = f"{r['seconds']:.1f}" if r.get("seconds") is not None else "-"
        md.append(f"| {r['name']} | {secs} | {r.get('peak_mb') or '-'} | {r['status']} |")
    md += ["", f"Whole course: {total:.1f} s.", ""]
    if metrics_file.exists():
        m = json.loads(metrics_file.read_text())
        md += [
            "## Notebook 06: one-step forecast on the test windows",
            "",
            f"Seed {m['seed']}. Baselines: naive persistence MSE {m['naive']:.5f}, linear "
            f"autoregression {m['linear_ar']:.5f}, oracle floor {m['oracle']:.5f}.",
            "",
            "| model | test MSE | ÷ linear AR | ÷ oracle | parameters | training seconds |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, row in m["models"].items():
            md.append(
                f"| {name} | {row['test_mse']:.5f} | {row['test_mse'] / m['linear_ar']:.3f} | "
                f"{row['test_mse'] / m['oracle']:.3f} | {row['params']} | "
                f"{row['train_seconds']:.1f} |"
            )
        md.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(md))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute the course notebooks headless.")
    parser.add_argument("--only", nargs="*", default=[], help="notebook name prefixes, e.g. 03")
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="papermill parameter override",
    )
    parser.add_argument("--in-place", action="store_true", help="refresh committed outputs")
    parser.add_argument("--out-dir", default=str(ROOT / "build" / "executed"))
    parser.add_argument("--bench", metavar="FILE", help="also write a benchmark report here")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--params-json", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        nb = next(nb for nb in NOTEBOOKS if nb.name == args.child)
        out = Path(args.out) if args.out else None
        result = execute_one(nb, json.loads(args.params_json), out, args.timeout)
        Path(args.result).write_text(json.dumps(result))
        return 0

    if args.in_place and args.parameter:
        raise SystemExit("error: --in-place runs the defaults; parameters are not allowed")
    params = {name: convert(value) for name, value in args.parameter}
    metrics_file = ROOT / "build" / "bench_metrics_06.json"
    rows: list[dict] = []
    for nb in select(args.only):
        if not nb.path.exists():
            rows.append({"name": nb.name, "status": "not written yet", "seconds": None})
            continue
        nb_params = dict(params)
        if args.bench and nb.name.startswith("06"):
            metrics_file.unlink(missing_ok=True)
            nb_params["METRICS_PATH"] = str(metrics_file)
        out = None if args.in_place else Path(args.out_dir) / nb.filename
        print(f"running {nb.filename} ...", flush=True)
        rows.append(run_child(nb, nb_params, out, args.timeout))
    print()
    print(table(rows))
    ran = [r for r in rows if r.get("seconds") is not None]
    print(
        f"\n{len(ran)} notebook(s) executed in {sum(r['seconds'] for r in ran):.1f} s"
        + ("" if args.in_place else f"; outputs in {os.path.relpath(args.out_dir, ROOT)}/")
    )
    if args.bench:
        write_bench(Path(args.bench), rows, metrics_file)
        print(f"benchmark written to {args.bench}")
    failed = [r for r in rows if r["status"] == "FAILED"]
    if failed:
        first = failed[0]
        print(f"error: {first['name']}.ipynb failed, {first['error']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
