"""Mentor role-play: the mentor plays the other side of a hard conversation, then steps out
and gives feedback.

The state is a plain JSON-serialisable dict (it lives in a Rasa slot between turns):
    {"scenario": str, "topic": str|None, "turn": int, "lines": [str], "stage": int,
     "used": {pushback kind: times used}, "finished": bool}
The counterpart reacts to simple, explainable signals in what the person says (a clear ask,
evidence, acknowledging the other side, a next step, tone); the feedback is built from the
same signals over all the person's lines. All lines live in data/content/mentor_roleplay.yml.
"""
import copy
import re
from functools import lru_cache
from typing import Dict, List, Optional, Pattern, Tuple

from bot.content import load
from bot.personas.plan_review import marker_pattern
from bot.reply import Reply

MENTOR = "mentor"
SIGNALS = ("ask", "evidence", "acknowledge", "specific", "next_step", "polite")


def _data() -> Dict:
    return load("mentor_roleplay")


def _scenario(state: Dict) -> Dict:
    return _data()["scenarios"][state["scenario"]]


@lru_cache(maxsize=None)
def _pattern(kind: str, scenario: str = "") -> Optional[Pattern[str]]:
    """Marker pattern for a signal; the ask also takes the scenario's own ask words."""
    markers = list(_data()["signals"][kind])
    if kind == "ask" and scenario:
        markers += _data()["scenarios"][scenario].get("ask_extra", [])
    return marker_pattern(markers)


@lru_cache(maxsize=None)
def _keyword_pattern(scenario: str) -> Optional[Pattern[str]]:
    return marker_pattern(_data()["scenarios"][scenario]["keywords"])


def _found(kind: str, text: str, scenario: str = "") -> bool:
    pattern = _pattern(kind, scenario)
    return bool(pattern and pattern.search(text))


def line_signals(text: str, scenario: str) -> Dict[str, bool]:
    """What one of the person's lines does; public so tests and trainers can see why."""
    evidence = bool(re.search(r"\d", text)) or _found("evidence", text)
    specific = evidence or (len(text.split()) >= _data()["specific_min_words"]
                            and not _found("vague", text))
    return {
        "ask": _found("ask", text, scenario),
        "evidence": evidence,
        "acknowledge": _found("acknowledge", text),
        "specific": specific,
        "next_step": _found("next_step", text),
        "polite": not _found("rude", text),
    }


def overall_signals(lines: List[str], scenario: str) -> Dict[str, bool]:
    """Signals over all lines: most count if they happened once; staying specific needs at
    least half the lines, and politeness needs every line."""
    per_line = [line_signals(line, scenario) for line in lines]
    if not per_line:
        return {key: False for key in SIGNALS}
    result = {key: any(s[key] for s in per_line)
              for key in ("ask", "evidence", "acknowledge", "next_step")}
    result["specific"] = sum(s["specific"] for s in per_line) * 2 >= len(per_line)
    result["polite"] = all(s["polite"] for s in per_line)
    return result


def choose_scenario(text: str, topic: Optional[str]) -> str:
    """Most keyword hits in the text wins (ties: YAML order); else by topic; else default."""
    scenarios = _data()["scenarios"]
    best, best_hits = None, 0
    for key in scenarios:
        pattern = _keyword_pattern(key)
        hits = len(pattern.findall(text or "")) if pattern else 0
        if hits > best_hits:
            best, best_hits = key, hits
    if best:
        return best
    for key, scenario in scenarios.items():
        if topic and topic in scenario.get("topics", []):
            return key
    return _data()["default_scenario"]


def has_scenario(topic: Optional[str]) -> bool:
    """Whether a topic has its own scenario (so offering a role-play makes sense)."""
    return any(topic in scenario.get("topics", [])
               for scenario in _data()["scenarios"].values()) if topic else False


def _normalise(text: str) -> str:
    text = (text or "").lower().replace("\u2019", "'")
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s'\-]", " ", text)).strip()


def is_stop(text: str) -> bool:
    """A whole-message stop ("stop", "that's enough") or an explicit "end role-play".
    A longer in-character line that merely contains "stop" does not end the scene."""
    stop = _data()["stop"]
    normalised = _normalise(text)
    if normalised in {_normalise(w) for w in stop["whole"]}:
        return True
    return any(_normalise(phrase) in normalised for phrase in stop["phrases"])


# "play a senior peer", "be my new manager", "act as the head of product called Dana":
# the counterpart's role (and name) from the person's own words.
_ROLE = re.compile(r"\b(?:play|be|act as|pretend to be|you're|you are)\s+"
                   r"(my|a|an|the)\s+([a-z][a-z \-]{2,40}?)"
                   r"(?:\s+(?:called|named)\s+([A-Z][a-z]+))?"
                   r"(?=\s+(?:while|who|and|so|when|because|for|to|in)\b|[,.!?]|$)")


def counterpart(text: str) -> Optional[str]:
    """The role the person asked the mentor to play, as a prefix: "(as my senior peer) "."""
    found = _ROLE.search(text or "")
    if not found:
        return None
    article, role, name = found.group(1), found.group(2).strip(), found.group(3)
    article = "your" if article == "my" else article
    who = f"{name}, {article} {role}" if name else f"{article} {role}"
    return f"(as {who}) "


def _in_character(scenario: Dict, line: str, state: Optional[Dict] = None) -> Reply:
    prefix = (state or {}).get("prefix") or scenario["prefix"]
    return Reply(text=prefix + line, persona=MENTOR, technique="role_play")


def is_restart(text: str) -> bool:
    """"Let's run it again": the same scene from the top."""
    normalised = _normalise(text)
    phrases = [_normalise(p) for p in _data().get("restart", [])]
    return normalised in phrases or any(len(p.split()) > 1 and p in normalised
                                        for p in phrases)


def _best_line(lines: List[str], scenario: str) -> Optional[str]:
    """The person's line with the most signals (ties: the later one), for quoting."""
    if not lines:
        return None
    scored = [(sum(line_signals(line, scenario).values()), i, line)
              for i, line in enumerate(lines)]
    return max(scored)[2].strip()


def start(text: str, topic: Optional[str] = None) -> Tuple[List[Reply], Dict]:
    """Set the scene (guidance), then the counterpart's opening line (role_play)."""
    key = choose_scenario(text, topic)
    scenario = _data()["scenarios"][key]
    state = {"scenario": key, "topic": topic, "turn": 0, "lines": [], "stage": 0,
             "used": {}, "finished": False, "prefix": counterpart(text)}
    replies = [Reply(text=scenario["setup"], persona=MENTOR, technique="guidance"),
               _in_character(scenario, scenario["opener"], state)]
    return replies, state


def _pushback(state: Dict, kind: str) -> str:
    """Rotate through the variants so a repeated pushback doesn't repeat word for word."""
    variants = _scenario(state)["pushback"][kind]
    used = state["used"].get(kind, 0)
    state["used"][kind] = used + 1
    return variants[used % len(variants)]


def _reaction(state: Dict, text: str) -> str:
    """Rude -> call out the tone; a key signal still missing -> push for it; else move the
    conversation on a stage. Acknowledging the other side softens the counterpart."""
    scenario = _scenario(state)
    now = line_signals(text, state["scenario"])
    if not now["polite"]:
        return _pushback(state, "rude")
    so_far = overall_signals(state["lines"], state["scenario"])
    missing = [key for key in scenario["key"] if not so_far[key]]
    if missing:
        line = _pushback(state, missing[0])
    else:
        stages = scenario["stages"]
        line = stages[min(state["stage"], len(stages) - 1)]
        state["stage"] += 1
    return (scenario["soften"] + line) if now["acknowledge"] else line


def _closing(state: Dict) -> str:
    so_far = overall_signals(state["lines"], state["scenario"])
    strong = so_far["ask"] and so_far["evidence"] and so_far["next_step"] and so_far["polite"]
    return _scenario(state)["close_strong" if strong else "close_weak"]


def feedback(state: Dict) -> Reply:
    """Step out of the role: what was strong, what to improve, one line to try next time."""
    data = _data()["feedback"]
    scenario = _scenario(state)
    lines = state["lines"]
    if not lines:
        first_key = scenario["key"][0]
        text = "\n".join([data["opening_empty"],
                          data["try_line"].format(line=scenario["try_next"][first_key]),
                          data["offer"]])
        return Reply(text=text, persona=MENTOR, technique="feedback")
    signals = overall_signals(lines, state["scenario"])
    count = len(lines)
    turn_word = data["turn_words"]["one" if count == 1 else "many"]
    early = count < _data()["turns"]
    opening = data["opening_early" if early else "opening"].format(count=count,
                                                                   turn_word=turn_word)
    strengths = [data["strength"][key] for key in data["order"] if signals[key]]
    missing = [key for key in data["try_order"] if not signals[key]]
    improvements = [data["improve"][key] for key in missing[:2]] or [data["all_done"]]
    next_line = scenario["try_next"][missing[0] if missing else "stretch"]
    best = _best_line(lines, state["scenario"])
    text = "\n".join([
        opening,
        data["strong"].format(items="; ".join(strengths) or data["no_strength"]),
        *([data["quote"].format(line=best)] if best and strengths else []),
        data["improve_line"].format(items="; ".join(improvements)),
        data["try_line"].format(line=next_line),
        data["offer"],
    ])
    return Reply(text=text, persona=MENTOR, technique="feedback")


def turn(state: Dict, text: str) -> Tuple[List[Reply], Dict, bool]:
    """One person turn. Returns (replies, new state, finished); when finished, the last reply
    is the feedback. The given state is not modified."""
    state = copy.deepcopy(state)
    # Tolerate a slot written by an older version or by hand: fill what is missing.
    if state.get("scenario") not in _data()["scenarios"]:
        state["scenario"] = _data()["default_scenario"]
    for key, empty in (("lines", []), ("turn", 0), ("stage", 0), ("used", {})):
        state.setdefault(key, empty)
    if is_restart(text):
        scenario = _scenario(state)
        fresh = {"scenario": state["scenario"], "topic": state.get("topic"), "turn": 0,
                 "lines": [], "stage": 0, "used": {}, "finished": False,
                 "prefix": state.get("prefix")}
        return [Reply(text=_data()["restart_line"], persona=MENTOR, technique="guidance"),
                _in_character(scenario, scenario["opener"], fresh)], fresh, False
    if state.get("finished"):
        return [feedback(state)], state, True
    if is_stop(text):
        state["finished"] = True
        return [feedback(state)], state, True
    state["lines"].append(text)
    state["turn"] += 1
    scenario = _scenario(state)
    if state["turn"] >= _data()["turns"]:
        state["finished"] = True
        return [_in_character(scenario, _closing(state), state), feedback(state)], state, True
    return [_in_character(scenario, _reaction(state, text), state)], state, False
