"""Practise coaching: the bot plays a coachee from the scenario library while the person
practises being the coach.

The state is a plain JSON-serialisable dict (it lives in the Rasa slot `practice_state`):
    {"scenario": str, "told": int, "lines": [[text, label, words]], "coachee_words": int,
     "used": {reply kind: times used}, "depth_by_line": [depth released or None]}
Each open question, reflection or summary releases the next disclosure (surface, then
deeper, then the core insight); closed and leading questions and advice get a short,
guarded reply in character and release nothing. All lines live in
data/content/practice_scenarios.yml and data/content/practice.yml.
"""
import copy
import re
from typing import Dict, List, Optional, Tuple

from bot.content import load
from bot.practice import labeller
from bot.reply import Reply

HOST = "host"
DEPTHS = ("surface", "deeper", "core")
# Moves that make the coachee open up.
OPENING_MOVES = {"open_question", "reflection", "summary"}


def scenarios() -> Dict[str, Dict]:
    return load("practice_scenarios")["scenarios"]


def _content() -> Dict:
    return load("practice")


def first_name(scenario: Dict) -> str:
    return scenario["prefix"].split(":")[0].strip()


def scenario_names() -> str:
    return "; ".join(s["name"] for s in scenarios().values())


def disclosures(scenario: Dict) -> List[Tuple[str, str]]:
    """(depth, line) in the order the coachee tells them."""
    return [(depth, line) for depth in DEPTHS for line in scenario["disclosures"][depth]]


def choose_scenario(text: str, rounds_done: int = 0) -> str:
    """Most keyword hits in the request wins (ties: YAML order); else the next scenario in
    turn, so repeated rounds meet different coachees."""
    text = (text or "").lower()
    best, best_hits = None, 0
    for key, scenario in scenarios().items():
        hits = sum(1 for word in scenario["keywords"]
                   if re.search(r"(?<![\w'])" + re.escape(word.lower()) + r"(?![\w'])", text))
        if hits > best_hits:
            best, best_hits = key, hits
    if best:
        return best
    keys = list(scenarios())
    return keys[rounds_done % len(keys)]


def _say(text: str, technique: str = "practice", **extra) -> Reply:
    return Reply(text=text, persona=HOST, technique=technique,
                 extra={k: v for k, v in extra.items() if v is not None})


def start(text: str, rounds_done: int = 0) -> Tuple[List[Reply], Dict]:
    """The host's brief, then the coachee's opening line."""
    key = choose_scenario(text, rounds_done)
    scenario = scenarios()[key]
    state = {"scenario": key, "told": 0, "lines": [], "coachee_words": _words(scenario["opening"]),
             "used": {}, "depth_by_line": []}
    intro = _content()["intro"].format(name=first_name(scenario), setup=scenario["setup"])
    replies = [_say(intro, practice_scenario=key),
               _say(scenario["prefix"] + scenario["opening"], practice_scenario=key,
                    practice_role="coachee")]
    return replies, state


def _words(text: str) -> int:
    return len(re.findall(r"[\w']+", text or ""))


def _rotate(state: Dict, kind: str, options: List[str]) -> str:
    used = state["used"].get(kind, 0)
    state["used"][kind] = used + 1
    return options[used % len(options)]


def advised_action(text: str) -> Optional[str]:
    """The action a piece of advice proposes, in the coachee's words: "You should talk to
    your manager." -> "talk to my manager"; None when there is no short, clear one."""
    echo = _content()["advice_echo"]
    clause = re.split(r"[.!?;]", " ".join((text or "").split()).replace("\u2019", "'"))
    for part in clause:
        part = part.strip().rstrip(",")
        low = part.lower()
        action = None
        for marker in sorted(echo["markers"], key=len, reverse=True):
            match = re.search(r"(?:^|\b)" + marker + r"\s+(.+)$", low)
            if match:
                action = part[match.start(1):]
                break
        if action is None:
            words = low.split()
            if words and words[0] in echo["imperatives"]:
                action = part[0].lower() + part[1:]
        if action:
            action = re.split(r",\s*(?:and|but|so|because)\b|\s+-\s+", action)[0].strip(" ,")
            words = action.split()
            if 0 < len(words) <= echo["max_words"]:
                return " ".join(_swap(words, echo["swap"]))
    return None


SUBJECT_BEFORE = {"how", "what", "that", "if", "when", "where", "why", "who", "whether", "sure", "until",
                  "unless", "before", "after", "because", "so", "once", "while"}


def _swap(words: List[str], swap: Dict[str, str]) -> List[str]:
    """Second person to first ("your boss" -> "my boss"); "you" after "how", "that"... is
    the subject ("how you feel" -> "how I feel"), elsewhere the object."""
    out = []
    for index, word in enumerate(words):
        low = word.lower()
        if low == "you" and index and words[index - 1].lower() in SUBJECT_BEFORE:
            out.append("I")
        elif low in swap:
            out.append(swap[low])
        else:
            out.append(word)
    return out


def _coachee_line(state: Dict, label: str, text: str = "") -> Tuple[str, Optional[str]]:
    """What the coachee says to a move with this label, and the depth it released (if any)."""
    scenario = scenarios()[state["scenario"]]
    told = disclosures(scenario)
    if label in OPENING_MOVES:
        if state["told"] < len(told):
            depth, line = told[state["told"]]
            state["told"] += 1
            acknowledgements = _content()["acknowledge"].get(label)
            if acknowledgements:
                line = _rotate(state, "ack_" + label, acknowledgements) + " " + line
            return line, depth
        return _rotate(state, "after_core", scenario["after_core"]), None
    if label == "advice" and scenario.get("advice_buts"):
        action = advised_action(text)
        if action:
            but = _rotate(state, "advice_but", scenario["advice_buts"])
            return _content()["advice_echo"]["line"].format(action=action, but=but), None
    guarded = scenario["guarded"].get(label) or scenario["guarded"]["other"]
    return _rotate(state, "guarded_" + label, guarded), None


def normalise_state(state: Dict) -> Dict:
    """A copy, with anything an older version or a hand-edited slot left out filled in."""
    state = copy.deepcopy(state) if isinstance(state, dict) else {}
    if state.get("scenario") not in scenarios():
        state["scenario"] = next(iter(scenarios()))
    for key, empty in (("told", 0), ("lines", []), ("coachee_words", 0), ("used", {}),
                       ("depth_by_line", [])):
        state.setdefault(key, empty)
    return state


def reply_to(state: Dict, text: str) -> Tuple[Reply, Dict, str]:
    """The coachee's answer to one of the person's messages, labelled with that message's
    label. Returns (reply, new state, label); the given state is not modified."""
    state = normalise_state(state)
    label = labeller.label(text)
    scenario = scenarios()[state["scenario"]]
    line, depth = _coachee_line(state, label, text)
    state["lines"].append([text, label, _words(text)])
    state["depth_by_line"].append(depth)
    state["coachee_words"] += _words(line)
    reply = _say(scenario["prefix"] + line, practice_label=label, practice_depth=depth,
                 practice_scenario=state["scenario"], practice_role="coachee")
    return reply, state, label


def closing(state: Dict, label: Optional[str] = None) -> Reply:
    """The coachee's last line when the round ends by itself."""
    scenario = scenarios()[state["scenario"]]
    return _say(scenario["prefix"] + _content()["closing"], practice_label=label,
                practice_scenario=state["scenario"], practice_role="coachee")
