"""One person's turn, shared by every channel: clean the text, run Rasa, post-process.

Post-processing is where channel-level promises are kept: a reply for every input
(never an empty list), a note when a long message was truncated, due check-ins delivered
at the person's next message, and erasure of the conversation after `delete_data`.
"""
import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage

from bot.channels.collector import MetadataCollectingOutputChannel, to_wire
from bot.channels.erasure import erase_conversation
from bot.channels.sanitize import FULL_TEXT_KEY, MAX_NLU_CHARS, clean
from bot.reply import Reply

logger = logging.getLogger(__name__)


def _wire(sender_id: Text, reply: Reply) -> Dict[Text, Any]:
    return to_wire(sender_id, reply.as_message())


def _host():
    from bot.personas import host  # imported lazily: content loads on first use

    return host


def clean_sender(sender_id: Any) -> Text:
    text = clean(sender_id).text if sender_id not in (None, "") else "default"
    return text[:255] or "default"


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
    sender = clean_sender(sender_id)
    cleaned = clean(raw_text)
    if cleaned.empty:
        return [_wire(sender, _host().empty_input())]
    collector = collector or MetadataCollectingOutputChannel()
    logger.info("Message from sender %s (%d chars)", sender, cleaned.original_length)
    metadata = dict(metadata) if isinstance(metadata, dict) else {}
    metadata.pop(FULL_TEXT_KEY, None)  # only the server sets it
    if cleaned.truncated:
        metadata[FULL_TEXT_KEY] = cleaned.full_text
    try:
        await on_new_message(
            UserMessage(cleaned.text, collector, sender, input_channel=input_channel,
                        metadata=metadata or None)
        )
    except Exception:  # a reply must still go out; the error is logged without text
        logger.exception("Turn failed for sender %s", sender)
    messages = list(collector.messages)
    if not messages:
        messages = [_wire(sender, _host().action_server_down())]
    if cleaned.truncated:
        messages.insert(0, _wire(sender, _host().truncated_note(MAX_NLU_CHARS)))
    loop = asyncio.get_running_loop()
    if collector.signals.get("erase_history"):
        agent = getattr(getattr(app, "ctx", None), "agent", None)
        if agent is not None:
            await loop.run_in_executor(None, erase_conversation, agent.tracker_store, sender)
    else:
        try:
            for reply in await loop.run_in_executor(None, _due_checkins, sender):
                messages.append(_wire(sender, reply))
        except Exception:  # the store being down must not cost the person their reply
            logger.warning("Could not check due follow-ups for sender %s", sender)
    return messages
