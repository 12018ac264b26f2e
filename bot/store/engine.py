"""The store's engine: the database URL, SQLite pragmas, Alembic migrations under a lock,
errors translated to StoreUnavailable, transactions and the person row every part uses."""
from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

from sqlalchemy import create_engine, event, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool, StaticPool

from bot.store.files import make_private
from bot.store.models import (
    Person,
    utcnow,
)

log = logging.getLogger("bot.store.store")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 15
# Any constant works; it only has to be the same in every process migrating this database.
_PG_MIGRATION_LOCK_KEY = 0x436F616368
_MIGRATE_THREAD_LOCK = threading.Lock()


class StoreUnavailable(RuntimeError):
    """The database cannot be reached; callers say they can't reach their notes."""


class GoalNotFound(LookupError):
    """No goal with that id belongs to this person."""


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



class StoreBase:
    """The engine, migrations and transactions of a Store (bot/store/store.py)."""

    def __init__(self, url: str):
        self.url = url
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
