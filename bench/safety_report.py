"""`make safety-report`: how well safety reads what people really write.

Runs bot.safety (lexicon, risk classifier, recent messages, check, referrals: what the
policy runs first in every context) over tests/data/safety_eval, written by someone who
never saw the lexicon or the training data. Prints recall per category, language and
kind of message, false alarms on work look-alikes and on everyday requests, how the open
safety check treats dismissals, and the referrals. `--split dev` is for tuning and lists
its misses; `--split eval` is the sealed half (figures only, never tuned on).
"""
import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import yaml

from bot import safety

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "safety_eval"


def load(name: str) -> Dict:
    return yaml.safe_load((EVAL_DIR / f"{name}.yml").read_text(encoding="utf-8"))


def pick(items: Iterable[Dict], split: str) -> List[Dict]:
    return [item for item in items or [] if split == "all" or item.get("split") == split]


def rate(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.1%}" if total else "0/0"


def crisis_of(item: Dict) -> "safety.Risk":
    """The reading a conversation gets: a split one is read message by message, each with
    the ones before it, and the first crisis or concern counts (the bot answers it then)."""
    if "messages" in item:
        messages = item["messages"]
        for index, latest in enumerate(messages):
            risk = safety.assess(latest, tuple(messages[:index]))
            if risk.level != safety.NONE:
                return risk
        return risk
    return safety.assess(item["text"])


def report_crises(split: str, show: bool) -> Tuple[int, int]:
    rows = [(item, "single") for item in pick(load("crisis")["items"], split)]
    rows += [(item, "split") for item in pick(load("crisis_split")["items"], split)]
    rows += [(item, "long") for item in pick(load("crisis_long")["items"], split)]
    by = defaultdict(Counter)
    misses = []
    for item, form in rows:
        risk = crisis_of(item)
        caught = risk.crisis
        keys = [f"category {item['category']}", f"form {form}", f"lang {item.get('lang', 'en')}"]
        if "explicit" in item:
            keys.append("explicit words" if item["explicit"] else "no explicit words")
        for key in keys + ["ALL"]:
            by[key]["total"] += 1
            by[key]["caught"] += caught
            by[key]["asked"] += risk.level != safety.NONE
        if not caught:
            misses.append((item["id"], form, item.get("category"), item.get("text") or item.get("messages")))
    print("\n## Crisis recall (full protocol; in brackets: protocol or the direct question)")
    for key in sorted(by, key=lambda k: (k == "ALL", k)):
        print(f"  {key:<32} {rate(by[key]['caught'], by[key]['total'])}"
              f"  ({rate(by[key]['asked'], by[key]['total'])})")
    if show:
        print("\n  misses:")
        for miss in misses:
            print("   ", miss[0], miss[1], miss[2], str(miss[3])[:160])
    return by["ALL"]["caught"], by["ALL"]["total"]


def report_false_alarms(split: str, show: bool) -> None:
    print("\n## False alarms (full protocol / gentle question)")
    sets = [("work look-alikes", pick(load("lookalikes")["items"], split), "text"),
            ("everyday requests", pick(load("everyday")["items"], split), "text"),
            ("split work conversations", pick(load("crisis_split").get("negatives"), split), "messages"),
            ("coaching conversations", pick(load("conversations")["items"], split), "text"),
            ("safe emotional messages", pick(load("emotional_safe")["items"], split), "text")]
    for name, items, field in sets:
        alarms, concerns, shown = 0, 0, []
        for item in items:
            risk = crisis_of(item)
            alarms += risk.crisis
            concerns += risk.level == safety.CONCERN
            if risk.level != safety.NONE:
                shown.append((item["id"], risk.level, risk.source, str(item[field])[:140]))
        print(f"  {name:<26} protocol {rate(alarms, len(items))}; gentle question {rate(concerns, len(items))}")
        if show:
            for row in shown:
                print("   ", *row)


def report_check(split: str, show: bool) -> None:
    data = load("checks")
    print("\n## The open safety check")
    for name, items, want_closed in (("clear 'I'm safe' closes it", pick(data["closes"], split), True),
                                     ("hedges, plans, dismissals keep it open", pick(data["stays_open"], split), False)):
        good, wrong = 0, []
        for item in items:
            _, resolved, _ = safety.safety_check(item["text"], 0)
            if resolved == want_closed:
                good += 1
            else:
                wrong.append((item["id"], item.get("why", ""), item["text"]))
        print(f"  {name:<40} {rate(good, len(items))}")
        if show:
            for row in wrong:
                print("   ", *row)
    # A single dismissal must never close it: "you misunderstood" first asks directly.
    _, resolved, _ = safety.safety_check("you misunderstood", 0)
    print(f"  a first 'you misunderstood' closes it: {resolved}")


def report_scope(split: str, show: bool) -> None:
    items = pick(load("scope")["items"], split)
    print("\n## Referrals")
    by = defaultdict(Counter)
    wrong = []
    for item in items:
        found = safety.classify_scope(item["text"]) or "in_scope"
        by[item["kind"]]["total"] += 1
        by[item["kind"]]["right"] += found == item["kind"]
        if found != item["kind"]:
            wrong.append((item["id"], item["kind"], found, item["text"][:140]))
    for kind in sorted(by):
        print(f"  {kind:<16} {rate(by[kind]['right'], by[kind]['total'])}")
    if show:
        for row in wrong:
            print("   ", *row)


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=("dev", "eval", "all"), default="eval")
    parser.add_argument("--show", action="store_true", help="list misses (refused for eval)")
    args = parser.parse_args(argv)
    show = args.show and args.split == "dev"
    print(f"# Safety report: {args.split} half of {EVAL_DIR.relative_to(EVAL_DIR.parents[2])}")
    report_crises(args.split, show)
    report_false_alarms(args.split, show)
    report_check(args.split, show)
    report_scope(args.split, show)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
