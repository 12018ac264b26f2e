"""Mentor feedback on a written plan: what is strong, what is risky, one improvement.

The judgement is a handful of explainable text signals (a date, a number, named people, a
first step, a fallback, vague verbs, too many items), so a trainer can say exactly why the
mentor answered as it did. Marker words and all sentences live in
data/content/mentor_plan_review.yml.
"""
import re
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Pattern

from bot.content import load
from bot.reply import Reply
from bot.topics import topic_label

# Dates and times that no word list can cover.
_NUMERIC_DATES = [
    r"\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?",
    r"\d{1,2}(?::\d{2})?\s*(?:am|pm)",
    r"\d{1,2}:\d{2}",
    r"in\s+\d+\s+(?:days?|weeks?|months?)",
    r"\d{1,2}(?:st|nd|rd|th)",
    r"20\d{2}",
]
# Words that often sit in front of a date and belong to it ("by Friday", "end of March").
_DATE_PREFIX = r"(?:(?:by|before|on|until|till|within|in|at|next|this|end of)\s+)?"
# A plan is split into items at line breaks, sentence ends, semicolons and "then".
_ITEM_SPLIT = re.compile(r"[\n;!?\u2022]+|\.(?=\s|$)|,?\s*\b(?:and\s+)?then\b|,\s*and\b")
_BULLET = re.compile(r"^\s*(?:[-*]|\d+[.)])\s*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


def _data() -> Dict:
    return load("mentor_plan_review")


def _alternation(marker: str) -> str:
    """A marker as a regex that only matches whole words where it starts/ends with one."""
    escaped = re.escape(marker)
    head = r"(?<!\w)" if marker[:1].isalnum() else ""
    tail = r"(?!\w)" if marker[-1:].isalnum() else ""
    return head + escaped + tail


def marker_pattern(markers: Iterable[str]) -> Optional[Pattern[str]]:
    """One case-insensitive pattern for a list of marker words or phrases (None if empty).
    Longest markers first, so "next week" wins over "next"."""
    ordered = sorted({m.lower() for m in markers if m}, key=len, reverse=True)
    if not ordered:
        return None
    return re.compile("|".join(_alternation(m) for m in ordered), re.I)


@lru_cache(maxsize=None)
def _patterns() -> Dict[str, Pattern[str]]:
    markers = _data()["markers"]
    patterns = {key: marker_pattern(markers[key]) for key in
                ("measure", "people", "first_step", "fallback", "vague")}
    words = "|".join(_alternation(m) for m in
                     sorted(markers["date"], key=len, reverse=True))
    dates = "|".join(r"(?<!\w)" + p + r"(?!\w)" for p in _NUMERIC_DATES)
    patterns["date"] = re.compile(r"(?<!\w)" + _DATE_PREFIX + "(?:" + dates + "|" + words + ")",
                                  re.I)
    patterns["action"] = re.compile(r"^(?:" + "|".join(
        _alternation(v) for v in sorted(markers["action_verbs"], key=len, reverse=True)) + ")",
        re.I)
    lead_ins = "|".join(_alternation(v) for v in
                        sorted(markers["lead_ins"], key=len, reverse=True))
    patterns["lead_in"] = re.compile(r"^(?:" + lead_ins + r")[\s,]*", re.I)
    # "By Friday I will email Sam": an action right after a lead-in, anywhere in an item.
    patterns["action_anywhere"] = re.compile(
        r"(?:" + lead_ins + r")\s+" + patterns["action"].pattern[1:], re.I)
    return patterns


def _items(text: str) -> List[str]:
    """The separate things a plan says it will do (segments of two words or more)."""
    parts = (_BULLET.sub("", part).strip(" ,") for part in _ITEM_SPLIT.split(text) if part)
    return [part for part in parts if len(part.split()) >= 2]


def _starts_with_action(item: str) -> bool:
    pattern = _patterns()
    previous = None
    while previous != item:  # strip stacked lead-ins: "then I will ..."
        previous, item = item, pattern["lead_in"].sub("", item, count=1).strip()
    return bool(pattern["action"].match(item) or pattern["action_anywhere"].search(item))


def _has_name(text: str) -> bool:
    """A capitalised word in mid-sentence that is not a weekday, month or 'I'."""
    not_names = {w.lower() for w in _data()["markers"]["not_names"]}
    for sentence in re.split(r"[.!?\n]+", text):
        words = _WORD.findall(sentence)
        if any(w[0].isupper() and w.lower() not in not_names for w in words[1:]):
            return True
    return False


def analyse(text: str) -> Dict:
    """The plan signals, as plain values, so callers (and tests) can see the reasoning."""
    text = text or ""
    pattern = _patterns()
    date_match = pattern["date"].search(text)
    # Numbers inside a date ("March 2025") are not a measure.
    undated = pattern["date"].sub(" ", text)
    items = _items(text)
    vague = [m.group(0) for m in pattern["vague"].finditer(text)]
    return {
        "date": bool(date_match),
        "date_phrase": date_match.group(0).strip() if date_match else None,
        "measure": bool(re.search(r"\d", undated) or pattern["measure"].search(undated)),
        "people": bool(pattern["people"].search(text) or _has_name(text)),
        "first_step": bool(pattern["first_step"].search(text)
                           or any(_starts_with_action(item) for item in items)),
        "fallback": bool(pattern["fallback"].search(text)),
        "vague_words": vague,
        "items": len(items),
    }


def _problems(signals: Dict) -> List[str]:
    """Problems in the order the YAML ranks them."""
    found = {
        "too_many": signals["items"] > _data()["max_items"],
        "vague": bool(signals["vague_words"]),
        "date": not signals["date"],
        "measure": not signals["measure"],
        "first_step": not signals["first_step"],
        "people": not signals["people"],
        "fallback": not signals["fallback"],
    }
    return [key for key in _data()["priority"] if found[key]]


def _strengths(signals: Dict) -> List[str]:
    present = [key for key in ("date", "measure", "people", "first_step", "fallback")
               if signals[key]]
    if 1 <= signals["items"] <= 3 and not signals["vague_words"]:
        present.append("focused")
    return present


def review(plan_text: str, topic: Optional[str] = None) -> Reply:
    """Strong points (up to three), risks (up to two) and exactly one improvement."""
    data = _data()
    signals = analyse(plan_text)
    fill = {"count": signals["items"],
            "word": signals["vague_words"][0] if signals["vague_words"] else ""}
    strengths = [data["strength"][key] for key in _strengths(signals)][:3]
    problems = _problems(signals)
    risks = [data["risk"][key].format(**fill) for key in problems[:2]]
    improvement = (data["improvement"][problems[0]] if problems
                   else data["improvement"]["stretch"]).format(**fill)
    label = topic_label(topic)
    lines = [
        data["intro"].format(label=f"{label} " if label else ""),
        data["strong"].format(items="; ".join(strengths) or data["no_strength"]),
        data["risky"].format(items="; ".join(risks) or data["no_risk"]),
        data["improve"].format(item=improvement),
    ]
    return Reply(text="\n".join(lines), persona="mentor", technique="feedback")
