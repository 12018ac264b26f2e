"""The benchmark's pure parts: statistics, target evaluation and the rendered report."""
import pytest

from bench import report, stats
from bench.report import Target


# --- statistics ------------------------------------------------------------------------

def test_percentile_interpolates_like_numpy_default():
    values = [15, 20, 35, 40, 50]
    assert stats.percentile(values, 0) == 15
    assert stats.percentile(values, 100) == 50
    assert stats.percentile(values, 50) == 35
    assert stats.percentile(values, 40) == pytest.approx(29.0)  # rank 1.6: 20 + 0.6 * 15
    assert stats.percentile(values, 95) == pytest.approx(48.0)  # rank 3.8: 40 + 0.8 * 10


def test_percentile_ignores_input_order_and_rejects_bad_input():
    assert stats.percentile([3, 1, 2], 50) == 2
    assert stats.percentile([7], 95) == 7
    with pytest.raises(ValueError):
        stats.percentile([], 50)
    with pytest.raises(ValueError):
        stats.percentile([1, 2], 101)


def test_summarize_reports_milliseconds():
    summary = stats.summarize([0.010, 0.020, 0.030, 0.040])
    assert summary["n"] == 4
    assert summary["mean_ms"] == pytest.approx(25.0)
    assert summary["p50_ms"] == pytest.approx(25.0)
    assert summary["max_ms"] == pytest.approx(40.0)
    assert stats.summarize([]) == {"n": 0}


def test_ratio_and_throughput():
    assert stats.ratio(50, 100) == 0.5
    assert stats.ratio(None, 100) is None
    assert stats.ratio(5, 0) is None
    assert stats.throughput(400, 20.0) == 20.0
    with pytest.raises(ValueError):
        stats.throughput(10, 0)


def test_macro_f1_matches_a_hand_computed_case():
    expected = ["a", "a", "b", "b", "c"]
    predicted = ["a", "b", "b", "b", "x"]
    # a: tp1 fn1 -> 2/3; b: tp2 fp1 -> 4/5; c: fn1 -> 0; "x" is no label of its own.
    assert stats.macro_f1(expected, predicted) == pytest.approx((2 / 3 + 4 / 5 + 0) / 3)
    assert stats.accuracy(expected, predicted) == pytest.approx(3 / 5)
    assert stats.macro_f1(["a", "b"], ["a", "b"]) == 1.0


def test_scores_reject_mismatched_lists():
    with pytest.raises(ValueError):
        stats.macro_f1(["a"], ["a", "b"])
    with pytest.raises(ValueError):
        stats.accuracy([], [])


# --- targets ---------------------------------------------------------------------------

def test_ratio_targets_are_inclusive_and_directional():
    at_most = Target("ratio_max", 1.0)
    assert at_most.met(100, 100) is True
    assert at_most.met(101, 100) is False
    at_least = Target("ratio_min", 1.0)
    assert at_least.met(20, 20) is True
    assert at_least.met(19, 20) is False
    assert at_most.met(None, 100) is None
    assert at_most.describe() == "<= 1x" and Target("ratio_max", 1.2).describe() == "<= 1.2x"


def test_absolute_targets_ignore_the_baseline():
    assert Target("abs_max", 180).met(179.9, None) is True
    assert Target("abs_max", 180).met(180.1, 1.0) is False
    assert Target("abs_min", 0.9).met(0.9, None) is True
    assert Target("abs_min", 0.9).met(None, None) is None


def full_results(**overrides):
    results = {
        "ours": {
            "sequential": {"p50_ms": 40.0, "p95_ms": 60.0, "errors": 0, "empty": 0},
            "concurrent": {"throughput_rps": 30.0, "p50_ms": 300, "p95_ms": 500, "errors": 0, "empty": 0},
            "memory_mb": {"rasa": 1100.0, "actions": 130.0},
            "startup_s": 30.0,
            "train_cold_s": 120.0,
            "nlu": {"accuracy": 0.93, "macro_f1": 0.92},
        },
        "baseline": {
            "sequential": {"p50_ms": 50.0, "p95_ms": 60.0, "errors": 0, "empty": 0},
            "concurrent": {"throughput_rps": 25.0, "p50_ms": 350, "p95_ms": 600, "errors": 0, "empty": 0},
            "memory_mb": {"rasa": 1000.0},
            "startup_s": 28.0,
        },
        "meta": {"timestamp": "20250101-000000", "rasa_version": "3.6.21"},
    }
    for path, value in overrides.items():
        side, *keys = path.split("__")
        node = results[side]
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value
    return results


def by_metric(rows):
    return {r.metric: r for r in rows}


def test_all_targets_met_when_every_figure_is_within_bounds():
    rows = report.build_rows(full_results())
    assert all(r.met is not False for r in rows)
    assert report.verdict(rows) == "9 of 9 targets met"
    memory = by_metric(rows)["Peak memory, Rasa server (MB)"]
    assert memory.ratio == pytest.approx(1.1) and memory.met is True


def test_misses_are_flagged_and_named():
    rows = by_metric(report.build_rows(full_results(ours__sequential__p95_ms=61.0, ours__startup_s=34.0)))
    assert rows["Sequential p95 latency (ms)"].met is False
    assert rows["Start-up to first answer (s)"].met is False  # 34 / 28 = 1.21x
    assert rows["Sequential p50 latency (ms)"].met is True
    verdict = report.verdict(list(rows.values()))
    assert verdict.startswith("7 of 9 targets met; missed: Sequential p95")


def test_throughput_needs_zero_errors_on_our_side():
    rows = by_metric(report.build_rows(full_results(ours__concurrent__empty=1)))
    assert rows["Throughput, concurrent users (msg/s)"].met is False
    assert rows["Concurrent errors + empty replies"].ours == 1
    assert rows["Concurrent errors + empty replies"].met is False
    baseline_errors = by_metric(report.build_rows(full_results(baseline__concurrent__errors=3)))
    assert baseline_errors["Throughput, concurrent users (msg/s)"].met is True


def test_missing_figures_are_not_judged():
    results = full_results()
    del results["ours"]["train_cold_s"]  # --skip-train-timing
    rows = by_metric(report.build_rows(results))
    assert rows["Cold training (s)"].met is None
    assert rows["Held-out intent accuracy"].met is None  # information only


# --- rendering -------------------------------------------------------------------------

def test_terminal_table_aligns_columns_and_shows_ratio_and_verdict_cells():
    results = full_results(ours__sequential__p50_ms=75.0)
    text = report.render_table(report.build_rows(results))
    lines = text.splitlines()
    assert lines[0].split() == ["Metric", "Ours", "Baseline", "Ratio", "Target", "Met"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    p50 = next(line for line in lines if line.startswith("Sequential p50"))
    assert p50.split()[-6:] == ["75.0", "50.0", "1.50x", "<=", "1x", "NO"]
    train = next(line for line in lines if line.startswith("Cold training"))
    assert train.split()[-6:] == ["120.0", "-", "-", "<=", "180", "yes"]
    assert len({len(line) for line in lines[:2]}) == 1  # header as wide as the rule


def test_markdown_report_has_one_row_per_metric_and_the_verdict():
    results = full_results()
    results["meta"]["plot"] = "bench-x.png"
    rows = report.build_rows(results)
    text = report.markdown_report(results, rows)
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) == len(rows) + 2
    assert table[0] == "| Metric | Ours | Baseline | Ratio | Target | Met |"
    assert "| Held-out intent macro-F1 | 0.920 | - | - | >= 0.9 | yes |" in table
    assert "9 of 9 targets met." in text
    assert "![latency distribution](bench-x.png)" in text


# --- profile aggregation -----------------------------------------------------------------

def test_profile_aggregates_probe_lines_per_turn_and_per_call():
    from bench.profile import aggregate

    lines = ["nlu.parse\t0.010", "nlu.parse\t0.030", "action.remote\t0.050", "garbage line", ""]
    breakdown = aggregate(lines, turns=2)
    assert breakdown["nlu.parse"] == pytest.approx({"calls_per_turn": 1.0, "ms_per_turn": 20.0, "ms_per_call": 20.0})
    assert breakdown["action.remote"]["calls_per_turn"] == 0.5
    assert breakdown["action.remote"]["ms_per_turn"] == pytest.approx(25.0)
    assert list(breakdown) == ["action.remote", "nlu.parse"]
