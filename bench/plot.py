"""Latency distribution plot (PNG), ours next to the baseline: cumulative distribution of
the sequential turns, the same turns by position in the conversation (Rasa replays the
whole conversation on every turn, so latency grows with its length), and a box plot of
the concurrent turns."""
from pathlib import Path
from typing import Dict, List

import matplotlib

matplotlib.use("Agg")  # no display: the benchmark runs headless
import matplotlib.pyplot as plt  # noqa: E402

COLOURS = {"ours": "#1f77b4", "baseline": "#ff7f0e"}


def latency_plot(sequential_ms: Dict[str, List[float]], concurrent_ms: Dict[str, List[float]],
                 users: int, target: Path) -> Path:
    figure, (left, middle, right) = plt.subplots(1, 3, figsize=(16, 4.4))
    for side, values in sequential_ms.items():
        if not values:
            continue
        ordered = sorted(values)
        fractions = [(i + 1) / len(ordered) for i in range(len(ordered))]
        left.step(ordered, fractions, where="post", label=f"{side} (n={len(ordered)})", color=COLOURS.get(side))
    left.set_xlabel("latency per turn (ms)")
    left.set_ylabel("fraction of turns")
    left.set_title("One user, sequential turns")
    left.axhline(0.5, color="grey", linewidth=0.5, linestyle=":")
    left.axhline(0.95, color="grey", linewidth=0.5, linestyle=":")
    left.grid(alpha=0.3)
    left.legend(loc="lower right")

    for side, values in sequential_ms.items():
        middle.plot(range(1, len(values) + 1), values, ".", markersize=3, label=side, color=COLOURS.get(side))
    middle.set_xlabel("turn number in the one conversation")
    middle.set_ylabel("latency (ms)")
    middle.set_title("Sequential turns by position")
    middle.grid(alpha=0.3)
    middle.legend(loc="upper left")

    sides = [s for s, v in concurrent_ms.items() if v]
    if sides:
        boxes = right.boxplot([concurrent_ms[s] for s in sides], labels=sides, showfliers=True,
                              whis=(5, 95), patch_artist=True)
        for patch, side in zip(boxes["boxes"], sides):
            patch.set_facecolor(COLOURS.get(side, "#cccccc"))
            patch.set_alpha(0.6)
    right.set_ylabel("latency per turn (ms)")
    right.set_title(f"{users} concurrent users (whiskers: p5-p95)")
    right.grid(alpha=0.3, axis="y")
    figure.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, dpi=110)
    plt.close(figure)
    return target
