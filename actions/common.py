"""Helpers every action uses: dispatching Replies, reading the tracker, reaching the store."""
import logging
from itertools import takewhile
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import dialogue
from bot.dialogue import Expecting

from bot.rasa_speedups import ACTION_SERVER_USER_TURNS
from bot.reply import Reply
from bot.topics import GENERIC_ROLE

logger = logging.getLogger(__name__)


def say(dispatcher: CollectingDispatcher, replies: Union[Reply, Iterable[Reply]]) -> None:
    for reply in [replies] if isinstance(replies, Reply) else replies:
        dispatcher.utter_message(**reply.as_message())


def persona(tracker: Tracker) -> Optional[str]:
    return tracker.get_slot("persona")


def text_of(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def intent_of(tracker: Tracker) -> Optional[str]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def confidence_of(tracker: Tracker) -> float:
    return float(((tracker.latest_message or {}).get("intent") or {}).get("confidence") or 0.0)


def topic_of(tracker: Tracker) -> Optional[str]:
    """The topic of this message if one was recognised, else the conversation's topic.
    A generic mention ("my boss", role GENERIC_ROLE) counts only when there is no topic
    yet: "I'll ask my manager" in the middle of a promotion talk stays on promotion."""
    found = [entity for entity in (tracker.latest_message or {}).get("entities") or []
             if entity.get("entity") == "topic" and entity.get("value")]
    for entity in found:
        if entity.get("role") != GENERIC_ROLE:
            return entity["value"]
    return tracker.get_slot("topic") or (found[0]["value"] if found else None)


def message_metadata(tracker: Tracker) -> Dict[str, Any]:
    return (tracker.latest_message or {}).get("metadata") or {}


def demo_seed(tracker: Tracker, *salt: str) -> Optional[int]:
    """A fixed seed for the coach's wording when the message carries a demo seed (metadata
    `demo_seed`, sent by the page's demo runner and by REST clients running a workshop
    script), else None (wording varies). See bot/demos.py."""
    from bot.demos import turn_seed

    return turn_seed(message_metadata(tracker).get("demo_seed"), text_of(tracker),
                     len([e for e in tracker.events if e.get("event") == "user"]), *salt)


def person_timezone(tracker: Tracker) -> Optional[str]:
    """The IANA time zone the channel reported (metadata `timezone` or Slack's `tz`)."""
    metadata = message_metadata(tracker)
    zone = metadata.get("timezone") or metadata.get("tz")
    return zone if isinstance(zone, str) and zone else None


def channel_of(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "rest"


def user_texts(tracker: Tracker, limit: int = ACTION_SERVER_USER_TURNS) -> List[str]:
    """What the person said lately, oldest first (for recommendations). The Rasa server
    sends only the events of the last ACTION_SERVER_USER_TURNS user messages."""
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    return [t for t in texts if t and not t.startswith("/")][-limit:]


def earlier_texts(tracker: Tracker, limit: int) -> List[str]:
    """What the person said before this message, oldest first, at most `limit` messages."""
    texts = user_texts(tracker)
    if texts and texts[-1] == text_of(tracker):
        texts = texts[:-1]
    return texts[-limit:] if limit > 0 else []


def _bot_metadata(event: Dict[str, Any]) -> Dict[str, Any]:
    metadata = event.get("metadata") or {}
    return metadata.get("metadata") if isinstance(metadata.get("metadata"), dict) else metadata


def _earlier_bot_metadata(tracker: Tracker) -> Iterator[Tuple[int, Dict[str, Any]]]:
    """(how many of the person's messages back, persona/technique) of every bot message
    before this turn that has a technique, newest first."""
    users_back = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_back += 1
        elif event.get("event") == "bot" and users_back and _bot_metadata(event).get("technique"):
            yield users_back, _bot_metadata(event)


def last_bot_metadata(tracker: Tracker) -> Dict[str, Any]:
    """persona/technique of the bot's previous message (before this user turn)."""
    return next((metadata for _, metadata in _earlier_bot_metadata(tracker)), {})


def last_turn_metadata(tracker: Tracker) -> List[Dict[str, Any]]:
    """persona/technique of every message of the bot's previous turn, in order."""
    turn = takewhile(lambda found: found[0] == 1, _earlier_bot_metadata(tracker))
    return [metadata for _, metadata in turn][::-1]


def host():
    from bot.personas import host as host_engine

    return host_engine



def now_utc():
    from bot.clock import now

    return now()


def fresh_slot(tracker: Tracker, name: str) -> Any:
    """A turn-scoped slot's value if the bot's last turn set it, else None: 'yes' answers the
    latest offer, never one made several turns ago (bot/dialogue.py, fresh)."""
    return dialogue.fresh(((dialogue.USER, None, None) if event.get("event") == "user"
                           else (dialogue.SLOT, event.get("name"), event.get("value"))
                           if event.get("event") == "slot" else (None, None, None)
                           for event in reversed(tracker.events)), name)


def expect(what: Optional[Expecting]) -> SlotSet:
    """Sets `expecting`: the next message is the answer to this question (None: no question)."""
    return SlotSet("expecting", what.value if what is not None else None)


def offer_yes(what: Optional[str]) -> SlotSet:
    """Sets `offer`: what a "yes" to this turn continues (an Offer or dialogue.start_offer)."""
    return SlotSet("offer", str(what) if what is not None else None)


def mentor_kind(kind: Optional[str]) -> SlotSet:
    """Sets `mentor_kind`: what the mentor's turn answered or asked about (dialogue.GENERAL)."""
    return SlotSet(dialogue.MENTOR_KIND_SLOT, kind)
