"""helpers.claims and the claims runner's bookkeeping (tools/claims.py), without a kernel."""

from __future__ import annotations

import json

import numpy as np
import pytest

from helpers.claims import CLAIMS_FILE_ENV, KEEP_GOING_ENV, Claim, ClaimFailed, Claims
from tools import claims as runner
from tools.course import NOTEBOOKS


@pytest.fixture(autouse=True)
def _no_claims_file(monkeypatch):
    monkeypatch.delenv(CLAIMS_FILE_ENV, raising=False)
    monkeypatch.delenv(KEEP_GOING_ENV, raising=False)


@pytest.mark.parametrize(
    ("value", "op", "bound", "held", "margin"),
    [
        (0.05, "<=", 0.1, True, 0.05),
        (0.1, "<=", 0.1, True, 0.0),
        (0.1, "<", 0.1, False, 0.0),
        (0.3, ">", 0.2, True, 0.1),
        (0.1, ">=", 0.2, False, -0.1),
    ],
)
def test_claim_verdict_and_margin(value, op, bound, held, margin):
    found = Claim("c", value, op, bound)
    assert found.held is held
    assert found.margin == pytest.approx(margin)


def test_a_holding_claim_returns_its_margin_in_standard_errors():
    claim = Claims(SEED=3)
    assert claim("GRU beats the baseline", -0.004, "<", 0.0, se=0.001, hint="more data") is None
    found = claim.checked[-1]
    assert found.held and found.margin_se == pytest.approx(4.0)
    assert found.settings == {"SEED": 3}
    assert claim.checked == [found]
    assert "4.0 standard errors" in found.describe()


def test_a_failing_claim_names_itself_its_shortfall_settings_and_what_to_try():
    claim = Claims(SEED=13, SEQ_LEN=200, EPOCHS=12)
    with pytest.raises(ClaimFailed) as caught:
        claim("the LSTM learns the adding problem", 1.006, "<=", 0.10,
              hint="raise EPOCHS")  # fmt: skip
    message = str(caught.value)
    assert isinstance(caught.value, AssertionError)
    for part in ("the LSTM learns the adding problem", "1.006", "<= 0.1", "short by 0.906",
                 "SEED=13", "SEQ_LEN=200", "EPOCHS=12", "What to try: raise EPOCHS"):  # fmt: skip
        assert part in message, part


def test_a_claim_not_made_at_these_settings_is_reported_not_raised():
    claim = Claims(SEQ_LEN=200)
    claim("x", 2.0, "<", 1.0, hint="h", when=False)
    found = claim.checked[-1]
    assert not found.held and not found.enforced
    assert "(reported only, not enforced)" in found.describe()


def test_claims_are_written_to_the_file_named_by_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "claims.jsonl"
    monkeypatch.setenv(CLAIMS_FILE_ENV, str(path))
    monkeypatch.setenv(KEEP_GOING_ENV, "1")
    claim = Claims(SEED=1)
    claim("holds", 1.0, ">", 0.0, hint="h")
    claim("fails", 1.0, "<", 0.0, hint="h")  # recorded, not raised, when keeping going
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(r["name"], r["held"]) for r in rows] == [("holds", True), ("fails", False)]
    assert rows[1]["margin"] == -1.0 and rows[0]["settings"] == {"SEED": 1}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "", "value": 1, "op": "<", "bound": 2, "hint": "h"}, "name must be"),
        ({"name": "n", "value": 1, "op": "==", "bound": 2, "hint": "h"}, "op must be one of"),
        ({"name": "n", "value": 1, "op": "<", "bound": 2, "hint": " "}, "hint must say"),
        ({"name": "n", "value": float("nan"), "op": "<", "bound": 2, "hint": "h"}, "finite"),
        ({"name": "n", "value": "1", "op": "<", "bound": 2, "hint": "h"}, "real number"),
        ({"name": "n", "value": 1, "op": "<", "bound": 2, "hint": "h", "se": -1}, "se must be"),
    ],
)
def test_bad_claims_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Claims()(**kwargs)


@pytest.mark.parametrize(
    ("text", "seeds"),
    [("1-20", list(range(1, 21))), ("3", [3]), ("1,5,9", [1, 5, 9]), ("1-3,7,2", [1, 2, 3, 7])],
)
def test_seed_lists(text, seeds):
    assert runner.parse_seeds(text) == seeds


@pytest.mark.parametrize("text", ["a", "5-1", "1-x", "-3"])
def test_bad_seed_lists(text):
    with pytest.raises(SystemExit):
        runner.parse_seeds(text)


def test_ends_are_the_accepted_ranges_of_each_notebook():
    ends = {nb.name: runner.end_values(nb) for nb in NOTEBOOKS}
    first = ends["01_introduction"]
    assert {"N_STEPS": 2} in first and {"N_STEPS": 12} in first
    assert {"ALPHA": 0.01} in first and {"ALPHA": 0.99} in first  # an open range, 1 % inside
    for overrides in ends.values():
        assert all(len(o) == 1 and not ({"SEED", "METRICS_PATH"} & o.keys()) for o in overrides)


def _run(seed, margin, held=True, status="ok", kind="seed", name="c"):
    record = Claim(name, 1.0 - margin, "<", 1.0).record()
    record["held"] = held
    return runner.Run("05", {"SEED": seed}, kind, status=status, seconds=10.0 + seed,
                      claims=[record])  # fmt: skip


def test_summary_counts_each_claim_and_keeps_its_smallest_margin():
    runs = [_run(1, 0.5), _run(2, 0.1), _run(3, -0.2, held=False, status="claims failed")]
    section = runner.summarise("05", runs)
    (row,) = section["claims"]
    assert (row["runs"], row["held"], row["enforced_runs"]) == (3, 2, 3)
    assert row["smallest"]["margin"] == pytest.approx(-0.2) and row["smallest"]["at"] == {"SEED": 3}
    assert section["seeds"] == [1, 2, 3] and section["median_seconds"] == 12.0
    text = runner.markdown([section])
    assert (row["seed_runs"], row["seed_held"], row["not_held_at"]) == (3, 2, [{"SEED": 3}])
    assert "| c (<) | 2 of 3; at the defaults 2 of 3 seeds; not held at SEED=3 |" in text
    assert "claims failed" in text


def _seed_runs(claims: list[Claim]) -> list:
    """One run at the defaults per claim, with SEED = 1, 2, ..."""
    return [
        runner.Run("04", {"SEED": s}, "seed", status="ok", seconds=1.0, claims=[c.record()])
        for s, c in enumerate(claims, 1)
    ]


def test_a_claim_never_enforced_is_counted_as_an_observation():
    runs = _seed_runs([Claim("gru first", v, "<", 1.0, enforced=False) for v in (0.5, 1.5, 0.2)])
    section = runner.summarise("04", runs)
    (row,) = section["claims"]
    assert (row["runs"], row["held"], row["enforced_runs"], row["smallest"]) == (3, 2, 0, None)
    assert "| gru first (<) | 2 of 3, reported only" in runner.markdown([section])


def test_slices_merge_into_the_report_one_run_of_all_would_give():
    runs = [_run(1, 0.5), _run(2, 0.1), _run(3, 0.3), _run(4, 0.2)]
    whole = runner.summarise("05", runs)
    merged = runner.merge_sections([runner.summarise("05", runs[:2]),
                                    runner.summarise("05", runs[2:])])  # fmt: skip
    for key in ("seeds", "median_seconds", "runs", "claims"):
        assert merged[key] == whole[key], key


def test_a_crashed_run_is_replaced_by_its_rerun_and_other_repeats_are_refused():
    crashed = runner.Run("05", {"CHUNK": 10}, "end", status="failed", error="IndexError")
    first = runner.summarise("05", [_run(1, 0.5), crashed])
    rerun = runner.Run("05", {"CHUNK": 10}, "end", status="ok", seconds=3.0,
                       claims=[Claim("c", 0.95, "<", 1.0).record()])  # fmt: skip
    merged = runner.merge_sections([first, runner.summarise("05", [rerun])])
    assert [r["status"] for r in merged["runs"]] == ["ok", "ok"]
    assert merged["claims"][0]["runs"] == 2 and merged["claims"][0]["held"] == 2
    with pytest.raises(ValueError, match="in two slices"):
        runner.merge_sections([first, first])
    with pytest.raises(ValueError, match="one notebook"):
        runner.merge_sections([first, {**first, "notebook": "06"}])


def test_a_crash_after_some_claims_is_taken_out_of_the_rows_by_its_rerun():
    reported = Claim("c", 0.5, "<", 1.0, enforced=False).record()
    crashed = runner.Run("05", {"CHUNK": 10}, "end", status="failed", claims=[reported])
    first = runner.summarise("05", [_run(1, 0.5), crashed])
    later = Claim("d", 2.0, "<", 1.0, enforced=False).record()  # after the crash's cell
    rerun = runner.Run("05", {"CHUNK": 10}, "end", status="ok", claims=[reported, later])
    merged = runner.merge_sections([first, runner.summarise("05", [rerun])])
    c, d = merged["claims"]
    assert (c["runs"], c["held"], c["enforced_runs"]) == (2, 2, 1)  # seed 1 and the rerun
    assert (d["runs"], d["held"], d["enforced_runs"]) == (1, 0, 0)
    made = Claim("c", 0.5, "<", 1.0).record()  # enforced: the rerun repeats its margin
    stopped = runner.Run("05", {"CHUNK": 10}, "end", status="too slow", claims=[made])
    rerun = runner.Run("05", {"CHUNK": 10}, "end", status="ok", claims=[made, later])
    merged = runner.merge_sections([runner.summarise("05", [_run(1, 0.9), stopped]),
                                    runner.summarise("05", [rerun])])  # fmt: skip
    c, d = merged["claims"]
    assert (c["runs"], c["held"], c["enforced_runs"], c["enforced_held"]) == (2, 2, 2, 2)
    assert c["smallest"]["margin"] == pytest.approx(0.5) and c["smallest"]["at"] == {"CHUNK": 10}
    with pytest.raises(ValueError, match="in two slices"):  # a rerun that is not a slice alone
        runner.merge_sections([runner.summarise("05", [stopped]),
                               runner.summarise("05", [rerun, _run(2, 0.5)])])  # fmt: skip


def test_the_seed_spread_says_how_far_the_mean_margin_lies_from_failing():
    margins = [0.30, 0.20, 0.25, 0.35, 0.40, 0.10]
    runs = [_run(seed, m) for seed, m in enumerate(margins, 1)]  # value 1 - m < 1.0
    runs.append(_run(7, 0.01, kind="end"))  # an end is not a draw of the seed's spread
    (row,) = runner.summarise("05", runs)["claims"]
    assert row["seed_margins"] == pytest.approx(margins)
    spread = runner.seed_spread(row)  # a positive value under a positive bar: both scales
    logs = -np.log(1.0 - np.array(margins))
    z_raw = np.mean(margins) / np.std(margins, ddof=1)
    assert spread["n"] == 6 and spread["z_raw"] == pytest.approx(z_raw)
    assert spread["z_log"] == pytest.approx(logs.mean() / logs.std(ddof=1))
    assert spread["z"] == pytest.approx(max(z_raw, spread["z_log"]))
    assert "2.5 s.d., 2.2 on the log scale" in runner.spread_text(row)
    assert "**thin**" in runner.spread_text(row)
    # a difference against 0 (a paired comparison) is judged on its own scale
    raw = _seed_runs([Claim("d", -m, "<", 0.0, se=0.1) for m in margins])
    (raw_row,) = runner.summarise("05", raw)["claims"]
    raw_spread = runner.seed_spread(raw_row)
    assert raw_spread["z_log"] is None
    assert raw_spread["z"] == pytest.approx(np.mean(margins) / np.std(margins, ddof=1))
    wide = [_run(seed, m) for seed, m in enumerate([0.5, 0.52, 0.48, 0.51, 0.49], 1)]
    (wide_row,) = runner.summarise("05", wide)["claims"]
    assert runner.seed_spread(wide_row)["z"] > 10 and "thin" not in runner.spread_text(wide_row)
    assert runner.seed_spread({"seed_margins": [0.5] * 4}) is None  # too few seeds to judge
    assert "no spread" in runner.spread_text({"seed_margins": [0.5] * 5, "op": "<"})


def test_merged_slices_keep_the_seed_margins_and_old_slices_drop_the_spread():
    runs = [_run(seed, 0.1 * seed) for seed in range(1, 7)]
    merged = runner.merge_sections([runner.summarise("05", runs[:3]),
                                    runner.summarise("05", runs[3:])])  # fmt: skip
    assert merged["claims"][0]["seed_margins"] == pytest.approx([0.1 * s for s in range(1, 7)])
    old = runner.summarise("05", runs[:3])
    del old["claims"][0]["seed_margins"]  # a report made before the margins were kept
    mixed = runner.merge_sections([old, runner.summarise("05", runs[3:])])
    assert runner.seed_spread(mixed["claims"][0]) is None


def test_a_range_end_cannot_be_run_with_other_settings_changed():
    with pytest.raises(SystemExit, match="-p cannot change them too"):
        runner.main(["--only", "01", "--end", "ALPHA", "-p", "N_STEPS", "3"])


def test_a_recorded_claim_keeps_its_smallest_margin_for_the_prose_to_cite():
    runs = _seed_runs([Claim("gru first", v, "<", 1.0, enforced=False) for v in (0.5, 1.5, 0.8)])
    section = runner.summarise("04", runs)
    (row,) = section["claims"]
    assert row["closest"]["margin"] == pytest.approx(-0.5) and row["closest"]["at"] == {"SEED": 2}
    assert "its smallest margin -0.5" in runner.markdown([section])
    merged = runner.merge_sections([runner.summarise("04", runs[:1]),
                                    runner.summarise("04", runs[1:])])  # fmt: skip
    assert merged["claims"][0]["closest"] == row["closest"]


def test_a_run_stopped_as_too_slow_is_replaced_by_its_rerun():
    slow = runner.Run("05", {"CHUNK": 10}, "end", status="too slow", seconds=20.0)
    first = runner.summarise("05", [_run(1, 0.5), slow])
    rerun = runner.Run("05", {"CHUNK": 10}, "end", status="ok", seconds=3.0,
                       claims=[Claim("c", 0.95, "<", 1.0).record()])  # fmt: skip
    merged = runner.merge_sections([first, runner.summarise("05", [rerun])])
    assert [r["status"] for r in merged["runs"]] == ["ok", "ok"]
    assert merged["claims"][0]["runs"] == 2
