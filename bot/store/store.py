"""The persistent store: goals, progress updates and follow-ups per person.

Every public method that touches a person's data takes their ``sender_id`` and scopes all
queries to it, so one person can never read or change another's rows. All SQL goes through
bound parameters (SQLAlchemy expressions; no string building). Results are plain,
JSON-serialisable dicts (dates and datetimes as ISO 8601 strings) so callers can put them
straight into slots, HTTP bodies or exports.
"""
from __future__ import annotations

import logging
import os
import re
import threading
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional

from sqlalchemy import create_engine, delete, event, func, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

from bot.paths import VAR_DIR
from bot.store.files import checkpoint, make_private
from bot.store.models import (
    FOLLOWUP_STATUSES,
    GOAL_STATUSES,
    PERSONAS,
    Followup,
    Goal,
    Person,
    ProgressUpdate,
    utcnow,
)

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ENV_URL = "COACH_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_S = 15
# Any constant works; it only has to be the same in every process migrating this database.
_PG_MIGRATION_LOCK_KEY = 0x436F616368
_MIGRATE_THREAD_LOCK = threading.Lock()

GOAL_FIELDS = (
    "text", "topic", "persona", "measure", "first_step", "deadline", "deadline_text",
    "commitment", "status",
)
# Words that say nothing about which goal is meant ("the public speaking goal").
_MATCH_STOPWORDS = frozenset(
    "a an the my our your his her their this that these those one goal goals about with "
    "for and or on to of in at it its i me we how what progress update on".split()
)


class StoreUnavailable(RuntimeError):
    """The database cannot be reached; callers say they can't reach their notes."""


class GoalNotFound(LookupError):
    """No goal with that id belongs to this person."""


def database_url() -> str:
    """The configured URL: env COACH_DATABASE_URL, else a SQLite file in VAR_DIR."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    return f"sqlite:///{Path(VAR_DIR) / 'coach.db'}"


def alembic_config():
    """An Alembic Config without alembic.ini, so migrations run from any cwd."""
    from alembic.config import Config

    cfg = Config()
    # Config values go through configparser interpolation: escape '%'.
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return cfg


@contextmanager
def _translate_errors() -> Iterator[None]:
    """Turn 'cannot reach the database' failures into StoreUnavailable."""
    try:
        yield
    except StoreUnavailable:
        raise
    except (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError) as e:
        raise StoreUnavailable(_short_reason(e)) from e
    except sa_exc.DBAPIError as e:
        if e.connection_invalidated:
            raise StoreUnavailable(_short_reason(e)) from e
        raise


def _short_reason(e: Exception) -> str:
    orig = getattr(e, "orig", None) or e
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


def _iso(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _sqlite_on_connect(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    try:
        # busy_timeout first: switching to WAL needs a brief lock another process may hold.
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA secure_delete = ON")  # deleted text is overwritten, not left in free pages
    finally:
        cur.close()


def make_engine(url: str) -> Engine:
    """A pooled engine (pre-ping on checkout); SQLite gets WAL, a busy timeout and FKs."""
    u = make_url(url)
    kwargs: Dict[str, Any] = dict(future=True, pool_pre_ping=True, hide_parameters=True)
    if u.get_backend_name() == "sqlite":
        db = u.database or ""
        kwargs["connect_args"] = {
            "check_same_thread": False,  # the pool hands connections to other threads
            "timeout": SQLITE_BUSY_TIMEOUT_S,
        }
        if db in ("", ":memory:") or "mode=memory" in db:
            kwargs["poolclass"] = StaticPool  # one shared connection keeps the memory DB
        else:
            Path(db).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
            make_private(u)  # mode 0600; SQLite gives its -wal and -shm files the same
            kwargs.update(poolclass=QueuePool, pool_size=5, max_overflow=10)
        engine = create_engine(u, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    kwargs.update(pool_size=5, max_overflow=10, pool_recycle=1800)
    return create_engine(u, **kwargs)


def _check_sender(sender_id: str) -> str:
    if not isinstance(sender_id, str) or not sender_id or len(sender_id) > 255:
        raise ValueError("sender_id must be a non-empty string of at most 255 characters")
    return sender_id


def _check_aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return value.astimezone(timezone.utc)


def _words(text: str) -> List[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w]


def _word_match(query_word: str, goal_word: str) -> bool:
    if query_word == goal_word:
        return True
    # Tolerate inflections ("speak" / "speaking", "negotiate" / "negotiation").
    short, long_ = sorted((query_word, goal_word), key=len)
    return len(short) >= 4 and long_.startswith(short[: max(4, len(short) - 2)])


class Store:
    """Goals, progress and follow-ups in SQLite (default) or PostgreSQL."""

    def __init__(self, url: Optional[str] = None):
        self.url = url or database_url()
        self.engine = make_engine(self.url)
        self.dialect = self.engine.dialect.name
        self._sessions = sessionmaker(bind=self.engine, future=True, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def dispose(self) -> None:
        self.engine.dispose()

    # ----------------------------------------------------------------- schema
    def migrate(self) -> None:
        """``alembic upgrade head``; idempotent and safe when processes race to run it."""
        from alembic import command

        # Alembic's ``context`` is a process-global proxy: one migration per process at a
        # time (taken before the database lock, so the two locks never invert).
        with _MIGRATE_THREAD_LOCK, _translate_errors():
            for attempt in range(3):
                try:
                    with self.engine.begin() as conn:
                        self._take_migration_lock(conn)
                        cfg = alembic_config()
                        cfg.attributes["connection"] = conn
                        command.upgrade(cfg, "head")
                    return
                except sa_exc.DBAPIError as e:
                    # Without a lock (other dialects) two processes may both create the
                    # version table; the loser retries and then finds the schema at head.
                    if attempt == 2 or not re.search(
                        r"already exists|duplicate|unique", str(e.orig), re.I
                    ):
                        raise
                    log.info("migration race lost, retrying (attempt %d)", attempt + 1)

    def _take_migration_lock(self, conn) -> None:
        if self.dialect == "postgresql":
            # Held until this transaction ends (Postgres DDL is transactional).
            conn.execute(select(func.pg_advisory_xact_lock(_PG_MIGRATION_LOCK_KEY)))
        elif self.dialect == "sqlite":
            # Take the write lock before reading the version table, so a second process
            # waits (busy timeout) and then sees the finished schema.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    def current_revision(self) -> Optional[str]:
        from alembic.runtime.migration import MigrationContext

        with _translate_errors(), self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    # ------------------------------------------------------------ internals
    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with _translate_errors():
            with self._sessions() as session, session.begin():
                yield session

    def _person_id(self, s: Session, sender_id: str, create: bool) -> Optional[int]:
        _check_sender(sender_id)
        query = select(Person.id).where(Person.sender_id == sender_id)
        pid = s.execute(query).scalar()
        if pid is not None or not create:
            return pid
        values = {"sender_id": sender_id, "created_at": utcnow()}
        # Two first messages from one person may race; the loser just reads the winner's row.
        if self.dialect == "postgresql":
            stmt = pg_insert(Person).values(**values).on_conflict_do_nothing(
                index_elements=["sender_id"]
            )
        elif self.dialect == "sqlite":
            stmt = sqlite_insert(Person).values(**values).on_conflict_do_nothing(
                index_elements=["sender_id"]
            )
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            s.add(Person(**values))
            s.flush()
            return s.execute(query).scalar_one()
        s.execute(stmt)
        return s.execute(query).scalar_one()

    def _owned_goal(self, s: Session, sender_id: str, goal_id: Any) -> Goal:
        _check_sender(sender_id)
        try:
            gid = int(goal_id)
        except (TypeError, ValueError):
            raise GoalNotFound(goal_id) from None
        goal = s.execute(
            select(Goal)
            .join(Person, Goal.person_id == Person.id)
            .where(Goal.id == gid, Person.sender_id == sender_id)
        ).scalar()
        if goal is None:
            raise GoalNotFound(goal_id)
        return goal

    def _goal_number(self, s: Session, goal: Goal) -> int:
        return s.execute(
            select(func.count(Goal.id)).where(
                Goal.person_id == goal.person_id, Goal.id <= goal.id
            )
        ).scalar_one()

    def _last_progress(self, s: Session, goal_ids: Iterable[int]) -> Dict[int, str]:
        ids = list(goal_ids)
        if not ids:
            return {}
        rows = s.execute(
            select(ProgressUpdate.goal_id, ProgressUpdate.text)
            .where(ProgressUpdate.goal_id.in_(ids))
            .order_by(ProgressUpdate.id)
        ).all()
        return {goal_id: text for goal_id, text in rows}  # later rows overwrite earlier

    @staticmethod
    def _goal_dict(goal: Goal, number: int, last_progress: Optional[str]) -> Dict[str, Any]:
        return {
            "number": number,
            "id": goal.id,
            "text": goal.text,
            "status": goal.status,
            "topic": goal.topic,
            "persona": goal.persona,
            "measure": goal.measure,
            "first_step": goal.first_step,
            "deadline": _iso(goal.deadline),
            "deadline_text": goal.deadline_text,
            "commitment": goal.commitment,
            "last_progress": last_progress,
            "created_at": _iso(goal.created_at),
            "updated_at": _iso(goal.updated_at),
        }

    def _single_goal_dict(self, s: Session, goal: Goal) -> Dict[str, Any]:
        last = self._last_progress(s, [goal.id]).get(goal.id)
        return self._goal_dict(goal, self._goal_number(s, goal), last)

    @staticmethod
    def _validate_goal_fields(fields: Dict[str, Any]) -> Dict[str, Any]:
        unknown = set(fields) - set(GOAL_FIELDS)
        if unknown:
            raise ValueError(f"unknown goal fields: {sorted(unknown)}")
        out = dict(fields)
        if "text" in out and (not isinstance(out["text"], str) or not out["text"].strip()):
            raise ValueError("goal text must be a non-empty string")
        if "persona" in out and out["persona"] not in PERSONAS:
            raise ValueError(f"persona must be one of {PERSONAS}")
        if "status" in out and out["status"] not in GOAL_STATUSES:
            raise ValueError(f"status must be one of {GOAL_STATUSES}")
        if out.get("commitment") is not None:
            c = out["commitment"]
            if isinstance(c, bool) or not isinstance(c, int) or not 1 <= c <= 10:
                raise ValueError("commitment must be an integer from 1 to 10")
        if out.get("deadline") is not None:
            d = out["deadline"]
            if isinstance(d, datetime):
                out["deadline"] = d.date()
            elif isinstance(d, str):
                out["deadline"] = date.fromisoformat(d)
            elif not isinstance(d, date):
                raise ValueError("deadline must be a date")
        return out

    def _cancel_pending(self, s: Session, goal_id: int) -> int:
        result = s.execute(
            update(Followup.__table__)
            .where(Followup.goal_id == goal_id, Followup.status == "pending")
            .values(status="cancelled")
        )
        return result.rowcount

    # ------------------------------------------------------------- people
    def set_timezone(self, sender_id: str, tz: Optional[str]) -> None:
        """Remember the person's IANA time zone (None clears it)."""
        if tz is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone: {tz!r}") from None
        with self._tx() as s:
            pid = self._person_id(s, sender_id, create=True)
            s.execute(update(Person.__table__).where(Person.id == pid).values(timezone=tz))

    def get_timezone(self, sender_id: str) -> Optional[str]:
        with self._tx() as s:
            return s.execute(
                select(Person.timezone).where(Person.sender_id == _check_sender(sender_id))
            ).scalar()

    # -------------------------------------------------------------- goals
    def add_goal(
        self,
        sender_id: str,
        text: str,
        *,
        topic: Optional[str] = None,
        persona: str = "coach",
        measure: Optional[str] = None,
        first_step: Optional[str] = None,
        deadline: Optional[date] = None,
        deadline_text: Optional[str] = None,
        commitment: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Store a goal (and the person, if new) in one transaction."""
        fields = self._validate_goal_fields(
            dict(
                text=text, topic=topic, persona=persona, measure=measure,
                first_step=first_step, deadline=deadline, deadline_text=deadline_text,
                commitment=commitment,
            )
        )
        with self._tx() as s:
            pid = self._person_id(s, sender_id, create=True)
            now = utcnow()
            goal = Goal(person_id=pid, status="active", created_at=now, updated_at=now, **fields)
            s.add(goal)
            s.flush()
            return self._single_goal_dict(s, goal)

    def list_goals(self, sender_id: str) -> List[Dict[str, Any]]:
        """All the person's goals in creation order; ``number`` is the 1-based position."""
        with self._tx() as s:
            goals = s.execute(
                select(Goal)
                .join(Person, Goal.person_id == Person.id)
                .where(Person.sender_id == _check_sender(sender_id))
                .order_by(Goal.id)
            ).scalars().all()
            last = self._last_progress(s, [g.id for g in goals])
            return [self._goal_dict(g, i, last.get(g.id)) for i, g in enumerate(goals, 1)]

    def get_goal(
        self, sender_id: str, number: Optional[int] = None, *, goal_id: Optional[int] = None
    ) -> Optional[Dict[str, Any]]:
        """A goal by its list number (as the person sees it) or by ``goal_id``; else None."""
        if goal_id is not None:
            with self._tx() as s:
                try:
                    return self._single_goal_dict(s, self._owned_goal(s, sender_id, goal_id))
                except GoalNotFound:
                    return None
        if number is None:
            raise ValueError("give a goal number or goal_id")
        goals = self.list_goals(sender_id)
        try:
            n = int(number)
        except (TypeError, ValueError):
            return None
        return goals[n - 1] if 1 <= n <= len(goals) else None

    def find_goals(self, sender_id: str, text: str) -> List[Dict[str, Any]]:
        """Goals whose text or topic shares words with ``text``, best match first."""
        query = [w for w in _words(text or "") if len(w) >= 3 and w not in _MATCH_STOPWORDS]
        if not query:
            return []
        scored = []
        for goal in self.list_goals(sender_id):
            goal_words = set(_words(goal["text"]))
            if goal["topic"]:
                goal_words.update(_words(goal["topic"].replace("_", " ")))
            score = sum(1 for q in query if any(_word_match(q, w) for w in goal_words))
            if score:
                scored.append((-score, goal["number"], goal))
        return [g for _, _, g in sorted(scored, key=lambda t: t[:2])]

    def update_goal(self, sender_id: str, goal_id: int, **fields: Any) -> Dict[str, Any]:
        """Change some of a goal's fields; a status change follows set_status's rules."""
        fields = self._validate_goal_fields(fields)
        with self._tx() as s:
            goal = self._owned_goal(s, sender_id, goal_id)
            for name, value in fields.items():
                setattr(goal, name, value)
            if fields.get("status") in ("done", "dropped"):
                self._cancel_pending(s, goal.id)
            goal.updated_at = utcnow()
            s.flush()
            return self._single_goal_dict(s, goal)

    def set_status(self, sender_id: str, goal_id: int, status: str) -> Dict[str, Any]:
        """active/done/dropped; done and dropped cancel the goal's pending follow-ups."""
        return self.update_goal(sender_id, goal_id, status=status)

    def add_progress(
        self, sender_id: str, goal_id: int, text: str, done: bool = False
    ) -> Dict[str, Any]:
        """Record progress; ``done=True`` also completes the goal and cancels follow-ups."""
        if not isinstance(text, str) or not text.strip():
            raise ValueError("progress text must be a non-empty string")
        with self._tx() as s:
            goal = self._owned_goal(s, sender_id, goal_id)
            now = utcnow()
            update_row = ProgressUpdate(goal_id=goal.id, text=text, created_at=now)
            s.add(update_row)
            cancelled = 0
            if done:
                goal.status = "done"
                cancelled = self._cancel_pending(s, goal.id)
            goal.updated_at = now
            s.flush()
            return {
                "id": update_row.id,
                "goal_id": goal.id,
                "goal_number": self._goal_number(s, goal),
                "text": update_row.text,
                "created_at": _iso(update_row.created_at),
                "goal_status": goal.status,
                "cancelled_followups": cancelled,
            }

    # ---------------------------------------------------------- follow-ups
    def add_followup(
        self,
        sender_id: str,
        due_at: datetime,
        *,
        goal_id: Optional[int] = None,
        channel: str = "rest",
    ) -> Dict[str, Any]:
        """Schedule a check-in; ``channel`` is where the person talks to the bot."""
        due = _check_aware(due_at, "due_at")
        if not isinstance(channel, str) or not channel or len(channel) > 32:
            raise ValueError("channel must be a short non-empty string")
        with self._tx() as s:
            if goal_id is not None:
                goal = self._owned_goal(s, sender_id, goal_id)
                pid = goal.person_id
            else:
                pid = self._person_id(s, sender_id, create=True)
            row = Followup(
                person_id=pid, goal_id=goal_id, due_at=due, channel=channel,
                status="pending", created_at=utcnow(),
            )
            s.add(row)
            s.flush()
            return self._followup_dict(row, sender_id)

    @staticmethod
    def _followup_dict(row: Followup, sender_id: str) -> Dict[str, Any]:
        return {
            "id": row.id,
            "sender_id": sender_id,
            "goal_id": row.goal_id,
            "due_at": _iso(row.due_at),
            "channel": row.channel,
            "status": row.status,
            "created_at": _iso(row.created_at),
            "delivered_at": _iso(row.delivered_at),
        }

    def list_followups(
        self, sender_id: str, statuses: Iterable[str] = ("pending",)
    ) -> List[Dict[str, Any]]:
        """The person's follow-ups with the given statuses, soonest first."""
        statuses = list(statuses)
        if not set(statuses) <= set(FOLLOWUP_STATUSES):
            raise ValueError(f"statuses must be among {FOLLOWUP_STATUSES}")
        with self._tx() as s:
            rows = s.execute(
                select(Followup)
                .join(Person, Followup.person_id == Person.id)
                .where(Person.sender_id == _check_sender(sender_id))
                .where(Followup.status.in_(statuses))
                .order_by(Followup.due_at, Followup.id)
            ).scalars().all()
            return [self._followup_dict(r, sender_id) for r in rows]

    def get_followup(self, sender_id: str, followup_id: int) -> Optional[Dict[str, Any]]:
        """One of the person's follow-ups with its goal's text and first step, else None.

        For the action that handles ``followup_due`` (it gets only the id)."""
        with self._tx() as s:
            row = s.execute(
                select(Followup, Goal.text, Goal.first_step, Goal.status)
                .join(Person, Followup.person_id == Person.id)
                .outerjoin(Goal, Followup.goal_id == Goal.id)
                .where(Followup.id == int(followup_id))
                .where(Person.sender_id == _check_sender(sender_id))
            ).first()
            if row is None:
                return None
            followup, gtext, gstep, gstatus = row
            data = self._followup_dict(followup, sender_id)
            data.update(goal_text=gtext, goal_first_step=gstep, goal_status=gstatus)
            if followup.goal_id is not None:
                data["goal_number"] = self._goal_number(s, followup.goal)
            return data

    def cancel_followups(self, sender_id: str, goal_id: Optional[int] = None) -> int:
        """Cancel the person's pending follow-ups (only those of ``goal_id`` if given)."""
        with self._tx() as s:
            pid = self._person_id(s, sender_id, create=False)
            if pid is None:
                return 0
            stmt = update(Followup.__table__).where(
                Followup.person_id == pid, Followup.status == "pending"
            )
            if goal_id is not None:
                stmt = stmt.where(Followup.goal_id == int(goal_id))
            return s.execute(stmt.values(status="cancelled")).rowcount

    def _claim(
        self,
        now: datetime,
        worker_id: str,
        limit: int,
        channels: Optional[Iterable[str]],
        sender_id: Optional[str] = None,
    ) -> List[Dict[str, Any]]:
        now = _check_aware(now, "now")
        if not worker_id:
            raise ValueError("worker_id is required")
        with self._tx() as s:
            candidates = (
                select(Followup.id)
                .where(Followup.status == "pending", Followup.due_at <= now)
                .order_by(Followup.due_at, Followup.id)
                .limit(limit)
            )
            if channels is not None:
                candidates = candidates.where(Followup.channel.in_(sorted(channels)))
            if sender_id is not None:
                pid = self._person_id(s, sender_id, create=False)
                if pid is None:
                    return []
                candidates = candidates.where(Followup.person_id == pid)
            if self.dialect == "postgresql":
                # Lock our candidates and skip rows another worker is claiming right now.
                candidates = candidates.with_for_update(skip_locked=True)
            ids = s.execute(candidates).scalars().all()
            claimed_at = utcnow()
            claimed = []
            for fid in ids:
                # The status guard makes the claim exactly-once even without row locks
                # (SQLite): a row another worker took in the meantime updates 0 rows.
                result = s.execute(
                    update(Followup.__table__)
                    .where(Followup.id == fid, Followup.status == "pending")
                    .values(status="claimed", claimed_by=worker_id, claimed_at=claimed_at)
                )
                if result.rowcount == 1:
                    claimed.append(fid)
            if not claimed:
                return []
            rows = s.execute(
                select(Followup, Person.sender_id, Person.timezone, Goal.text, Goal.first_step)
                .join(Person, Followup.person_id == Person.id)
                .outerjoin(Goal, Followup.goal_id == Goal.id)
                .where(Followup.id.in_(claimed))
                .order_by(Followup.due_at, Followup.id)
            ).all()
            return [
                {
                    "id": f.id,
                    "sender_id": sid,
                    "timezone": tz,
                    "goal_id": f.goal_id,
                    "goal_text": gtext,
                    "goal_first_step": gstep,
                    "channel": f.channel,
                    "due_at": _iso(f.due_at),
                    "claimed_by": worker_id,
                }
                for f, sid, tz, gtext, gstep in rows
            ]

    def claim_due_followups(
        self,
        now: datetime,
        worker_id: str,
        limit: int = 50,
        channels: Optional[Iterable[str]] = None,
    ) -> List[Dict[str, Any]]:
        """Atomically move due pending follow-ups to claimed for this worker.

        Two workers running at once never get the same row."""
        return self._claim(now, worker_id, limit, channels)

    def claim_due_for_sender(
        self, sender_id: str, now: datetime, worker_id: str, limit: int = 10
    ) -> List[Dict[str, Any]]:
        """Claim this person's due follow-ups (any channel), for their next message."""
        _check_sender(sender_id)
        return self._claim(now, worker_id, limit, None, sender_id=sender_id)

    def mark_delivered(self, followup_id: int) -> bool:
        """claimed -> delivered; False if the row was not claimed (e.g. cancelled)."""
        with self._tx() as s:
            result = s.execute(
                update(Followup.__table__)
                .where(Followup.id == int(followup_id), Followup.status == "claimed")
                .values(status="delivered", delivered_at=utcnow())
            )
            return result.rowcount == 1

    def mark_shown(self, sender_id: str, followup_id: int) -> bool:
        """The check-in is being shown to its person now: claimed (or pending, released
        after a push whose answer was lost) -> delivered, atomically. True once per
        follow-up, whoever asks, however often: the second push of a check-in, from a
        scheduler that retried or from a second scheduler, finds it delivered and shows
        nothing. False too for another person's id or a cancelled one."""
        with self._tx() as s:
            pid = self._person_id(s, sender_id, create=False)
            if pid is None:
                return False
            result = s.execute(
                update(Followup.__table__)
                .where(Followup.id == int(followup_id), Followup.person_id == pid,
                       Followup.status.in_(("claimed", "pending")))
                .values(status="delivered", delivered_at=utcnow())
            )
            return result.rowcount == 1

    def release_claim(self, followup_id: int) -> bool:
        """claimed -> pending after a failed delivery, so a later round retries it."""
        with self._tx() as s:
            result = s.execute(
                update(Followup.__table__)
                .where(Followup.id == int(followup_id), Followup.status == "claimed")
                .values(status="pending", claimed_by=None, claimed_at=None)
            )
            return result.rowcount == 1

    def release_stale_claims(
        self, older_than: timedelta, now: Optional[datetime] = None
    ) -> int:
        """Give back claims a crashed worker never finished."""
        cutoff = (_check_aware(now, "now") if now else utcnow()) - older_than
        with self._tx() as s:
            result = s.execute(
                update(Followup.__table__)
                .where(Followup.status == "claimed", Followup.claimed_at < cutoff)
                .values(status="pending", claimed_by=None, claimed_at=None)
            )
            return result.rowcount

    # ---------------------------------------------------- privacy (delete/export)
    def delete_person(self, sender_id: str) -> Dict[str, int]:
        """Remove the person and everything stored about them; returns what was removed."""
        counts = {"goals": 0, "progress_updates": 0, "followups": 0}
        with self._tx() as s:
            pid = self._person_id(s, sender_id, create=False)
            if pid is None:
                return counts
            goal_ids = select(Goal.id).where(Goal.person_id == pid).scalar_subquery()
            # Explicit deletes (children first) so counts are exact and nothing relies on
            # the database enforcing ON DELETE CASCADE.
            counts["followups"] = s.execute(
                delete(Followup.__table__).where(Followup.person_id == pid)
            ).rowcount
            counts["progress_updates"] = s.execute(
                delete(ProgressUpdate.__table__).where(ProgressUpdate.goal_id.in_(goal_ids))
            ).rowcount
            counts["goals"] = s.execute(
                delete(Goal.__table__).where(Goal.person_id == pid)
            ).rowcount
            s.execute(delete(Person.__table__).where(Person.id == pid))
        try:  # no deleted text may stay in the WAL file until some later checkpoint
            checkpoint(self.engine)
        except Exception as e:
            log.warning("WAL checkpoint after deleting sender %s failed: %s", sender_id, _short_reason(e))
        log.info("deleted data of sender %s: %s", sender_id, counts)
        return counts

    def export_person(self, sender_id: str) -> Dict[str, Any]:
        """Everything stored about the person, as JSON-serialisable data."""
        with self._tx() as s:
            person = s.execute(
                select(Person).where(Person.sender_id == _check_sender(sender_id))
            ).scalar()
            if person is None:
                return {"sender_id": sender_id, "timezone": None, "created_at": None,
                        "goals": [], "followups": []}
            goals = s.execute(
                select(Goal).where(Goal.person_id == person.id).order_by(Goal.id)
            ).scalars().all()
            progress = s.execute(
                select(ProgressUpdate)
                .where(ProgressUpdate.goal_id.in_([g.id for g in goals] or [-1]))
                .order_by(ProgressUpdate.id)
            ).scalars().all()
            followups = s.execute(
                select(Followup).where(Followup.person_id == person.id).order_by(Followup.id)
            ).scalars().all()
            by_goal: Dict[int, List[Dict[str, Any]]] = {}
            for p in progress:
                by_goal.setdefault(p.goal_id, []).append(
                    {"id": p.id, "text": p.text, "created_at": _iso(p.created_at)}
                )
            goal_dicts = []
            for i, g in enumerate(goals, 1):
                entries = by_goal.get(g.id, [])
                d = self._goal_dict(g, i, entries[-1]["text"] if entries else None)
                d["progress_updates"] = entries
                goal_dicts.append(d)
            return {
                "sender_id": person.sender_id,
                "timezone": person.timezone,
                "created_at": _iso(person.created_at),
                "goals": goal_dicts,
                "followups": [self._followup_dict(f, sender_id) for f in followups],
            }


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
