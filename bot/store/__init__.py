"""Persistent store for goals, progress updates and follow-ups (SQLAlchemy + Alembic)."""
from bot.store.store import (
    GoalNotFound,
    Store,
    StoreUnavailable,
    database_url,
    get_store,
)

__all__ = ["GoalNotFound", "Store", "StoreUnavailable", "database_url", "get_store"]
