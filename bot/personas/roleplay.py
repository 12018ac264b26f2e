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
from typing import Dict, List, Optional, Pattern, Sequence, Tuple

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


# "play a senior peer", "be my new manager", "act as the head of product called Dana",
# "role-play my senior peer Rachel", "please play Nadia, the head of product": the
# counterpart's role (and name) from the person's own words.
_ASK_VERB = r"\b(?:play|be|act as|pretend to be|you're|you are)\s+"
_ROLE = re.compile(_ASK_VERB + r"(my|our|a|an|the)\s+([a-z][a-z \-]{2,40}?)"
                   r"(?:,?\s+(?:called|named)\s+([A-Z][a-z]+)|,?\s+([A-Z][a-z]+)(?![a-z]))?"
                   r"(?=\s+(?:while|who|and|so|when|because|for|to|in|instead|not)\b|[,.!?;]|$)")
_NAME_ROLE = re.compile(_ASK_VERB + r"([A-Z][a-z]+),?\s+(my|our|a|an|the)\s+([a-z][a-z \-]{2,40}?)"
                        r"(?=\s+(?:while|who|and|so|when|because|for|to|in|instead|not)\b|[,.!?;]|$)")
_NAME_ONLY = re.compile(_ASK_VERB + r"([A-Z][a-z]+)\b")
_ARTICLE = {"my": "your", "our": "your"}
# In a scene, only these verbs ask for a different counterpart ("you are ..." may be a line).
_RECAST = re.compile(r"\b(?:play|act as|pretend to be)\b", re.I)
# What the conversation is about, in the person's words: "I have to tell Nadia that ...".
_STAKES = re.compile(r"\b(?:have to|need to|want to|going to|got to|must|should)\s+"
                     r"((?:tell|give|ask|raise|break|explain|say)\b[^.?!]{8,160})", re.I)
_SWAP = {"i": "you", "i'm": "you're", "i've": "you've", "i'd": "you'd", "i'll": "you'll",
         "me": "you", "my": "your", "our": "your", "us": "you", "we": "you", "myself": "yourself",
         "mine": "yours", "am": "are"}


def _role_words(text: str) -> Optional[Dict[str, str]]:
    """{"name", "role"} the person asked the mentor to play (either may be empty)."""
    text = text or ""
    found = _NAME_ROLE.search(text)
    if found:
        return {"name": found.group(1), "article": _ARTICLE.get(found.group(2), found.group(2)),
                "role": found.group(3).strip()}
    found = _ROLE.search(text)
    if found:
        role = found.group(2).strip()
        if role in _data()["not_roles"]:
            return None
        return {"name": found.group(3) or found.group(4) or "",
                "article": _ARTICLE.get(found.group(1), found.group(1)), "role": role}
    found = _NAME_ONLY.search(text)
    if found and found.group(1).lower() not in _data()["not_roles"]:
        return {"name": found.group(1), "article": "", "role": ""}
    return None


def _who(words: Dict[str, str]) -> str:
    role = f"{words['article']} {words['role']}".strip() if words.get("role") else ""
    if words.get("name") and role:
        return f"{words['name']}, {role}"
    return words.get("name") or role


def counterpart(text: str) -> Optional[str]:
    """The role the person asked the mentor to play, as a prefix: "(as your senior peer) "."""
    words = _role_words(text)
    return f"(as {_who(words)}) " if words else None


def stakes(text: str) -> Optional[str]:
    """What the person has to say in the scene, turned to "you": "tell Nadia that the
    redesign can't ship until April 15" -> "you have to tell Nadia that ..."."""
    found = _STAKES.search(text or "")
    if not found:
        return None
    words = found.group(1).strip().split()
    said = " ".join(_SWAP.get(w.lower(), w) if w.lower() in _SWAP else w for w in words)
    # "tell our head of product, Nadia, that ..." is said to the counterpart: "tell me that".
    return re.sub(r"^(tell|give|ask|explain to)\s+[^.?!]{1,60}?,?\s+(that|about|why|for)\b",
                  r"\1 me \2", said, count=1, flags=re.I)


_ADDRESSEE = re.compile(r"\b(?:have to|need to|want to|going to|got to|must|should)\s+"
                        r"(?:tell|give|ask|confront|face|break it to)\s+"
                        r"(?:(my|our|the)\s+([a-z][a-z \-]{2,30}?),?\s+)?([A-Z][a-z]+)\b")


def _addressee(text: str) -> Optional[Dict[str, str]]:
    found = _ADDRESSEE.search(text or "")
    if not found or found.group(3).lower() in _data()["not_roles"]:
        return None
    return {"name": found.group(3), "article": _ARTICLE.get(found.group(1) or "", found.group(1) or ""),
            "role": (found.group(2) or "").strip()}


def _senior(role: str) -> bool:
    return bool(role) and bool(marker_pattern(_data()["senior_roles"]).search(role))


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


def start(text: str, topic: Optional[str] = None,
          earlier: Sequence[str] = ()) -> Tuple[List[Reply], Dict]:
    """Set the scene (guidance), then the counterpart's opening line (role_play). The role,
    name and stakes come from the request or, for "Role-play it", from what the person
    said before it (`earlier`, oldest first)."""
    said = [t for t in [*earlier, text] if t and not t.startswith("/")]
    words = next((w for w in map(_role_words, reversed(said)) if w), None)
    if words is None:
        # "I have to tell our head of product, Nadia, that ...": the person being told.
        words = next((w for w in map(_addressee, reversed(said)) if w), None)
    at_stake = next((s for s in map(stakes, reversed(said)) if s), None)
    everything = " ".join(said)
    key = choose_scenario(everything if not _keyword_hits(text) else text, topic)
    if words and _senior(words["role"]) and key in _data()["senior_replaces"]:
        # Feedback to someone senior, or bad news (anything else) for them.
        key = ("senior_feedback" if key == "negative_feedback"
               or re.search(r"\bfeedback\b", everything, re.I) else "senior_counterpart")
    scenario = _data()["scenarios"][key]
    state = {"scenario": key, "topic": topic, "turn": 0, "lines": [], "stage": 0,
             "used": {}, "finished": False,
             "prefix": f"(as {_who(words)}) " if words else None}
    setup = scenario["setup"]
    if words or (at_stake and key in ("senior_counterpart", "senior_feedback")):
        who = _who(words) if words else scenario["role"]
        about = _data()["setup_stakes"].format(stakes=at_stake) if at_stake else ""
        setup = _data()["setup_own"].format(who=who, about=about)
    state["setup"] = setup
    state["said"] = said[-3:]
    replies = [Reply(text=setup, persona=MENTOR, technique="guidance"),
               _in_character(scenario, scenario["opener"], state)]
    return replies, state


def _keyword_hits(text: str) -> int:
    return sum(len(p.findall(text or "")) for p in
               (_keyword_pattern(k) for k in _data()["scenarios"]) if p)


def restart(state: Dict) -> Tuple[List[Reply], Dict]:
    """The same scene from the top (after feedback too: "let's run it again")."""
    scenario = _data()["scenarios"].get(state.get("scenario")) or \
        _data()["scenarios"][_data()["default_scenario"]]
    fresh = {"scenario": state.get("scenario") if state.get("scenario") in _data()["scenarios"]
             else _data()["default_scenario"], "topic": state.get("topic"), "turn": 0,
             "lines": [], "stage": 0, "used": {}, "finished": False,
             "prefix": state.get("prefix"), "setup": state.get("setup")}
    return [Reply(text=_data()["restart_line"], persona=MENTOR, technique="guidance"),
            _in_character(scenario, scenario["opener"], fresh)], fresh


def is_rerun(text: str) -> bool:
    """Outside a scene, a request to run the last one again ("let's run it again")."""
    normalised = _normalise(text)
    previous = None
    while previous != normalised:  # "ok, can we run it again please"
        previous = normalised
        normalised = re.sub(r"^(?:ok|okay|sure|great|yes|yeah|right|alright|so|please|can we|"
                            r"could we|can you|could you)\s+|\s+(?:please|then|now)$", "",
                            normalised)
    return normalised in {_normalise(p) for p in _data()["rerun"]}


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
    improvements = [data["improve"][key] for key in missing[:1]] or [data["all_done"]]
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


def _aside(text: str) -> List[Reply]:
    from bot.personas import situation_mentor  # it imports this module

    warning = situation_mentor.plan_warning(text)
    if warning is None:
        return []
    return [warning, Reply(text=_data()["back_in_scene"], persona=MENTOR, technique="guidance")]


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
        replies, fresh = restart(state)
        return replies, fresh, False
    if state.get("finished"):
        return [feedback(state)], state, True
    if is_stop(text):
        state["finished"] = True
        return [feedback(state)], state, True
    if _RECAST.search(text or "") and _role_words(text):
        # "No, please play Nadia, our head of product, not my report": the same scene with
        # the person the mentor was asked to play, from the top.
        replies, fresh = start(text, state.get("topic"), state.get("said") or [])
        fresh["said"] = state.get("said") or []
        return replies, fresh, False
    aside = _aside(text)
    if aside:
        # A question to the mentor, not a line in the scene ("I'm thinking of telling her
        # I have a competing offer. I don't actually have one. Good idea?"): answered out
        # of role, and not counted as a turn.
        return aside, state, False
    state["lines"].append(text)
    state["turn"] += 1
    scenario = _scenario(state)
    if state["turn"] >= _data()["turns"]:
        state["finished"] = True
        return [_in_character(scenario, _closing(state), state), feedback(state)], state, True
    return [_in_character(scenario, _reaction(state, text), state)], state, False
