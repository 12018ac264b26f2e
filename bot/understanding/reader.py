"""read(text, bot_asked) -> Reading: the one reading of a message (pure, no Rasa)."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Optional

from bot.understanding.acts import find_act, find_control, normalise
from bot.understanding.details import extract_details, feeling_words_in
from bot.understanding.reading import Reading

# "forget the presentation, I want to talk about my coworker" -> "my coworker"
_NEW_TOPIC_RE = re.compile(
    r"\b(?:talk|speak|chat|discuss|focus|work|think)(?:\s+(?:about|on|through))?\s+(?P<topic>.+)$",
    re.IGNORECASE)
_VAGUE_TOPIC = re.compile(r"^(something|anything) (else|different)\W*$|^(it|this|that|else)\W*$", re.I)
# Framing around a comparison request, stripped before the situation is quoted.
_COMPARE_FRAMING = [
    re.compile(p, re.IGNORECASE) for p in (
        r"^(?:please\s+)?(?:can you |could you |would you |i'd like you to |i want you to |let's )?"
        r"(?:compare|contrast|show me|give me|tell me)\b[^:]*?\b(?:coach(?:ing)?|mentor(?:ing)?|both|two|approaches|styles|answers|perspectives|views|sides)\b"
        r"(?:\s*(?:and|or|vs\.?|versus|with|against|to)\s*(?:the |a )?(?:coach(?:ing)?|mentor(?:ing)?)\b)?"
        r"(?:\s+(?:answers?|approaches|styles|perspectives|views|responses|replies|takes|would (?:handle|answer|respond to|approach|see) (?:this|it)))?"
        r"\s*(?:on|for|about|with|to|regarding|re)?\s*(?:this|that|my situation|the following|my case|my problem)?\s*[:,-]?\s*",
        r"^(?:the\s+)?(?:coach(?:ing)?)\s*(?:vs\.?|versus|or|and|against)\s*(?:a\s+|the\s+)?(?:mentor(?:ing)?)\s*"
        r"(?:on|for|about|with|regarding)?\s*(?:this|that|my situation|the following|my case)?\s*[:,-]?\s*",
        r"\s*[,.;-]?\s*(?:can i see |show me |i'd like to see |let me see )?how (?:would |do |does |might )?(?:each|both|the two|the coach and the mentor|a coach and a mentor)(?: of you)?"
        r"(?: would)? (?:handle|answer|respond to|approach|deal with|tackle|see|do)(?: (?:this|it|that))?\s*\??\s*$",
        r"^(?:can i see |show me |i'd like to see |let me see )?how (?:would |do |does |might )?(?:each|both|the two|the coach and the mentor|a coach and a mentor)(?: of you)?"
        r"(?: would)? (?:handle|answer|respond to|approach|deal with|tackle|see|do)(?: (?:this|it|that))?\s*[?:,.-]?\s*",
        r"\s*[,.;-]?\s*(?:(?:i'd like|i want|show me|give me|let me see)\s+)?(?:both|the two|side[ -]by[ -]side)(?: (?:answers|perspectives|views|approaches|styles|takes))?(?: please)?\s*[.!?]?\s*$",
        r"\s*[,.;-]?\s*(?:compare|contrast) (?:the )?(?:coach|coaching|two|both)\b.*$",
    )
]


def _situation_for_compare(text: str) -> Optional[str]:
    original = text.strip()
    if ":" in original:
        after = original.split(":", 1)[1].strip()
        if len(after.split()) >= 2:
            return after
    situation = original
    for pattern in _COMPARE_FRAMING:
        situation = pattern.sub("", situation, count=1).strip()
    situation = situation.strip(" ,.;:-?!")
    if len(situation.split()) < 2:
        return None
    return situation


def _new_topic(text: str, control_match_end: int) -> Optional[str]:
    match = _NEW_TOPIC_RE.search(text, pos=max(0, control_match_end - 30))
    if not match:
        match = _NEW_TOPIC_RE.search(text)
    if not match:
        return None
    topic = match.group("topic").strip(" .!?")
    if not topic or _VAGUE_TOPIC.match(topic):
        return None
    return topic


def read(text: str, bot_asked: Optional[str] = None, now: Optional[datetime] = None) -> Reading:
    """Read one message. ``bot_asked`` is the bot's last question, if it asked one."""
    raw = (text or "").strip()
    norm = normalise(raw)
    details = extract_details(raw, now) if raw else {}
    feelings = tuple(feeling_words_in(raw))
    control = find_control(norm)
    if control:
        name, match = control
        whole = match.start() == 0 and match.end() >= len(norm.rstrip(" .!?"))
        words = len(norm.split())
        confidence = 0.95 if whole or words <= 12 else (0.85 if words <= 30 else 0.7)
        new_topic = _new_topic(raw, match.end()) if name == "change_topic" else None
        situation = _situation_for_compare(raw) if name == "compare" else None
        return Reading(act="control", control=name, details=details, feeling_words=feelings,
                       new_topic=new_topic, situation=situation, confidence=confidence)
    act, confidence = find_act(norm, bot_asked)
    if act == "answer" and feelings and not bot_asked:
        act = "feeling"
    return Reading(act=act, details=details, feeling_words=feelings, confidence=confidence,
                   situation=raw or None)
