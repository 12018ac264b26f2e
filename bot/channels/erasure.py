"""Deletes a conversation's stored events after the turn that asked for it.

It must run after Rasa has saved the turn: SQLTrackerStore.save() writes every event past
the stored count, so rows deleted mid-turn would be written straight back.
"""
import logging
from typing import Any

logger = logging.getLogger(__name__)


def _unwrap(tracker_store: Any) -> Any:
    # Rasa wraps the configured store in a FailSafeTrackerStore.
    return getattr(tracker_store, "_tracker_store", tracker_store)


def erase_conversation(tracker_store: Any, sender_id: str) -> int:
    store = _unwrap(tracker_store)
    if hasattr(store, "erase"):
        deleted = store.erase(sender_id)
    elif isinstance(getattr(store, "store", None), dict):  # InMemoryTrackerStore
        deleted = 1 if store.store.pop(sender_id, None) is not None else 0
    else:
        logger.warning("Tracker store %s cannot erase conversations", type(store).__name__)
        return 0
    logger.info("Erased conversation history of sender %s (%s rows)", sender_id, deleted)
    return deleted
