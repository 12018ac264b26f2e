"""Feedback at the end of a practise round: the share of open questions, how much advice,
who did most of the talking, the person's best question and one line to rephrase (both
quoted), each tied to the ICF PCC marker it relates to. Words in data/content/practice.yml."""
import re
from collections import Counter
from typing import Dict, List, Optional, Tuple

from bot.content import load
from bot.practice import coachee
from bot.practice.labeller import LABELS
from bot.reply import Reply

DEPTH_SCORE = {"core": 3, "deeper": 2, "surface": 1, None: 0}
# The kinds of line worth rephrasing, most instructive first.
REPHRASE_ORDER = ("advice", "leading_question", "closed_question")


def _content() -> Dict:
    return load("practice")["feedback"]


def _markers() -> Dict:
    return load("practice")["markers"]


def _has_word(text: str, words: List[str]) -> bool:
    low = text.lower()
    return any(re.search(r"(?<![\w'])" + re.escape(w) + r"(?![\w'])", low) for w in words)


def question_score(text: str, depth: Optional[str]) -> int:
    """How good an open question was: whether the coachee opened up after it, and its shape
    (short, one question at a time, 'what'/'how' rather than 'why', about what matters to
    the person or the outcome they want)."""
    low = text.lower().strip()
    words = len(low.split())
    # Disclosures come out in a fixed order, so how deep one went says more about when the
    # question came than about the question: opening up at all counts, the depth does not.
    score = 3 if depth else 0
    if re.search(r"(^|[.!?]\s+)(so |and )?(what|how)\b", low):
        score += 2
    if re.search(r"(^|[.!?]\s+)(so |and )?why\b", low):
        score -= 1
    score += 2 if 4 <= words <= 16 else -2 if words > 25 else 0
    score += -2 if low.count("?") > 1 else 1
    if _has_word(low, load("practice")["deep_words"]) or _has_word(low, load("practice")["future_words"]):
        score += 2
    return score


def question_marker(text: str) -> Tuple[str, str]:
    """The PCC marker a good open question shows: about the client's values, wants and
    beliefs (7.1), else about the outcome they want (7.4), else a clear open question (7.6)."""
    data = load("practice")
    if _has_word(text, data["deep_words"]):
        return tuple(_markers()["deep_question"])
    if _has_word(text, data["future_words"]):
        return tuple(_markers()["future_question"])
    return tuple(_markers()["open_question"])


def best_move(lines: List[List], depths: List[Optional[str]]) -> Optional[Tuple[int, str]]:
    """(index, kind) of the best open question, else of the reflection or summary that
    opened the coachee up most; None when there is neither."""
    opens = [(question_score(text, depths[i]), -i, i) for i, (text, label, _) in enumerate(lines)
             if label == "open_question"]
    if opens:
        return max(opens)[2], "question"
    listening = [(DEPTH_SCORE.get(depths[i], 0), -i, i) for i, (_, label, _) in enumerate(lines)
                 if label in ("reflection", "summary")]
    if listening:
        return max(listening)[2], "listening"
    return None


def line_to_rephrase(lines: List[List]) -> Optional[int]:
    """The first advice, else the first leading question, else the first closed question."""
    for kind in REPHRASE_ORDER:
        for index, (_, label, _) in enumerate(lines):
            if label == kind:
                return index
    return None


def open_version(text: str, label: str, scenario: Dict) -> str:
    """A more open version of a line: built from the line itself when a rewrite in
    practice.yml fits it ("Have you tried X?" -> "What have you tried so far?"), else the
    scenario's open question for that kind of line."""
    if label in ("closed_question", "leading_question"):
        line = " ".join(text.split()).lower().replace("\u2019", "'")
        for rewrite in load("practice")["rewrites"]:
            match = re.search(rewrite["pattern"], line, re.IGNORECASE)
            if match:
                return rewrite["open"].format(match.group(0), *match.groups())
    return scenario["open_versions"][label]


def _quote(text: str) -> str:
    return " ".join(text.split()).replace('"', "'")


def feedback(state: Dict) -> Reply:
    state = coachee.normalise_state(state)
    data = _content()
    scenario = coachee.scenarios()[state["scenario"]]
    name = coachee.first_name(scenario)
    names = coachee.scenario_names()
    lines, depths = state["lines"], state["depth_by_line"]
    depths = depths + [None] * (len(lines) - len(depths))
    if not lines:
        return Reply(text="\n".join([data["empty"], data["offer"].format(names=names)]),
                     persona="host", technique="practice_feedback")
    count = len(lines)
    labels = Counter(label for _, label, _ in lines)
    parts = [data["heading"].format(name=scenario["name"], count=count,
                                    message_word=data["message_words"]["one" if count == 1 else "many"])]
    parts.append(data["mix"].format(items="; ".join(
        f"{data['labels'][label]}: {labels[label]}" for label in LABELS if labels[label])))
    share = labels["open_question"] / count
    verdict = data["open_verdict"]["high" if share >= 0.6 else "mid" if share >= 0.3 else "low"]
    parts.append(data["open_share"].format(open=labels["open_question"], count=count,
                                           percent=round(100 * share), verdict=verdict))
    advice = labels["advice"]
    if advice:
        parts.append(data["advice_some"].format(
            advice=advice, time_word=data["time_words"]["one" if advice == 1 else "many"],
            first_name=name))
    else:
        parts.append(data["advice_none"].format(first_name=name))
    coach_words = sum(words for _, _, words in lines)
    coachee_words = state["coachee_words"]
    talk_verdict = data["talk_verdict"]["coachee" if coachee_words > coach_words else "coach"]
    parts.append(data["talk"].format(coach_words=coach_words, coachee_words=coachee_words,
                                     first_name=name,
                                     verdict=talk_verdict.format(first_name=name)))
    best = best_move(lines, depths)
    if best is None:
        parts.append(data["best_none"])
    else:
        index, kind = best
        text, label, _ = lines[index]
        depth_words = data["depth_words"].get(depths[index] or "", data["depth_words"]["surface"])
        if kind == "question":
            marker, marker_text = question_marker(text)
            parts.append(data["best"].format(line=_quote(text), first_name=name, depth=depth_words,
                                             marker=marker, marker_text=marker_text))
        else:
            marker, marker_text = _markers()[label]
            parts.append(data["best_reflection"].format(line=_quote(text), first_name=name,
                                                        depth=depth_words, marker=marker,
                                                        marker_text=marker_text))
    index = line_to_rephrase(lines)
    if index is None:
        parts.append(data["rephrase_none"])
    else:
        text, label, _ = lines[index]
        marker, marker_text = _markers()[label]
        parts.append(data["rephrase"].format(line=_quote(text), label=data["label_one"][label],
                                             better=open_version(text, label, scenario),
                                             marker=marker, marker_text=marker_text))
    told = min(state["told"], len(coachee.disclosures(scenario)))
    reached = [depth for depth in depths if depth]
    if reached:
        deepest = max(reached, key=lambda d: DEPTH_SCORE[d])
        parts.append(data["depth_reached"].format(first_name=name, depth=data["depth_words"][deepest],
                                                  told=told, total=len(coachee.disclosures(scenario))))
    parts.append(data["offer"].format(names=names))
    return Reply(text="\n".join(parts), persona="host", technique="practice_feedback")
