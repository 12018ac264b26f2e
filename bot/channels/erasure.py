"""Deletes a conversation's stored events after the turn that asked for it.

It must run after Rasa has saved the turn: SQLTrackerStore.save() writes every event past
the stored count, so rows deleted mid-turn would be written straight back.

With SQLite the deleted rows are overwritten (secure_delete) and the WAL, if any, is
checkpointed and truncated afterwards: no deleted message text stays on disk.
"""
import logging
from typing import Any

from bot.store.files import checkpoint, secure_delete_on

logger = logging.getLogger(__name__)


def _unwrap(tracker_store: Any) -> Any:
    # Rasa wraps the configured store in a FailSafeTrackerStore.
    return getattr(tracker_store, "_tracker_store", tracker_store)


def erase_conversation(tracker_store: Any, sender_id: str) -> int:
    store = _unwrap(tracker_store)
    if hasattr(store, "erase"):
        engine = getattr(store, "engine", None)
        if engine is not None:
            secure_delete_on(engine)
        deleted = store.erase(sender_id)
        if engine is not None:
            try:
                checkpoint(engine)
            except Exception as error:
                logger.warning("Checkpoint after erasing sender %s failed: %s", sender_id, type(error).__name__)
    elif isinstance(getattr(store, "store", None), dict):  # InMemoryTrackerStore
        deleted = 1 if store.store.pop(sender_id, None) is not None else 0
    else:
        logger.warning("Tracker store %s cannot erase conversations", type(store).__name__)
        return 0
    logger.info("Erased conversation history of sender %s (%s rows)", sender_id, deleted)
    return deleted
