"""Finds what an explanation is about: the coach's or the mentor's latest turn before the
person's question, and the words of the person that turn answered.

Works on the tracker's events as plain dicts (what rasa_sdk hands an action), so it is
tested without Rasa. The wording of explanations and recaps is bot/personas/host.py's.
"""
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence

from bot.reply import Reply

SPEAKERS = ("coach", "mentor")
# Turns looked back through for one where the coach or the mentor spoke.
LOOK_BACK = 6


@dataclass
class Turn:
    """The coach's and mentor's messages of one bot turn, oldest first, and what the
    person said that the turn answered."""

    messages: List[Dict[str, Any]] = field(default_factory=list)  # {"text", "metadata"}
    words: Optional[str] = None

    @property
    def metadata(self) -> List[Dict[str, Any]]:
        return [m["metadata"] for m in self.messages]

    def texts(self, persona: str) -> List[str]:
        return [m["text"] for m in self.messages if m["metadata"].get("persona") == persona]


def bot_metadata(event: Dict[str, Any]) -> Dict[str, Any]:
    """A bot event's persona/technique (custom actions keep them one level down)."""
    metadata = event.get("metadata") or {}
    inner = metadata.get("metadata")
    return inner if isinstance(inner, dict) else metadata


def user_words(event: Dict[str, Any]) -> str:
    """What the person said in a user event: for a button payload such as the page's
    Compare ("/compare_answers{...}") the situation it carried, else the text."""
    text = event.get("text") or ""
    if text.startswith("/"):
        entities = (event.get("parse_data") or {}).get("entities") or []
        given = [e.get("value") for e in entities
                 if e.get("entity") == "situation" and isinstance(e.get("value"), str)]
        return given[0] if given else ""
    return text


# A turn that answered one of these is itself an explanation (and the question re-asked
# after it): "why?" after it is about the turn before.
EXPLAINING_INTENTS = ("ask_technique",)


def _intent(event: Dict[str, Any]) -> Optional[str]:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def latest_turn(events: Sequence[Dict[str, Any]], personas: Iterable[str] = SPEAKERS) -> Turn:
    """The newest bot turn before the current message in which one of `personas` spoke,
    skipping turns that answered a question about techniques; in a turn with a comparison,
    only the comparison's messages. An empty Turn if none in the last LOOK_BACK turns."""
    wanted = set(personas)
    found: List[Dict[str, Any]] = []
    users_back = 0
    for event in reversed(list(events)):
        kind = event.get("event")
        if kind == "user":
            if found and _intent(event) not in EXPLAINING_INTENTS:
                compared = [m for m in found if m["metadata"].get("compare")]
                return Turn((compared or found)[::-1], user_words(event))
            found = []
            users_back += 1
            if users_back > LOOK_BACK:
                break
        elif kind == "bot" and users_back:
            metadata = bot_metadata(event)
            if metadata.get("persona") in wanted and event.get("text"):
                found.append({"text": event["text"], "metadata": metadata})
    return Turn(found[::-1], None)


# The question at the end of a coach message: after the last sentence break before it.
_LAST_BREAK = re.compile(r"[.!:;\u2026]\s+(?=[^.!:;\u2026]*\?\s*$)")


def tag_halves(reply: Reply, purpose: Optional[str], question_id: Optional[str] = None) -> Reply:
    """Marks a coach message for the explanations and the page: `grow_slot` (what the
    question asks for: a GROW slot or another kind of turn), and `parts` when the message
    first gives the person's words back and then asks (technique "reflection"): the
    reflection and the question, the question with its own technique from the bank."""
    if purpose:
        reply.extra["grow_slot"] = purpose
    if reply.technique != "reflection":
        return reply
    found = list(_LAST_BREAK.finditer(reply.text))
    if not found:
        return reply
    cut = found[-1].end()
    lead, question = reply.text[:cut].strip(), reply.text[cut:].strip()
    if not lead or not question.endswith("?"):
        return reply
    technique = _bank_technique(question_id) or "powerful_question"
    if technique == "reflection":
        return reply
    reply.extra["parts"] = [{"text": lead, "technique": "reflection"},
                            {"text": question, "technique": technique}]
    return reply


def _bank_technique(question_id: Optional[str]) -> Optional[str]:
    if not question_id:
        return None
    from bot.personas import coach  # the question bank

    return next((entry.get("technique") for entry in coach.bank() if entry.get("id") == question_id), None)
