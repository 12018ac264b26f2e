"""Latency statistics and classification scores, in plain Python (no numpy/sklearn needed,
so the report code is testable anywhere and the numbers match the documented method)."""
import math
from typing import Dict, Iterable, List, Optional, Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between closest ranks,
    the same method as numpy's default, so figures can be checked by hand."""
    if not values:
        raise ValueError("percentile of an empty sequence")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize(latencies_s: Sequence[float]) -> Dict[str, float]:
    """Count and latency figures in milliseconds (inputs in seconds)."""
    if not latencies_s:
        return {"n": 0}
    ms = [v * 1000.0 for v in latencies_s]
    return {
        "n": len(ms),
        "mean_ms": sum(ms) / len(ms),
        "p50_ms": percentile(ms, 50),
        "p90_ms": percentile(ms, 90),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "max_ms": max(ms),
    }


def ratio(ours: Optional[float], baseline: Optional[float]) -> Optional[float]:
    """ours / baseline, or None when either side is missing or the baseline is zero."""
    if ours is None or baseline is None or baseline == 0:
        return None
    return ours / baseline


def throughput(messages: int, wall_s: float) -> float:
    """Answered messages per second of wall time."""
    if wall_s <= 0:
        raise ValueError("wall time must be positive")
    return messages / wall_s


def accuracy(expected: Sequence[str], predicted: Sequence[str]) -> float:
    if len(expected) != len(predicted) or not expected:
        raise ValueError("need two non-empty label lists of the same length")
    return sum(e == p for e, p in zip(expected, predicted)) / len(expected)


def macro_f1(expected: Sequence[str], predicted: Sequence[str], labels: Optional[Iterable[str]] = None) -> float:
    """Unweighted mean of per-label F1 over `labels` (default: the expected labels), as
    sklearn's f1_score(average="macro", labels=sorted(set(expected)), zero_division=0):
    a prediction outside those labels still counts as a miss."""
    if len(expected) != len(predicted) or not expected:
        raise ValueError("need two non-empty label lists of the same length")
    chosen: List[str] = sorted(set(expected) if labels is None else set(labels))
    scores = []
    for label in chosen:
        tp = sum(e == label and p == label for e, p in zip(expected, predicted))
        fp = sum(e != label and p == label for e, p in zip(expected, predicted))
        fn = sum(e == label and p != label for e, p in zip(expected, predicted))
        denominator = 2 * tp + fp + fn
        scores.append(2 * tp / denominator if denominator else 0.0)
    return sum(scores) / len(scores)
