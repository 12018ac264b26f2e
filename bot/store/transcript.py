"""A person's conversation as stored by Rasa's SQL tracker store, for "export my data".

The action server gets only the last few turns of a conversation (bot/rasa_speedups.py),
so the transcript is read from the tracker store's `events` table directly: every user
and bot message of every session, oldest first, with its time and what else is stored
with it (channel, time zone; persona and technique).
"""
import json
import threading
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.store.files import tracker_database_url
from bot.store.store import StoreUnavailable

_engines: Dict[str, Engine] = {}
_lock = threading.Lock()
STORED_USER_METADATA = ("timezone", "tz", "display")


def _engine() -> Engine:
    url = tracker_database_url()
    with _lock:
        if url not in _engines:
            _engines[url] = create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)
        return _engines[url]


def _time(stamp: Any) -> Optional[str]:
    try:
        return datetime.fromtimestamp(float(stamp), tz=timezone.utc).isoformat(timespec="seconds")
    except (TypeError, ValueError, OverflowError):
        return None


def _bot_labels(metadata: Dict[str, Any]) -> Dict[str, Any]:
    inner = metadata.get("metadata") if isinstance(metadata.get("metadata"), dict) else {}
    merged = {**{k: metadata[k] for k in ("persona", "technique") if k in metadata}, **inner}
    return {k: merged[k] for k in ("persona", "technique") if merged.get(k)}


def entry(event: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """One transcript line from a stored event; None for events that are not messages."""
    kind = event.get("event")
    metadata = event.get("metadata") if isinstance(event.get("metadata"), dict) else {}
    if kind == "user":
        if metadata.get("is_external") or not (event.get("text") or "").strip():
            return None  # a scheduler trigger, not something the person said
        line = {"from": "you", "text": event.get("text"), "time": _time(event.get("timestamp")),
                "channel": event.get("input_channel")}
        line.update({k: metadata[k] for k in STORED_USER_METADATA if metadata.get(k)})
        return line
    if kind == "bot":
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        if not (event.get("text") or data.get("buttons")):
            return None
        line = {"from": "bot", "text": event.get("text"), "time": _time(event.get("timestamp"))}
        line.update(_bot_labels(metadata))
        if data.get("buttons"):
            line["buttons"] = [b.get("title") for b in data["buttons"] if isinstance(b, dict)]
        return line
    return None


def conversation(sender_id: str) -> List[Dict[str, Any]]:
    """Every stored message of the conversation, oldest first."""
    try:
        with _engine().connect() as conn:
            if not inspect(conn).has_table("events"):
                return []  # no conversation was ever stored here
            rows = conn.execute(
                text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"),
                {"sender": sender_id},
            ).fetchall()
    except SQLAlchemyError as error:
        raise StoreUnavailable(type(error).__name__) from None
    lines = []
    for (data,) in rows:
        try:
            line = entry(json.loads(data))
        except (TypeError, ValueError):
            continue
        if line is not None:
            lines.append(line)
    return lines

