"""Each channel's people live in their own namespace of sender ids.

A Slack user is `slack:<user id>`, a Teams user `teams:<id>`, a web page `web:<session
id>`; REST senders keep the ids their caller gives, which may never start with one of
those prefixes. So no channel can name another channel's person: a REST caller who knows
a Slack user id (or a page's session id) reaches a different, empty conversation, and
goals, export and deletion act only on the caller's own channel's person.
"""
from typing import Any, Text

from bot.channels.sanitize import clean

PREFIXES = {"slack": "slack:", "botframework": "teams:", "socketio": "web:"}
RESERVED = tuple(PREFIXES.values())
MAX_SENDER_CHARS = 255


class ReservedSender(ValueError):
    """A REST sender id that names another channel's namespace."""


def clean_sender(sender_id: Any) -> Text:
    text = clean(sender_id).text if sender_id not in (None, "") else "default"
    return text[:MAX_SENDER_CHARS] or "default"


def is_reserved(sender_id: Text) -> bool:
    return sender_id.lower().startswith(RESERVED)


def person_id(channel: Text, raw_id: Any) -> Text:
    """The stored sender id of a channel's person: the channel's prefix and its own id
    (cleaned). Channels without a prefix (REST) may not use a reserved one."""
    prefix = PREFIXES.get(channel, "")
    sender = clean_sender(raw_id)
    if prefix:
        return (prefix + sender)[:MAX_SENDER_CHARS]
    if is_reserved(sender):
        raise ReservedSender(f"sender ids starting with {', '.join(RESERVED)} belong to other channels")
    return sender


def local_id(channel: Text, sender_id: Text) -> Text:
    """The channel's own id of a stored sender id (`slack:U123` -> `U123`)."""
    prefix = PREFIXES.get(channel, "")
    return sender_id[len(prefix):] if prefix and sender_id.startswith(prefix) else sender_id
