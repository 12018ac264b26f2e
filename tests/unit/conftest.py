"""Fixtures shared by unit tests. Each module provides its own `db_url` (SQLite only, or
SQLite and PostgreSQL); `store` is a migrated Store on it."""
import pytest

from bot.store import Store


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    s.migrate()
    yield s
    s.dispose()
