"""Execute the course's notebooks in order, headless, with papermill, and report a table.

    python -m tools.run_notebooks                     # make run: into build/executed/
    python -m tools.run_notebooks --only 03 -p EPOCHS 5
    python -m tools.run_notebooks --in-place          # make outputs: refresh committed outputs
    python -m tools.run_notebooks --bench build/bench.md
    python -m tools.run_notebooks --fresh-install     # make colab: as a notebook opened alone

With ``--fresh-install`` each notebook runs from a copy in an empty temporary folder, outside this
checkout, so that its setup cell finds no helpers and installs them with pip from the repository
URL at the pinned commit, as in Colab; git is pointed from that URL to a clone of this repository,
so nothing is fetched from GitHub (and the helpers installed are the committed ones).

The table gives each notebook's wall time and the peak memory of its kernel (sampled, in MB), and
the exit status is 1 if any notebook failed; the last line names the first failure and its cell.
With ``--in-place`` each notebook is written back cleaned for committing: no papermill metadata,
no outputs under solution cells (a learner runs them), no terminal colour codes in plain text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tools.course import NOTEBOOKS, ROOT, Notebook, repository

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def convert(value: str) -> object:
    """Papermill's conversion of ``-p`` values: int, float, True/False/None, else the string."""
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return {"True": True, "False": False, "None": None}.get(value, value)


def clean_for_commit(nb) -> None:
    """Drop what differs per run or machine, and what a learner should produce themselves."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if cell.metadata.get("tags") == []:  # papermill gives every cell an empty tag list
            del cell.metadata["tags"]
        if cell.cell_type != "code":
            continue
        if "solution" in cell.metadata.get("tags", []):
            cell.outputs = []  # the answer appears when the learner runs the solution
        for out in cell.outputs:
            if out.output_type == "stream":
                out.text = ANSI.sub("", out.text)
            for mime, value in out.get("data", {}).items():
                if mime == "text/plain" and isinstance(value, str):
                    out.data[mime] = ANSI.sub("", value)


class PeakMemory:
    """Sample the summed resident memory of this process's children (the kernel) in MB."""

    def __init__(self, every: float = 0.2) -> None:
        import psutil

        self._me, self._every, self.peak_mb = psutil.Process(), every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self._every):
            total = 0
            for child in self._me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except Exception:  # a child may end between listing and reading
                    pass
            self.peak_mb = max(self.peak_mb, total / 2**20)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "course", "GIT_AUTHOR_EMAIL": "course@localhost",
    "GIT_COMMITTER_NAME": "course", "GIT_COMMITTER_EMAIL": "course@localhost",
}  # fmt: skip


def repository_clone(destination: Path) -> dict[str, str]:
    """Clone this repository (its commits, not the work tree's uncommitted changes) into
    ``destination``; the clone holds the commit the notebooks pin ``helpers`` to.

    Returns the environment variables that make git (and so pip) fetch the course's GitHub URL
    from that clone instead.
    """
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(destination)],
        env={**os.environ, **GIT_ENV}, check=True, capture_output=True,
    )  # fmt: skip
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.file://{destination}.insteadOf",
        "GIT_CONFIG_VALUE_0": f"https://github.com/{repository()}",
    }


def describe_failure(exc: Exception) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc).strip().splitlines()[-1] if str(exc) else "")
    count = getattr(exc, "exec_count", None)
    return f"{f'cell [{count}]: ' if count is not None else ''}{ename}: {evalue}"


def execute(
    nb: Notebook, params: dict, out: Path, timeout: int, source: Path | None = None
) -> dict:
    """Run one notebook (or its copy ``source``) with papermill into ``out``; return its row."""
    import nbformat
    import papermill as pm

    source = nb.path if source is None else source

    out.parent.mkdir(parents=True, exist_ok=True)
    in_place = out == nb.path
    # in place, papermill writes a scratch copy: a failed run must not replace the notebook
    target = ROOT / "build" / "in-place" / nb.filename if in_place else out
    target.parent.mkdir(parents=True, exist_ok=True)
    row: dict = {"name": nb.name, "status": "ok", "error": None}
    started = time.perf_counter()
    with PeakMemory() as memory:
        try:
            pm.execute_notebook(
                str(source),
                str(target),
                parameters=params,
                kernel_name="python3",
                cwd=str(source.parent),
                execution_timeout=timeout,
                progress_bar=False,
                log_output=False,
                # no notice about the kernel's local TCP channels on the runner's stderr
                extra_arguments=["--IPKernelApp.log_level=ERROR"],
            )
        except Exception as exc:  # every failure becomes a row in the table
            row.update(status="FAILED", error=describe_failure(exc))
    row.update(seconds=round(time.perf_counter() - started, 1), peak_mb=round(memory.peak_mb))
    if in_place and row["status"] == "ok":
        book = nbformat.read(target, as_version=4)
        clean_for_commit(book)
        nbformat.write(book, out)
        target.unlink()
    elif in_place:
        row["error"] += f" (the notebook is unchanged; the failed run is in {target})"
    return row


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
        status = r["status"] if not r["error"] else f"{r['status']}: {r['error']}"
        lines.append(f"{r['name']:<32} {r['seconds']:>8.1f} {r['peak_mb']:>8}  {status}")
    return "\n".join(lines)


def write_bench(path: Path, rows: list[dict]) -> None:
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
        "| notebook | seconds | peak kernel memory (MB) | status |",
        "| --- | ---: | ---: | --- |",
        *(f"| {r['name']} | {r['seconds']:.1f} | {r['peak_mb']} | {r['status']} |" for r in rows),
        "",
        f"Whole course: {sum(r['seconds'] for r in rows):.1f} s.",
        "",
    ]
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
    parser.add_argument(
        "--fresh-install", action="store_true", help="run copies alone, installing helpers"
    )
    args = parser.parse_args(argv)
    if args.in_place and (args.parameter or args.fresh_install):
        raise SystemExit("error: --in-place runs the notebooks as they are, with their defaults")
    params = {name: convert(value) for name, value in args.parameter}
    scratch = Path(tempfile.mkdtemp(prefix="rnn-course-")) if args.fresh_install else None
    if scratch is not None:
        os.environ.update(repository_clone(scratch / "repo"))
        os.environ["PIP_NO_BUILD_ISOLATION"] = "0"  # build helpers with this Python's setuptools
    rows = []
    for nb in select(args.only):
        out = nb.path if args.in_place else Path(args.out_dir) / nb.filename
        source = None
        if scratch is not None:  # the notebook alone in an empty folder, outside any checkout
            (scratch / nb.name).mkdir()
            source = Path(shutil.copy2(nb.path, scratch / nb.name / nb.filename))
        print(f"running {nb.filename} ...", flush=True)
        rows.append(execute(nb, params, out, args.timeout, source))
    print(f"\n{table(rows)}\n")
    where = "" if args.in_place else f"; outputs in {os.path.relpath(args.out_dir, ROOT)}/"
    print(f"{len(rows)} notebook(s) executed in {sum(r['seconds'] for r in rows):.1f} s{where}")
    if args.bench:
        write_bench(Path(args.bench), rows)
        print(f"benchmark written to {args.bench}")
    failed = [r for r in rows if r["status"] == "FAILED"]
    if failed:
        print(f"error: {failed[0]['name']}.ipynb failed, {failed[0]['error']}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
