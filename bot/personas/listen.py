"""How the coach listens: what kind of move a message is, and which few words to give back.

A message in GROW is one of these moves (data/content/coach.yml `listening.controls`, backed
by the understanding reading of the message when the NLU pipeline provides one):

  repair         "you're not listening", "that's not what I said": own it, ask what now
  topic_change   "forget X, I want to talk about Y": a fresh start on Y (Y in `focus`)
  start_over     "start over": a fresh start
  step_back      "can we go back": the previous stage again
  dont_know_want "I don't know what I want": back to the goal, gently
  hold           "I'm not at the doing stage", "stay with this": no moving on
  recap          "can you summarise?": what the person said so far, in their words
  checkin        "how are we doing?": a check-in on the conversation itself
  space          silence, "hmm", "...": space, and the question stays open
  answer         anything else; `key` holds a feeling or insight to stay with, if any

Selective reflection: key_words() picks a feeling, an insight, a value, a metaphor or a
contradiction from the message, at most 12 consecutive words of it, in the second person;
commands, complaints, questions to the bot and fillers give nothing back. No Rasa imports.
"""
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Optional, Pattern, Sequence, Tuple

from bot.content import load
from bot.personas.reflect import clean, plain, second_person

MOVES = ("repair", "topic_change", "start_over", "step_back", "dont_know_want", "hold",
         "recap", "checkin", "space", "answer")
# Moves the coach handles inside GROW even when the intent classifier reads something else.
IN_GROW_MOVES = {"repair", "topic_change", "start_over", "step_back", "dont_know_want", "hold",
                 "recap", "checkin"}
# How sure the understanding reading must be before its act or control decides a move.
READING_SURE = 0.85
KINDS = ("insight", "feeling", "contradiction", "value", "metaphor")
# Acts of the understanding reading whose words are never given back.
NOT_REFLECTED_ACTS = {"question", "request", "control", "correction", "complaint", "filler",
                      "social"}
_LEADING = re.compile(r"^(?:(?:and|but|so|because|even though|although|though|even if|well|honestly|actually|basically|like|um|uh|"
                      r"i think|i guess|i suppose|you know|to be honest|tbh|also|then|just|"
                      r"that|really)\b[\s,]*)+", re.I)
_SUB_CLAUSE = re.compile(r"\s*[,;:]\s*|\s+(?=(?:and|but|because|so|although|though|while|"
                         r"which|when|if)\b)", re.I)
_SENTENCE = re.compile(r"(?<=[.!;])\s+|\s*\.{2,}\s*|\s*\u2026\s*")


def _listening() -> Dict[str, Any]:
    return load("coach")["listening"]


@lru_cache(maxsize=None)
def _patterns(group: str, key: Optional[str] = None) -> Tuple[Pattern[str], ...]:
    source = _listening()[group] if key is None else _listening()[group][key]
    return tuple(re.compile(p, re.I) for p in source)


def _low(text: str) -> str:
    return clean(text or "").lower().replace("\u2019", "'")


def max_words() -> int:
    return int(_listening()["max_reflected_words"])


@dataclass(frozen=True)
class KeyWords:
    """A few of the person's words worth giving back, already in the second person."""
    kind: str                     # one of KINDS
    phrase: Optional[str]         # at most max_words() words; None when no short clause fits
    noun: Optional[str] = None    # feeling: "fear", "feeling of being stuck"
    adj: Optional[str] = None     # feeling: "scary" (None when no adjective fits)

    def as_dict(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Optional[Dict[str, Any]]) -> Optional["KeyWords"]:
        return cls(**data) if data else None


@dataclass(frozen=True)
class Move:
    kind: str                           # one of MOVES
    key: Optional[KeyWords] = None      # what to stay with (answer, hold)
    focus: Optional[str] = None         # topic_change: the person's new subject, raw


# ---- reading a message -----------------------------------------------------------------

def _reading_act(reading: Any) -> Optional[str]:
    """The reading's act when the reading is sure of it, else None."""
    if reading is None or float(getattr(reading, "confidence", 0.0) or 0.0) < READING_SURE:
        return None
    return getattr(reading, "act", None)


def is_question(text: str) -> bool:
    low = _low(text).strip()
    return low.endswith("?") or bool(re.match(
        r"^(?:what|why|how|who|where|when|which|can|could|would|will|do|does|did|is|are|should)"
        r"\b[^.!]*\byou\b", low))


def reflectable(text: Optional[str], reading: Any = None) -> bool:
    """Whether anything in the message may be given back: not a command, complaint,
    meta-comment, question to the bot, filler or social word."""
    if _reading_act(reading) in NOT_REFLECTED_ACTS:
        return False
    low = _low(text or "")
    words = re.findall(r"[a-z0-9']+", low)
    if len(words) < 3:
        return False
    if is_question(low) or move_of(text or "", reading).kind != "answer":
        return False
    return not any(p.search(low) for p in _patterns("not_reflected"))


def _match_control(group: str, low: str) -> Optional[re.Match]:
    for pattern in _patterns("controls", group):
        found = pattern.search(low)
        if found:
            return found
    return None


def move_of(text: str, reading: Any = None) -> Move:
    """The move a message makes (see the module docstring). Safety is checked before this,
    elsewhere; an advice plea is coach.is_plea's business."""
    low = _low(text)
    act = _reading_act(reading)
    sure = float(getattr(reading, "confidence", 0.0) or 0.0) >= READING_SURE if reading is not None else False
    if not sure:
        act = None
    control = getattr(reading, "control", None) if sure else None
    if act in ("complaint", "correction") or _match_control("complaint", low):
        return Move("repair")
    found = _match_control("topic_change", low)
    new_topic = getattr(reading, "new_topic", None) if reading is not None else None
    if found or control == "change_topic":
        focus = new_topic or (found.group(1).strip() if found and found.lastindex else "")
        if found and found.lastindex:
            # the person's own casing, from the same position
            start = low.find(found.group(1))
            focus = clean(text).replace("\u2019", "'")[start:start + len(found.group(1))] \
                if start >= 0 else focus
        return Move("topic_change", focus=focus.strip(" .!,") or None)
    if control == "start_over" or _match_control("start_over", low):
        return Move("start_over")
    if _match_control("step_back", low):
        return Move("step_back")
    if _match_control("dont_know_want", low):
        return Move("dont_know_want")
    if _match_control("hold", low):
        return Move("hold", key=key_words(text, force=True))
    if _match_control("recap", low):
        return Move("recap")
    if _match_control("checkin", low):
        return Move("checkin")
    stripped = re.sub(r"[\s.\u2026!?,;:-]+", " ", low).strip()
    if not stripped or any(p.search(stripped) for p in _patterns("controls", "space")):
        return Move("space")
    key = key_words(text, reading=reading, checked=True)
    return Move("answer", key=key if key and key.kind in ("feeling", "insight") else None)


def talks_about(text: str) -> bool:
    """"I want to talk about my coworker": a subject to explore, not yet a goal."""
    return bool(re.search(r"\btalk about\b|\bdiscuss\b|\blook at\b", _low(text)))


def ready_to_move_on(text: str) -> Optional[bool]:
    """The answer to "options, or stay with this a bit longer?": True (move on), False
    (stay) or None (neither: the person said something else)."""
    low = _low(text)
    stay = _match_control("stay_longer", low)
    go = _match_control("go_on", low)
    if stay and not (go and go.start() > stay.start()):
        return False
    if go:
        return True
    return None


# ---- choosing the words to give back ---------------------------------------------------

def _feeling_in(low_clause: str) -> Optional[Tuple[str, List[Any]]]:
    feelings = _listening()["feelings"]
    for word in re.findall(r"[a-z']+", low_clause):
        if word in feelings:
            return word, feelings[word]
    return None


def _trim(clause: str) -> str:
    clause = _LEADING.sub("", clause.strip(" ,;:-"))
    return clause.strip(" ,;:-.!")


def _fits(words: str) -> bool:
    return 0 < len(words.split()) <= max_words()


def _narrow(clause: str, needle: Optional[str]) -> Optional[str]:
    """The clause when short enough, else its sub-clause holding the needle, else None."""
    clause = _trim(clause)
    if _fits(clause):
        return clause
    if needle:
        for part in _SUB_CLAUSE.split(clause):
            if part and needle in part.lower():
                part = _trim(part)
                if _fits(part):
                    return part
    return None


def key_words(text: Optional[str], names: Iterable[str] = (), reading: Any = None,
              force: bool = False, checked: bool = False) -> Optional[KeyWords]:
    """The few words worth giving back, or None. force: read a control message too ("can
    we stay with the feeling of being stuck" holds a feeling); checked: the caller already
    knows the message is an answer."""
    if not text:
        return None
    if not force and not checked and not reflectable(text, reading):
        return None
    if _reading_act(reading) in NOT_REFLECTED_ACTS and not force:
        return None
    people = (getattr(reading, "details", None) or {}).get("people")
    if people is None:
        try:
            from bot.understanding.details import find_people
            people = find_people(text)
        except Exception:  # the understanding module is optional here
            people = []
    found_names = [p.get("name") for p in people if isinstance(p, dict) and p.get("name")]
    if people is not None and reading is None:
        # found by capitals alone: a capitalised first word of a sentence is no evidence
        found_names = [n for n in found_names if re.search(r"[^.!?\s]\s+" + re.escape(n), text)]
    names = list(names) + found_names
    sentences = [s for s in _SENTENCE.split(plain(text)) if s.strip()]
    best: Optional[KeyWords] = None
    for sentence in sentences:
        low = sentence.lower()
        for kind in KINDS:
            found = _found(kind, sentence, low, names)
            if found and (best is None or KINDS.index(found.kind) < KINDS.index(best.kind)):
                best = found
    return best


def _found(kind: str, sentence: str, low: str, names: Sequence[str]) -> Optional[KeyWords]:
    if kind == "feeling":
        feeling = None
        for clause in _SUB_CLAUSE.split(sentence):
            feeling = _feeling_in(clause.lower()) if clause else None
            if feeling:
                break
        if not feeling:
            return None
        word, (noun, adj) = feeling
        phrase = _narrow(sentence, word)
        return KeyWords("feeling", _second(phrase, names), noun, adj)
    patterns = _patterns(f"{kind}_markers")
    match = next((m for m in (p.search(low) for p in patterns) if m), None)
    if not match:
        return None
    if kind == "contradiction":
        phrase = _narrow(sentence, None)
    elif kind == "insight":
        after = sentence[match.end():]
        phrase = _narrow(after, None) if _trim(after) else _narrow(sentence, match.group(0))
    else:
        phrase = _narrow(sentence, match.group(0).split()[0])
    if phrase is None:
        return KeyWords(kind, None) if kind == "insight" else None
    return KeyWords(kind, _second(phrase, names))


def _second(phrase: Optional[str], names: Sequence[str]) -> Optional[str]:
    if not phrase:
        return None
    words = second_person(phrase, names)
    first = words.split(" ", 1)[0]
    bare = re.sub(r"'s$", "", first).lower()
    if first[:1].isupper() and bare not in {n.lower() for n in names} \
            and first not in ("I", "I'm", "I've", "I'll", "I'd") and not first.isupper():
        words = words[0].lower() + words[1:]
    return words


def situation_words(text: Optional[str]) -> Optional[KeyWords]:
    """An opening that tells what is happening, in a few words to acknowledge before the
    contract: a feeling or insight when there is one, else the last clause that fits."""
    if not text or not reflectable(text):
        return None
    key = key_words(text, checked=True)
    if key is not None and key.phrase:
        return key
    sentences = [s for s in _SENTENCE.split(plain(text)) if s.strip()]
    for sentence in reversed(sentences):
        parts = [p for p in _SUB_CLAUSE.split(sentence) if p and p.strip()]
        for part in parts[::-1] + [sentence]:
            words = _trim(part)
            if _fits(words) and len(words.split()) >= 4:
                return KeyWords("situation", _second(words, names_in(text)))
    return None


def names_in(text: str) -> List[str]:
    """People's names in the text (the understanding module's people finder), not counting a
    capitalised first word of a sentence, which is no evidence of a name."""
    try:
        from bot.understanding.details import find_people
        people = find_people(text or "")
    except Exception:  # the understanding module is optional here
        return []
    names = [p["name"] for p in people if isinstance(p, dict) and p.get("name")]
    return [n for n in names if re.search(r"[^.!?\s]\s+" + re.escape(n), text or "")]


# ---- details already given -------------------------------------------------------------

def given_details(text: str, now: datetime, timezone: Optional[str] = None,
                  reading: Any = None) -> Dict[str, str]:
    """What the message already says that a later question would ask for: "when" (the
    date words, "tomorrow"), "person" (a name) and "obstacle" (a clause naming one)."""
    found: Dict[str, str] = {}
    details = getattr(reading, "details", None) or {}
    if not details:
        try:
            from bot.understanding.details import extract_details
            details = extract_details(text, now)
        except Exception:  # the understanding module is optional here
            details = {}
    for item in details.get("times", []):
        if item.get("text") and item.get("kind", "date") not in ("duration",):
            found["when"] = item["text"]
            break
    if "when" not in found:
        from bot.timeparse import parse_deadline
        if parse_deadline(text, now, timezone):
            for pattern in (r"\b(?:today|tonight|tomorrow|this (?:week|weekend|month|afternoon|evening|morning)"
                            r"|next (?:week|month|\w+day)|by \w+day|on \w+day(?:s)?(?: and \w+day(?:s)?)?(?: mornings?| afternoons?| evenings?)?"
                            r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:s)?(?: mornings?| afternoons?| evenings?)?"
                            r"|in (?:a|one|two|three|\d+) (?:days?|weeks?|months?)"
                            r"|end of (?:the )?(?:week|month|day))\b",):
                hit = re.search(pattern, text, re.I)
                if hit:
                    found["when"] = hit.group(0)
    for person in details.get("people", []):
        if person.get("name"):
            found["person"] = person["name"]
            break
    low = _low(text)
    for pattern in _patterns("obstacle_markers"):
        hit = pattern.search(low)
        if hit:
            clause = _narrow(plain(text)[hit.start():], None) or plain(text)[hit.start():]
            found["obstacle"] = clause.strip()
            break
    return found


__all__ = ["KeyWords", "Move", "MOVES", "KINDS", "key_words", "move_of", "reflectable",
           "ready_to_move_on", "talks_about", "names_in", "situation_words", "given_details", "is_question", "max_words"]
