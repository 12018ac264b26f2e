"""The persistent store: goals, progress updates and follow-ups per person.

Every public method that touches a person's data takes their ``sender_id`` and scopes all
queries to it, so one person can never read or change another's rows. All SQL goes through
bound parameters (SQLAlchemy expressions; no string building). Results are plain,
JSON-serialisable dicts (dates and datetimes as ISO 8601 strings) so callers can put them
straight into slots, HTTP bodies or exports.

The Store is put together from one module per concern: engine.py (URL, pragmas, migrations,
transactions), goals.py (people, goals, progress), followups.py (check-ins and their
claims) and privacy.py (delete and export). This module keeps the public API.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Dict, Optional

from bot.paths import VAR_DIR
from bot.store.engine import (  # noqa: F401  (re-exported: the public API and its tests)
    MIGRATIONS_DIR,
    GoalNotFound,
    StoreBase,
    StoreUnavailable,
    alembic_config,
    make_engine,
)
from bot.store.followups import FollowupsMixin
from bot.store.goals import GOAL_FIELDS, GoalsMixin  # noqa: F401
from bot.store.privacy import PrivacyMixin


ENV_URL = "COACH_DATABASE_URL"


def database_url() -> str:
    """The configured URL: env COACH_DATABASE_URL, else a SQLite file in VAR_DIR."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    return f"sqlite:///{Path(VAR_DIR) / 'coach.db'}"


class Store(GoalsMixin, FollowupsMixin, PrivacyMixin, StoreBase):
    """Goals, progress and follow-ups in SQLite (default) or PostgreSQL."""

    def __init__(self, url: Optional[str] = None):
        super().__init__(url or database_url())


_stores: Dict[str, Store] = {}
_stores_lock = threading.Lock()


def get_store() -> Store:
    """The process-wide Store for the configured URL, migrated on first use."""
    url = database_url()
    with _stores_lock:
        store = _stores.get(url)
        if store is None:
            store = Store(url)
            try:
                store.migrate()
            except Exception:
                store.dispose()  # not cached: the next call tries again
                raise
            _stores[url] = store
        return store
