"""The comparison table: metrics of both bots, their ratio, and whether each target is met.

`build_rows(results)` reads the results dictionary that bench.run fills (see RESULT KEYS
below); rendering is separate so the same rows give the terminal table and the markdown.

RESULT KEYS (per side, "ours" and "baseline"; missing keys show as "-"):
  sequential: {p50_ms, p95_ms, n, errors, empty,        from stats.summarize + counts
               cpu_ms_per_turn_rasa, cpu_ms_per_turn_actions}
  concurrent: {throughput_rps, p50_ms, p95_ms, errors, empty, messages, wall_s}
  memory_mb:  {rasa, actions}                           peak resident set (VmHWM)
  startup_s                                             process start to first REST reply
  train_cold_s                                          ours only
  nlu: {accuracy, macro_f1, n}                          ours only (held-out test set)
"""
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from bench.stats import ratio as ratio_of

# Targets of the performance issue. Ratios are ours / baseline.
MAX_LATENCY_RATIO = 1.0
MIN_THROUGHPUT_RATIO = 1.0
MAX_MEMORY_RATIO = 1.2
MAX_STARTUP_RATIO = 1.2
MAX_COLD_TRAIN_S = 180.0
MIN_MACRO_F1 = 0.90


@dataclass(frozen=True)
class Target:
    """kind: ratio_max | ratio_min (ours/baseline), abs_max | abs_min (ours alone)."""
    kind: str
    limit: float

    def describe(self) -> str:
        symbol = "<=" if self.kind.endswith("max") else ">="
        if self.kind.startswith("ratio"):
            return f"{symbol} {self.limit:g}x"
        return f"{symbol} {self.limit:g}"

    def met(self, ours: Optional[float], baseline: Optional[float]) -> Optional[bool]:
        """None when it cannot be judged (a figure is missing)."""
        if self.kind.startswith("ratio"):
            value = ratio_of(ours, baseline)
        else:
            value = ours
        if value is None:
            return None
        return value <= self.limit if self.kind.endswith("max") else value >= self.limit


@dataclass
class Row:
    metric: str
    ours: Optional[float]
    baseline: Optional[float]
    fmt: str = "{:.1f}"
    target: Optional[Target] = None
    target_text: str = ""
    met: Optional[bool] = None

    @property
    def ratio(self) -> Optional[float]:
        return ratio_of(self.ours, self.baseline)


def _get(results: Dict[str, Any], side: str, *keys: str) -> Optional[float]:
    node: Any = results.get(side, {})
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _errors(results: Dict[str, Any], side: str, phase: str) -> Optional[float]:
    errors, empty = _get(results, side, phase, "errors"), _get(results, side, phase, "empty")
    if errors is None and empty is None:
        return None
    return (errors or 0) + (empty or 0)


def _row(metric: str, ours, baseline, fmt: str = "{:.1f}", target: Optional[Target] = None) -> Row:
    row = Row(metric, ours, baseline, fmt, target)
    if target is not None:
        row.target_text = target.describe()
        row.met = target.met(ours, baseline)
    return row


def build_rows(results: Dict[str, Any]) -> List[Row]:
    g = _get
    seq_errors = (_errors(results, "ours", "sequential"), _errors(results, "baseline", "sequential"))
    conc_errors = (_errors(results, "ours", "concurrent"), _errors(results, "baseline", "concurrent"))
    rows = [
        _row("Sequential p50 latency (ms)", g(results, "ours", "sequential", "p50_ms"),
             g(results, "baseline", "sequential", "p50_ms"), target=Target("ratio_max", MAX_LATENCY_RATIO)),
        _row("Sequential p95 latency (ms)", g(results, "ours", "sequential", "p95_ms"),
             g(results, "baseline", "sequential", "p95_ms"), target=Target("ratio_max", MAX_LATENCY_RATIO)),
        _row("Sequential errors + empty replies", *seq_errors, fmt="{:.0f}", target=Target("abs_max", 0)),
        _row("Throughput, concurrent users (msg/s)", g(results, "ours", "concurrent", "throughput_rps"),
             g(results, "baseline", "concurrent", "throughput_rps"), fmt="{:.2f}",
             target=Target("ratio_min", MIN_THROUGHPUT_RATIO)),
        _row("Concurrent p50 latency (ms)", g(results, "ours", "concurrent", "p50_ms"),
             g(results, "baseline", "concurrent", "p50_ms")),
        _row("Concurrent p95 latency (ms)", g(results, "ours", "concurrent", "p95_ms"),
             g(results, "baseline", "concurrent", "p95_ms")),
        _row("Concurrent errors + empty replies", *conc_errors, fmt="{:.0f}", target=Target("abs_max", 0)),
        _row("Peak memory, Rasa server (MB)", g(results, "ours", "memory_mb", "rasa"),
             g(results, "baseline", "memory_mb", "rasa"), fmt="{:.0f}", target=Target("ratio_max", MAX_MEMORY_RATIO)),
        _row("Peak memory, action server (MB)", g(results, "ours", "memory_mb", "actions"),
             g(results, "baseline", "memory_mb", "actions"), fmt="{:.0f}"),
        _row("Start-up to first answer (s)", g(results, "ours", "startup_s"), g(results, "baseline", "startup_s"),
             target=Target("ratio_max", MAX_STARTUP_RATIO)),
        _row("Cold training (s)", g(results, "ours", "train_cold_s"), g(results, "baseline", "train_cold_s"),
             target=Target("abs_max", MAX_COLD_TRAIN_S)),
        _row("Rasa server CPU per sequential turn (ms)",
             g(results, "ours", "sequential", "cpu_ms_per_turn_rasa"),
             g(results, "baseline", "sequential", "cpu_ms_per_turn_rasa")),
        _row("Action server CPU per sequential turn (ms)",
             g(results, "ours", "sequential", "cpu_ms_per_turn_actions"),
             g(results, "baseline", "sequential", "cpu_ms_per_turn_actions")),
        _row("Held-out intent accuracy", g(results, "ours", "nlu", "accuracy"), None, fmt="{:.3f}"),
        _row("Held-out intent macro-F1", g(results, "ours", "nlu", "macro_f1"), None, fmt="{:.3f}",
             target=Target("abs_min", MIN_MACRO_F1)),
    ]
    # Throughput counts only with zero errors on our side.
    throughput = rows[3]
    throughput.target_text += ", 0 errors"
    if throughput.met is not None and conc_errors[0] is not None:
        throughput.met = throughput.met and conc_errors[0] == 0
    return rows


def _cells(row: Row) -> List[str]:
    def value(v):
        return "-" if v is None else row.fmt.format(v)

    r = row.ratio
    return [
        row.metric,
        value(row.ours),
        value(row.baseline),
        "-" if r is None else f"{r:.2f}x",
        row.target_text or "-",
        {True: "yes", False: "NO", None: "-"}[row.met],
    ]


HEADER = ["Metric", "Ours", "Baseline", "Ratio", "Target", "Met"]


def render_table(rows: List[Row]) -> str:
    """Fixed-width plain-text table for the terminal."""
    lines = [HEADER] + [_cells(r) for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]

    def fmt(cells):
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:])]
        return "  ".join([first] + rest).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(lines[0]), rule] + [fmt(c) for c in lines[1:]])


def render_markdown(rows: List[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(["---"] + ["---:"] * 5) + "|"]
    lines += ["| " + " | ".join(_cells(r)) + " |" for r in rows]
    return "\n".join(lines)


def verdict(rows: List[Row]) -> str:
    judged = [r for r in rows if r.met is not None]
    missed = [r.metric for r in judged if not r.met]
    text = f"{len(judged) - len(missed)} of {len(judged)} targets met"
    return text + (f"; missed: {', '.join(missed)}" if missed else "")


def markdown_report(results: Dict[str, Any], rows: List[Row]) -> str:
    """The results/bench-<timestamp>.md document."""
    meta = results.get("meta", {})
    lines = [
        f"# Benchmark {meta.get('timestamp', '')}",
        "",
        f"Ours: {meta.get('ours_model', '?')}; baseline: stock `rasa init` bot; Rasa {meta.get('rasa_version', '?')}; "
        f"{meta.get('cpus', '?')} CPUs; load average at start {meta.get('loadavg_start', '?')}, "
        f"at end {meta.get('loadavg_end', '?')}.",
        f"Ours trained from: {meta.get('served_config') or 'config.yml, the model built by make train'}; "
        f"code patches tried: {meta.get('patch') or 'none'}; "
        f"our lock store: {meta.get('lock_store', 'in-memory')}.",
        f"Sequential: {meta.get('sequential_messages', '?')} messages, one user, interleaved ours/baseline. "
        f"Concurrent: {meta.get('users', '?')} users x {meta.get('per_user', '?')} messages "
        "(ABBA halves: ours, baseline, baseline, ours).",
        "",
        render_markdown(rows),
        "",
        verdict(rows) + ".",
    ]
    if meta.get("plot"):
        lines += ["", f"![latency distribution]({meta['plot']})"]
    return "\n".join(lines) + "\n"
