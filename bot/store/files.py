"""SQLite files readable by this user only, and no deleted text left behind on disk.

- A database file is created (or kept) with mode 0600 before SQLite opens it; SQLite
  gives its -wal, -shm and -journal files the mode of the database file.
- `secure_delete` makes SQLite overwrite deleted content with zeros instead of leaving
  it in free pages, and `checkpoint()` after a deletion copies the WAL into the database
  and truncates it, so a deleted goal's text stays in neither file.
"""
import os
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url

from bot.paths import VAR_DIR

SIDE_FILES = ("-wal", "-shm", "-journal")


def sqlite_path(url: Any) -> Optional[Path]:
    u = make_url(str(url)) if not hasattr(url, "get_backend_name") else url
    if u.get_backend_name() != "sqlite":
        return None
    db = u.database or ""
    if db in ("", ":memory:") or "mode=memory" in db or db.startswith("file:"):
        return None
    return Path(db).expanduser().resolve()


def make_private(url: Any) -> None:
    """Creates the SQLite file of `url` with mode 0600, or narrows an existing one's."""
    path = sqlite_path(url)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError:  # not a file we can create: opening it will report the problem
        return
    for candidate in [path] + [Path(f"{path}{suffix}") for suffix in SIDE_FILES]:
        try:
            if candidate.stat().st_mode & 0o077:
                candidate.chmod(0o600)
        except OSError:  # absent, or not ours to change
            pass


def _secure_delete(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA secure_delete = ON")
    finally:
        cursor.close()


def secure_delete_on(engine: Engine) -> None:
    """Every new connection of a SQLite engine overwrites what it deletes (idempotent)."""
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _secure_delete):
        event.listen(engine, "connect", _secure_delete)


def checkpoint(engine: Engine) -> None:
    """After a deletion: move the WAL into the database file and truncate it (SQLite)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def tracker_database_url() -> str:
    """Rasa's SQL tracker store: COACH_TRACKER_URL, else the goals store's PostgreSQL
    database, else var/tracker.db (a sibling file, so the Rasa server and the action
    server do not contend for one SQLite write lock)."""
    explicit = os.environ.get("COACH_TRACKER_URL")
    if explicit:
        make_private(explicit)  # a SQLite file: 0600; other databases: nothing to do
        return explicit
    shared = os.environ.get("COACH_DATABASE_URL", "")
    if shared and not shared.startswith("sqlite"):
        return shared
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{VAR_DIR / 'tracker.db'}"
    make_private(url)  # conversations: readable by this user only (0600)
    return url
