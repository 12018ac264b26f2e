"""Rasa's SQL tracker store, configured from the same database URL as our own store.

PostgreSQL: the conversation events live in the same database as goals
(COACH_DATABASE_URL). SQLite: a sibling file (var/tracker.db) so that the Rasa server and
the action server do not contend for one file's write lock. COACH_TRACKER_URL overrides.
"""
import os
from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url

from bot.paths import VAR_DIR


def tracker_database_url() -> str:
    explicit = os.environ.get("COACH_TRACKER_URL")
    if explicit:
        return explicit
    shared = os.environ.get("COACH_DATABASE_URL", "")
    if shared and not shared.startswith("sqlite"):
        return shared
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'tracker.db'}"


class DatabaseUrlTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = make_url(tracker_database_url())
        super().__init__(
            domain=domain,
            dialect=url.drivername,
            host=url.host,
            port=url.port,
            db=url.database,
            username=url.username,
            password=url.password,
            query=dict(url.query),
            event_broker=event_broker,
            **kwargs,
        )

    def erase(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; returns how many."""
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        return deleted
