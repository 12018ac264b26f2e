"""Store tests: every test runs against SQLite (a temp file) and the real PostgreSQL.

PostgreSQL tests use a fresh schema per test (via the connection's search_path) and drop
it afterwards. Set COACH_SKIP_PG=1 to skip them; without that an unreachable PostgreSQL
is a test error, not a silent skip.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, inspect, select

import bot.store.store as store_module
from bot.paths import PROJECT_ROOT
from bot.store import GoalNotFound, Store, StoreUnavailable, get_store
from bot.store.models import Base, Followup, Goal, Person, ProgressUpdate

UTC = timezone.utc
NOW = datetime(2025, 11, 26, 12, 0, tzinfo=UTC)
HEAD = "0001"


@pytest.fixture
def db_url(sql_url):
    """A URL to an empty database of each kind."""
    return sql_url


def _count(store, model):
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


# ------------------------------------------------------------------ schema


def test_migrate_is_idempotent(store):
    store.migrate()
    store.migrate()
    assert store.current_revision() == HEAD
    tables = set(inspect(store.engine).get_table_names())
    assert {"people", "goals", "progress_updates", "followups", "alembic_version"} <= tables


def test_models_match_migrations(store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_concurrent_migrate_from_two_engines(db_url):
    stores = [Store(db_url), Store(db_url)]
    barrier = threading.Barrier(2)
    errors = []

    def run(s):
        barrier.wait()
        try:
            s.migrate()
        except Exception as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert stores[0].current_revision() == HEAD
        assert stores[0].add_goal("u", "still works")["number"] == 1
    finally:
        for s in stores:
            s.dispose()


def test_concurrent_migrate_from_two_processes(db_url):
    # Separate processes: only the database-level migration lock keeps them apart.
    code = (
        "import sys; from bot.store import Store; "
        "s = Store(sys.argv[1]); s.migrate(); print(s.current_revision())"
    )
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    procs = [
        subprocess.Popen([sys.executable, "-c", code, db_url], cwd=PROJECT_ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
        assert out.strip() == HEAD
    s = Store(db_url)
    try:
        assert s.current_revision() == HEAD
    finally:
        s.dispose()


# ------------------------------------------------------------------- goals

TRICKY_TEXTS = [
    'Speak up in the "weekly" meeting, don\'t wait',
    "'); DROP TABLE goals;--",
    "Robert'); DELETE FROM people WHERE ('1'='1",
    "<script>alert('x')</script> <b>lead</b> &amp; more",
    "Run the quarterly review \U0001F680\u2728 and say \u00e7a va",
    "Line one\nline two\ttabbed  ",
    "%s %(name)s {0} \\ backslash",
    "x" * 2000,
    "long " * 1200,
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_goal_text_is_stored_verbatim(store, text):
    goal = store.add_goal("alice", text, first_step=text, measure=text, deadline_text=text)
    assert goal["text"] == text
    [listed] = store.list_goals("alice")
    assert listed["text"] == text
    assert listed["first_step"] == text
    assert listed["measure"] == text
    assert listed["deadline_text"] == text
    assert store.get_goal("alice", goal_id=goal["id"])["text"] == text
    # Nothing was executed: the tables and other rows are intact.
    assert set(inspect(store.engine).get_table_names()) >= {"goals", "people"}
    assert _count(store, Person) == 1


def test_add_goal_returns_all_fields(store):
    goal = store.add_goal(
        "alice", "Delegate the weekly report", topic="delegation", persona="mentor",
        measure="report sent by Anna", first_step="talk to Anna", deadline=date(2025, 12, 5),
        deadline_text="by next Friday", commitment=8,
    )
    assert goal["number"] == 1 and isinstance(goal["id"], int)
    assert goal["status"] == "active"
    assert goal["topic"] == "delegation" and goal["persona"] == "mentor"
    assert goal["deadline"] == "2025-12-05" and goal["deadline_text"] == "by next Friday"
    assert goal["commitment"] == 8 and goal["last_progress"] is None
    assert datetime.fromisoformat(goal["created_at"]).tzinfo is not None
    json.dumps(goal)


@pytest.mark.parametrize(
    "kwargs",
    [dict(commitment=11), dict(commitment=0), dict(persona="guru"), dict(commitment="7")],
)
def test_invalid_goal_fields_write_nothing(store, kwargs):
    with pytest.raises(ValueError):
        store.add_goal("alice", "A goal", **kwargs)
    with pytest.raises(ValueError):
        store.add_goal("alice", "   ")
    assert _count(store, Person) == 0 and _count(store, Goal) == 0


def test_add_goal_is_atomic(store, monkeypatch):
    def boom(*_args, **_kwargs):
        raise RuntimeError("failure after the goal row was flushed")

    monkeypatch.setattr(Store, "_single_goal_dict", boom)
    with pytest.raises(RuntimeError):
        store.add_goal("alice", "Half-written goal")
    assert _count(store, Goal) == 0
    assert _count(store, Person) == 0  # the person insert was rolled back too


def test_list_numbering_and_last_progress(store):
    g1 = store.add_goal("alice", "First goal")
    g2 = store.add_goal("alice", "Second goal")
    g3 = store.add_goal("alice", "Third goal")
    store.add_progress("alice", g2["id"], "drafted the outline")
    store.add_progress("alice", g2["id"], "sent the draft")
    store.set_status("alice", g1["id"], "dropped")
    goals = store.list_goals("alice")
    assert [(g["number"], g["id"]) for g in goals] == [(1, g1["id"]), (2, g2["id"]), (3, g3["id"])]
    assert [g["last_progress"] for g in goals] == [None, "sent the draft", None]
    assert [g["status"] for g in goals] == ["dropped", "active", "active"]
    assert store.get_goal("alice", 2)["id"] == g2["id"]
    assert store.get_goal("alice", 3)["number"] == 3
    assert store.get_goal("alice", 4) is None
    assert store.get_goal("alice", 0) is None
    assert store.get_goal("alice", goal_id=g3["id"])["number"] == 3
    assert store.get_goal("alice", goal_id=999999) is None


def test_find_goals_by_words(store):
    speak = store.add_goal("alice", "Give a talk at the all-hands", topic="public_speaking")
    nego = store.add_goal("alice", "Negotiate my salary before the review")
    store.add_goal("alice", "Delegate the weekly report", topic="delegation")
    assert [g["id"] for g in store.find_goals("alice", "the public speaking goal")] == [speak["id"]]
    assert [g["id"] for g in store.find_goals("alice", "my salary negotiation")] == [nego["id"]]
    assert store.find_goals("alice", "the goal") == []
    assert store.find_goals("alice", "gardening") == []
    assert store.find_goals("bob", "public speaking") == []


def test_update_goal(store):
    goal = store.add_goal("alice", "Old words")
    updated = store.update_goal(
        "alice", goal["id"], text="New words", commitment=6, deadline=date(2026, 1, 9)
    )
    assert updated["text"] == "New words" and updated["commitment"] == 6
    assert updated["deadline"] == "2026-01-09"
    assert updated["updated_at"] >= goal["updated_at"]
    with pytest.raises(ValueError):
        store.update_goal("alice", goal["id"], person_id=5)
    with pytest.raises(ValueError):
        store.set_status("alice", goal["id"], "finished")


# --------------------------------------------------------------- isolation


def test_senders_are_isolated(store):
    a = store.add_goal("alice", "Alice's private goal", topic="negotiation")
    b = store.add_goal("bob", "Bob's goal")
    store.add_followup("alice", NOW, goal_id=a["id"])
    assert [g["text"] for g in store.list_goals("alice")] == ["Alice's private goal"]
    assert [g["text"] for g in store.list_goals("bob")] == ["Bob's goal"]
    assert store.list_goals("carol") == []
    assert store.get_goal("bob", goal_id=a["id"]) is None
    assert store.find_goals("bob", "private negotiation") == []
    for call in (
        lambda: store.add_progress("bob", a["id"], "hijack"),
        lambda: store.set_status("bob", a["id"], "dropped"),
        lambda: store.update_goal("bob", a["id"], text="hijack"),
        lambda: store.add_followup("bob", NOW, goal_id=a["id"]),
    ):
        with pytest.raises(GoalNotFound):
            call()
    assert store.claim_due_for_sender("bob", NOW, "w") == []
    assert store.list_followups("bob") == []
    assert store.cancel_followups("bob") == 0
    assert store.export_person("bob")["goals"][0]["id"] == b["id"]
    alice = store.list_goals("alice")[0]
    assert alice["text"] == "Alice's private goal" and alice["status"] == "active"
    assert alice["last_progress"] is None
    assert len(store.list_followups("alice")) == 1


def test_sender_ids_are_parameters_not_sql(store):
    sneaky = "x' OR '1'='1"
    store.add_goal("alice", "Alice's goal")
    assert store.list_goals(sneaky) == []
    store.add_goal(sneaky, "Sneaky goal")
    assert [g["text"] for g in store.list_goals(sneaky)] == ["Sneaky goal"]
    assert [g["text"] for g in store.list_goals("alice")] == ["Alice's goal"]


def test_concurrent_first_messages_create_one_person(db_url):
    stores = [Store(db_url), Store(db_url)]
    stores[0].migrate()
    barrier = threading.Barrier(2)
    errors = []

    def run(s, i):
        barrier.wait()
        try:
            s.add_goal("newcomer", f"goal {i}")
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=run, args=(s, i)) for i, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert _count(stores[0], Person) == 1
        assert sorted(g["text"] for g in stores[0].list_goals("newcomer")) == ["goal 0", "goal 1"]
    finally:
        for s in stores:
            s.dispose()


# -------------------------------------------------------- progress / status


def test_progress_done_cancels_the_goals_followups(store):
    goal = store.add_goal("alice", "Finish the deck")
    other = store.add_goal("alice", "Other goal")
    f1 = store.add_followup("alice", NOW + timedelta(days=1), goal_id=goal["id"])
    f2 = store.add_followup("alice", NOW + timedelta(days=2), goal_id=goal["id"], channel="slack")
    f3 = store.add_followup("alice", NOW + timedelta(days=1), goal_id=other["id"])
    f4 = store.add_followup("alice", NOW + timedelta(days=1))
    step = store.add_progress("alice", goal["id"], "first slides done")
    assert step["goal_status"] == "active" and step["cancelled_followups"] == 0
    result = store.add_progress("alice", goal["id"], "all done!", done=True)
    assert result["goal_status"] == "done" and result["cancelled_followups"] == 2
    assert result["text"] == "all done!" and result["goal_number"] == 1
    statuses = {f["id"]: f["status"] for f in store.list_followups(
        "alice", statuses=("pending", "cancelled"))}
    assert statuses == {f1["id"]: "cancelled", f2["id"]: "cancelled",
                        f3["id"]: "pending", f4["id"]: "pending"}
    assert store.get_goal("alice", 1)["last_progress"] == "all done!"
    assert store.claim_due_followups(NOW + timedelta(days=5), "w") != []


@pytest.mark.parametrize("status", ["dropped", "done"])
def test_drop_or_done_cancels_followups(store, status):
    goal = store.add_goal("alice", "Maybe later")
    store.add_followup("alice", NOW, goal_id=goal["id"])
    store.add_followup("alice", NOW)
    assert store.set_status("alice", goal["id"], status)["status"] == status
    pending = store.list_followups("alice")
    assert [f["goal_id"] for f in pending] == [None]
    claimed = store.claim_due_followups(NOW, "w")
    assert [c["goal_id"] for c in claimed] == [None]


def test_update_goal_status_cancels_followups(store):
    goal = store.add_goal("alice", "Goal")
    store.add_followup("alice", NOW, goal_id=goal["id"])
    store.update_goal("alice", goal["id"], status="dropped")
    assert store.list_followups("alice") == []


# -------------------------------------------------------------- follow-ups


def test_followup_times_are_aware_utc(store):
    berlin = timezone(timedelta(hours=1))
    f = store.add_followup("alice", datetime(2025, 12, 1, 10, 0, tzinfo=berlin))
    assert datetime.fromisoformat(f["due_at"]) == datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
    [listed] = store.list_followups("alice")
    assert listed["due_at"] == "2025-12-01T09:00:00+00:00"
    with pytest.raises(ValueError):
        store.add_followup("alice", datetime(2025, 12, 1, 10, 0))
    with pytest.raises(ValueError):
        store.claim_due_followups(datetime(2025, 12, 1, 10, 0), "w")


def test_claim_returns_details_and_respects_due_and_channel(store):
    goal = store.add_goal("alice", "Ask for feedback", first_step="email Sam")
    due_slack = store.add_followup("alice", NOW - timedelta(minutes=1), goal_id=goal["id"],
                                   channel="slack")
    store.add_followup("alice", NOW - timedelta(minutes=1), channel="rest")
    store.add_followup("alice", NOW + timedelta(minutes=1), channel="slack")
    store.set_timezone("alice", "Europe/Berlin")
    claimed = store.claim_due_followups(NOW, "worker-1", channels={"slack", "socketio"})
    assert len(claimed) == 1
    c = claimed[0]
    assert c["id"] == due_slack["id"] and c["sender_id"] == "alice"
    assert c["goal_text"] == "Ask for feedback" and c["goal_first_step"] == "email Sam"
    assert c["channel"] == "slack" and c["timezone"] == "Europe/Berlin"
    assert c["claimed_by"] == "worker-1"
    # Already claimed rows are not handed out again.
    assert store.claim_due_followups(NOW, "worker-2", channels={"slack"}) == []
    # The rest follow-up is still there for the next message.
    [rest] = store.claim_due_for_sender("alice", NOW, "channel")
    assert rest["channel"] == "rest" and rest["goal_text"] is None
    assert store.claim_due_for_sender("alice", NOW, "channel") == []


def test_get_followup_is_scoped_to_sender(store):
    store.add_goal("alice", "First")
    goal = store.add_goal("alice", "Ask for feedback", first_step="email Sam")
    f = store.add_followup("alice", NOW, goal_id=goal["id"], channel="slack")
    plain = store.add_followup("alice", NOW)
    got = store.get_followup("alice", f["id"])
    assert got["goal_text"] == "Ask for feedback" and got["goal_first_step"] == "email Sam"
    assert got["goal_number"] == 2 and got["goal_status"] == "active"
    assert got["status"] == "pending" and got["channel"] == "slack"
    assert store.get_followup("alice", plain["id"])["goal_text"] is None
    assert store.get_followup("bob", f["id"]) is None
    assert store.get_followup("alice", 999999) is None


def test_claim_limit(store):
    for i in range(5):
        store.add_followup("alice", NOW - timedelta(minutes=i))
    first = store.claim_due_followups(NOW, "w", limit=2)
    assert len(first) == 2
    # Oldest due first.
    assert first[0]["due_at"] < first[1]["due_at"]
    assert len(store.claim_due_followups(NOW, "w", limit=10)) == 3


def test_mark_delivered_release_and_stale(store):
    ids = [store.add_followup("alice", NOW)["id"] for _ in range(3)]
    claimed = store.claim_due_followups(NOW, "w")
    assert sorted(c["id"] for c in claimed) == sorted(ids)
    assert store.mark_delivered(ids[0]) is True
    assert store.mark_delivered(ids[0]) is False  # not claimed any more
    assert store.release_claim(ids[1]) is True
    assert store.release_claim(ids[1]) is False
    assert [c["id"] for c in store.claim_due_followups(NOW, "w2")] == [ids[1]]
    # ids[1] (claimed just now) and ids[2] are both claimed; only an old claim is stale.
    assert store.release_stale_claims(timedelta(minutes=10)) == 0
    later = datetime.now(UTC) + timedelta(minutes=11)
    assert store.release_stale_claims(timedelta(minutes=10), now=later) == 2
    statuses = {f["id"]: f["status"] for f in store.export_person("alice")["followups"]}
    assert statuses == {ids[0]: "delivered", ids[1]: "pending", ids[2]: "pending"}
    delivered = [f for f in store.export_person("alice")["followups"] if f["id"] == ids[0]]
    assert delivered[0]["delivered_at"] is not None


def _claim_concurrently(claimers, n_rows):
    barrier = threading.Barrier(len(claimers))
    results = [[] for _ in claimers]
    errors = []

    def run(i, claim):
        barrier.wait()
        try:
            while True:
                batch = claim(f"worker-{i}")
                if not batch:
                    break
                results[i].extend(c["id"] for c in batch)
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(claimers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def _make_due_rows(store, n):
    ids = []
    for i in range(n):
        ids.append(store.add_followup(f"sender-{i % 7}", NOW - timedelta(seconds=i),
                                      channel="slack")["id"])
    return ids


def test_two_threads_never_double_claim(store):
    ids = _make_due_rows(store, 100)
    claim = lambda worker: store.claim_due_followups(NOW, worker, limit=7)  # noqa: E731
    results = _claim_concurrently([claim, claim], 100)
    every = results[0] + results[1]
    assert len(every) == len(set(every)) == 100
    assert sorted(every) == sorted(ids)


def test_two_engines_never_double_claim(store, db_url):
    ids = _make_due_rows(store, 100)
    other = Store(db_url)
    try:
        results = _claim_concurrently(
            [lambda w: store.claim_due_followups(NOW, w, limit=5),
             lambda w: other.claim_due_followups(NOW, w, limit=5)],
            100,
        )
    finally:
        other.dispose()
    every = results[0] + results[1]
    assert len(every) == len(set(every)) == 100
    assert sorted(every) == sorted(ids)
    with store.engine.connect() as conn:
        rows = conn.execute(select(Followup.status, Followup.claimed_by)).all()
    assert {status for status, _ in rows} == {"claimed"}
    by_worker = {w for _, w in rows}
    assert by_worker <= {"worker-0", "worker-1"}


def test_sender_claim_and_scheduler_claim_are_exclusive(store, db_url):
    ids = [store.add_followup("alice", NOW, channel="slack")["id"] for _ in range(30)]
    other = Store(db_url)
    try:
        results = _claim_concurrently(
            [lambda w: store.claim_due_for_sender("alice", NOW, w, limit=3),
             lambda w: other.claim_due_followups(NOW, w, limit=3)],
            30,
        )
    finally:
        other.dispose()
    every = results[0] + results[1]
    assert sorted(every) == sorted(ids) and len(set(every)) == 30


# ------------------------------------------------------------ delete/export


def _populate(store, sender):
    g1 = store.add_goal(sender, f"{sender} goal one")
    g2 = store.add_goal(sender, f"{sender} goal two")
    store.add_progress(sender, g1["id"], "step one")
    store.add_progress(sender, g1["id"], "step two")
    store.add_progress(sender, g2["id"], "step")
    store.add_followup(sender, NOW, goal_id=g1["id"])
    store.add_followup(sender, NOW)
    return g1, g2


def test_delete_person_counts_and_leaves_others(store):
    _populate(store, "alice")
    _populate(store, "bob")
    counts = store.delete_person("alice")
    assert counts == {"goals": 2, "progress_updates": 3, "followups": 2}
    assert store.list_goals("alice") == []
    assert store.export_person("alice")["goals"] == []
    assert store.delete_person("alice") == {"goals": 0, "progress_updates": 0, "followups": 0}
    assert len(store.list_goals("bob")) == 2
    assert _count(store, Person) == 1
    assert _count(store, Goal) == 2 and _count(store, ProgressUpdate) == 3
    assert _count(store, Followup) == 2


def test_database_cascades_person_delete(store):
    _populate(store, "alice")
    _populate(store, "bob")
    with store.engine.begin() as conn:
        conn.execute(delete(Person.__table__).where(Person.sender_id == "alice"))
    assert _count(store, Goal) == 2 and _count(store, ProgressUpdate) == 3
    assert _count(store, Followup) == 2
    assert len(store.list_goals("bob")) == 2


def test_export_person(store):
    store.set_timezone("alice", "Europe/Berlin")
    g1, g2 = _populate(store, "alice")
    _populate(store, "bob")
    data = store.export_person("alice")
    json.loads(json.dumps(data))  # JSON-serialisable as is
    assert data["sender_id"] == "alice" and data["timezone"] == "Europe/Berlin"
    assert [g["text"] for g in data["goals"]] == ["alice goal one", "alice goal two"]
    assert [p["text"] for p in data["goals"][0]["progress_updates"]] == ["step one", "step two"]
    assert data["goals"][0]["last_progress"] == "step two"
    assert len(data["followups"]) == 2
    assert "bob" not in json.dumps(data)
    empty = store.export_person("nobody")
    assert empty["goals"] == [] and empty["followups"] == []


def test_timezone_roundtrip(store):
    assert store.get_timezone("alice") is None
    store.set_timezone("alice", "America/New_York")
    assert store.get_timezone("alice") == "America/New_York"
    with pytest.raises(ValueError):
        store.set_timezone("alice", "Mars/Olympus")
    assert store.get_timezone("alice") == "America/New_York"


# ------------------------------------------------------------ availability


@pytest.fixture(params=["sqlite", "postgresql"])
def unreachable_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}"  # a directory: SQLite cannot open it
    if os.environ.get("COACH_SKIP_PG") == "1":
        pytest.skip("PostgreSQL tests skipped because COACH_SKIP_PG=1")
    return "postgresql+psycopg2://postgres@127.0.0.1:1/none?connect_timeout=1"


def test_unreachable_database_raises_store_unavailable(unreachable_url):
    s = Store(unreachable_url)
    with pytest.raises(StoreUnavailable):
        s.migrate()
    with pytest.raises(StoreUnavailable):
        s.add_goal("alice", "goal")
    with pytest.raises(StoreUnavailable):
        s.list_goals("alice")
    with pytest.raises(StoreUnavailable):
        s.claim_due_followups(NOW, "w")
    s.dispose()


def test_get_store_is_shared_and_migrated(db_url, monkeypatch):
    monkeypatch.setattr(store_module, "_stores", {})
    monkeypatch.setenv("COACH_DATABASE_URL", db_url)
    first = get_store()
    try:
        assert get_store() is first
        assert first.current_revision() == HEAD
    finally:
        first.dispose()


def test_get_store_unavailable_is_not_cached(unreachable_url, monkeypatch):
    monkeypatch.setattr(store_module, "_stores", {})
    monkeypatch.setenv("COACH_DATABASE_URL", unreachable_url)
    with pytest.raises(StoreUnavailable):
        get_store()
    assert store_module._stores == {}


def test_default_url_is_sqlite_in_var_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("COACH_DATABASE_URL", raising=False)
    monkeypatch.setattr(store_module, "VAR_DIR", tmp_path / "var")
    url = store_module.database_url()
    assert url == f"sqlite:///{tmp_path / 'var' / 'coach.db'}"
    s = Store(url)  # creates the folder
    try:
        s.migrate()
        assert (tmp_path / "var" / "coach.db").exists()
    finally:
        s.dispose()
