"""Rasa's SQL tracker store, configured from the same database URL as our own store, with
an in-process cache of live trackers.

PostgreSQL: the conversation events live in the same database as goals
(COACH_DATABASE_URL). SQLite: a sibling file (var/tracker.db) so that the Rasa server and
the action server do not contend for one file's write lock. COACH_TRACKER_URL overrides.

Why the cache: stock Rasa reloads every event of the session from SQL and replays it into a
new tracker on every message, so a turn costs more the longer the conversation (50 ms at
150 turns here, see docs/performance.md). We keep the tracker object a turn leaves behind
and hand it to the next turn, after one cheap query (count and last id of the
conversation's rows) proves the database holds exactly what we saved: a write by another
process, an erasure or a failed save all change it, and the tracker is then rebuilt from
SQL as before. A turn that failed before saving leaves extra events on the object; its
length then differs from what was saved and it is rebuilt too.

Several Rasa servers on one database: the stamp is checked before and after each save,
and the cached object is kept only when the rows are exactly those loaded plus the ones
this save wrote (count before + new events == count after). A write by another replica at
any moment between loading and stamping changes the count, and the next turn rebuilds
from SQL. That costs one more COUNT query per saved turn (see docs/performance.md).
With Rasa's Redis lock store (bot/lock_store.py) no other replica writes a conversation
during a turn at all; COACH_TRACKER_CACHE_SIZE=0 switches the cache off.
"""
import collections
import os
from dataclasses import dataclass
from typing import Any, Iterator, Optional, Text, Tuple

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func
from sqlalchemy.engine import make_url

from bot.store.files import tracker_database_url  # noqa: F401  (its home was here)


DEFAULT_CACHE_SIZE = 256  # conversations; a workshop room is 20 to 50
Version = Tuple[int, Optional[int]]  # (rows of the conversation, highest row id)


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    length: int  # len(tracker.events) when it was last loaded or saved
    version: Version  # the database's stamp at that moment


class DatabaseUrlTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        cache_size: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        if cache_size is None:
            cache_size = int(os.environ.get("COACH_TRACKER_CACHE_SIZE", DEFAULT_CACHE_SIZE))
        # An event broker diffs against retrieve(), which must then be a fresh copy.
        self.cache_size = 0 if event_broker is not None else max(0, cache_size)
        self._cache: "collections.OrderedDict[Text, _Cached]" = collections.OrderedDict()
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

    def _version(self, sender_id: Text) -> Version:
        with self.session_scope() as session:
            count, last_id = (
                session.query(func.count(self.SQLEvent.id), func.max(self.SQLEvent.id))
                .filter(self.SQLEvent.sender_id == sender_id)
                .one()
            )
        return int(count), last_id

    def _remember(self, tracker: DialogueStateTracker, version: Version) -> None:
        if self.cache_size <= 0:
            return
        self._cache[tracker.sender_id] = _Cached(tracker, len(tracker.events), version)
        self._cache.move_to_end(tracker.sender_id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def _live(self, tracker: DialogueStateTracker) -> Optional[_Cached]:
        """The cache entry of this very tracker object, if it has not lost events since."""
        cached = self._cache.get(tracker.sender_id)
        if cached is None or cached.tracker is not tracker or len(tracker.events) < cached.length:
            return None
        return cached

    def forget(self, sender_id: Text) -> None:
        self._cache.pop(sender_id, None)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        if self.cache_size <= 0:
            return await super().retrieve(sender_id)
        version = self._version(sender_id)
        cached = self._cache.get(sender_id)
        if (cached is not None and cached.version == version
                and len(cached.tracker.events) == cached.length):
            self._cache.move_to_end(sender_id)
            return cached.tracker
        self.forget(sender_id)
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            # Stamped before loading: a write in between only makes the next check miss.
            self._remember(tracker, version)
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        cached = self._live(tracker)
        if cached is None:
            return super()._additional_events(session, tracker)
        return iter(list(tracker.events)[cached.length:])

    async def save(self, tracker: DialogueStateTracker) -> None:
        cached = self._live(tracker)
        new_events = list(tracker.events)[cached.length:] if cached else []
        # Stamped before the write too: the rows must be exactly what we loaded, plus ours.
        before = self._version(tracker.sender_id) if cached is not None else None
        try:
            await super().save(tracker)
        except BaseException:
            self.forget(tracker.sender_id)
            raise
        if cached is None or any(isinstance(e, SessionStarted) for e in new_events):
            # Not an object we handed out, or a new session began (retrieve() returns
            # only the latest session): the next turn loads from SQL.
            self.forget(tracker.sender_id)
            return
        after = self._version(tracker.sender_id)
        if before != cached.version or after[0] != before[0] + len(new_events):
            # Another process wrote this conversation since we loaded it, or while we
            # saved (another replica without a shared lock store): rebuild from SQL.
            self.forget(tracker.sender_id)
            return
        self._remember(tracker, after)

    def erase(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; returns how many."""
        self.forget(sender_id)
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        return deleted
