"""Fixtures shared by unit tests. Each module provides its own `db_url` (SQLite only, or
`sql_url`: SQLite and PostgreSQL); `store` is a migrated Store on it."""
import os
import uuid

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from bot.store import Store

PG_URL = os.environ.get(
    "COACH_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_url(request, tmp_path):
    """A URL to an empty database of each kind (PostgreSQL: a fresh schema, dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'coach.db'}"
        return
    if os.environ.get("COACH_SKIP_PG") == "1":
        pytest.skip("PostgreSQL tests skipped because COACH_SKIP_PG=1")
    schema = f"coach_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    s.migrate()
    yield s
    s.dispose()
