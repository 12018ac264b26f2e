"""One person's turn, shared by every channel: clean the text, run Rasa, post-process.

Post-processing is where channel-level promises are kept: a reply for every input
(never an empty list), a note when a long message was truncated, due check-ins delivered
at the person's next message, and erasure of the conversation after `delete_data`.

The sender id is the person's id in the channel's namespace (bot/channels/identity.py).
Metadata is bounded before Rasa sees it: only the keys on the allow-list are kept, and
metadata nested too deep or too large is refused (BadMetadata, a 400 for the caller).
"""
import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Dict, FrozenSet, List, Optional, Text

from rasa.core.channels.channel import UserMessage

from bot.channels.collector import MetadataCollectingOutputChannel, to_wire
from bot.channels.erasure import erase_conversation
from bot.channels.sanitize import MAX_NLU_CHARS, clean
from bot.reply import Reply
from bot.safety.text import FULL_TEXT_KEY

logger = logging.getLogger(__name__)


def _wire(sender_id: Text, reply: Reply) -> Dict[Text, Any]:
    return to_wire(sender_id, reply.as_message())


def _host():
    from bot.personas import host  # imported lazily: content loads on first use

    return host


# Metadata a sender may give (time zone and locale, which also choose the helplines a
# safety reply gives; the title of a clicked quick reply; a workshop demo's seed, bot/demos.py) and what each chat app's connector derives from its signed
# request; FULL_TEXT_KEY is set here only. Anything else is dropped.
SENDER_METADATA_KEYS: FrozenSet[str] = frozenset({"timezone", "tz", "locale", "display", "demo_seed"})
CHANNEL_METADATA_KEYS: Dict[Text, FrozenSet[str]] = {
    "slack": frozenset({"out_channel", "thread_id", "users"}),
    "botframework": frozenset({"attachments"}),
}
MAX_METADATA_BYTES = 4096  # JSON-encoded, as received
MAX_METADATA_DEPTH = 4  # {"a": {"b": [...]}} is depth 3
CHAT_APP_METADATA_BYTES = 65536  # Teams attachments (signed requests) may be larger


class BadMetadata(ValueError):
    """Metadata the bot refuses: not an object, nested too deep or too large."""


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether `value` nests deeper than `limit` (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def accept_metadata(raw: Any, input_channel: Text) -> Dict[Text, Any]:
    """The metadata a turn may carry, or BadMetadata with the reason."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise BadMetadata("metadata must be a JSON object")
    if _depth_exceeds(raw, MAX_METADATA_DEPTH):
        raise BadMetadata(f"metadata may nest at most {MAX_METADATA_DEPTH} levels")
    limit = CHAT_APP_METADATA_BYTES if input_channel in CHANNEL_METADATA_KEYS else MAX_METADATA_BYTES
    try:
        size = len(json.dumps(raw, ensure_ascii=False, default=str).encode("utf-8"))
    except (TypeError, ValueError):
        raise BadMetadata("metadata must be plain JSON")
    if size > limit:
        raise BadMetadata(f"metadata may be at most {limit} bytes")
    allowed = SENDER_METADATA_KEYS | CHANNEL_METADATA_KEYS.get(input_channel, frozenset())
    return {k: v for k, v in raw.items() if k in allowed}


def _crisis_in(text: Text) -> bool:
    from bot import safety  # imported lazily: the lexicon and model load on first use

    return safety.assess(text).crisis


def _due_checkins(sender_id: Text) -> List[Reply]:
    from bot.clock import now
    from bot.followups import checkins_due_at_next_message

    return checkins_due_at_next_message(sender_id, now())


async def run_turn(
    app: Any,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    sender_id: Any,
    raw_text: Any,
    metadata: Optional[Dict[Text, Any]],
    input_channel: Text,
    collector: Optional[MetadataCollectingOutputChannel] = None,
) -> List[Dict[Text, Any]]:
    """One turn of `sender_id` (already in the channel's namespace). Raises BadMetadata
    before anything is stored when the metadata is refused."""
    sender = sender_id
    metadata = accept_metadata(metadata, input_channel)
    cleaned = clean(raw_text)
    if cleaned.empty:
        return [_wire(sender, _host().empty_input())]
    collector = collector or MetadataCollectingOutputChannel()
    logger.info("Message from sender %s (%d chars)", sender, cleaned.original_length)
    # Only the server sets FULL_TEXT_KEY (accept_metadata dropped a sender's own).
    if cleaned.truncated:
        metadata[FULL_TEXT_KEY] = cleaned.full_text
    try:
        await on_new_message(
            UserMessage(cleaned.text, collector, sender, input_channel=input_channel,
                        metadata=metadata or None)
        )
    except Exception as error:  # a reply must still go out; logged without text, one line
        failed = True
        logger.error("Turn failed for sender %s: %s", sender, type(error).__name__)
        logger.debug("Turn failure of sender %s", sender, exc_info=True)
    else:
        failed = False
    messages = list(collector.messages)
    if failed and not messages:  # say so truthfully: the message may not have been kept
        messages = [_wire(sender, _host().turn_failed())]
    elif not messages:
        messages = [_wire(sender, _host().action_server_down())]
    # The note says only the start was read; when the whole text holds a crisis, safety
    # read all of it (FULL_TEXT_KEY) and the note would contradict the reply.
    if cleaned.truncated and not _crisis_in(cleaned.full_text):
        messages.insert(0, _wire(sender, _host().truncated_note(MAX_NLU_CHARS)))
    loop = asyncio.get_running_loop()
    if collector.signals.get("erase_history"):
        agent = getattr(getattr(app, "ctx", None), "agent", None)
        if agent is not None:
            # Under the conversation's lock (shared by every replica with the Redis lock
            # store): no turn of this person on any server saves while the rows go.
            lock_store = getattr(agent, "lock_store", None)
            if lock_store is None:
                await loop.run_in_executor(None, erase_conversation, agent.tracker_store, sender)
            else:
                async with lock_store.lock(sender):
                    await loop.run_in_executor(None, erase_conversation, agent.tracker_store, sender)
    else:
        try:
            due = await loop.run_in_executor(None, _due_checkins, sender)
            if due:
                # The check-in the person asked for asks how the step went; the coach's
                # own return-visit opening asks the same, so only the check-in is sent.
                messages = [m for m in messages
                            if (m.get("metadata") or {}).get("technique") != "accountability"]
            for reply in due:
                messages.append(_wire(sender, reply))
        except Exception:  # the store being down must not cost the person their reply
            logger.warning("Could not check due follow-ups for sender %s", sender)
    return messages
