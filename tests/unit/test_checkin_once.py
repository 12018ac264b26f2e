"""A pushed check-in is shown once (bot/followups.py, Store.mark_shown), however the
delivery goes: an answer lost after Rasa showed it, a scheduler killed mid-delivery and its
claim taken over, two schedulers racing over the same rows.

Rasa is stood in for by a small HTTP server on 127.0.0.1 that does what Rasa's
trigger_intent does for followup_due: run the same code as action_followup_due
(checkin_for_followup) and "show" what it returns. Everything else is real: the store on
SQLite and PostgreSQL, the scheduler's rounds, and in one test the scheduler process."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import text

import bot.store.store as store_module
from bot import scheduler
from bot.followups import checkin_for_followup
from bot.paths import PROJECT_ROOT
from bot.store import Store

UTC = timezone.utc


class DisplayingRasa:
    """trigger_intent followup_due -> the check-in action's code; records what is shown."""

    def __init__(self):
        self.pushes = []  # follow-up ids, every push
        self.shown = []  # (sender, follow-up id) of every check-in shown
        self.lose_answer = set()  # follow-up ids whose first answer is a 504 after showing
        self.hold = threading.Event()  # set: answers wait until released
        self.release = threading.Event()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                sender = urlsplit(self.path).path.split("/")[2]
                followup_id = body["entities"]["followup_id"]
                with fake.lock:
                    fake.pushes.append(followup_id)
                reply = checkin_for_followup(sender, followup_id)
                if reply is not None:
                    with fake.lock:
                        fake.shown.append((sender, followup_id))
                if fake.hold.is_set():
                    fake.release.wait(30)
                status = 200
                with fake.lock:
                    if followup_id in fake.lose_answer:
                        fake.lose_answer.discard(followup_id)
                        status = 504
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def db(sql_url, monkeypatch):
    monkeypatch.setattr(store_module, "_stores", {})
    monkeypatch.setenv("COACH_DATABASE_URL", sql_url)
    store = store_module.get_store()
    yield store
    for opened in list(store_module._stores.values()):
        opened.dispose()


@pytest.fixture
def rasa():
    fake = DisplayingRasa()
    yield fake
    fake.close()


def due_checkins(store, people, now):
    ids = []
    for n in range(people):
        goal = store.add_goal(f"web:{n:032x}", f"goal {n}")
        ids.append(store.add_followup(f"web:{n:032x}", now - timedelta(minutes=1), goal_id=goal["id"],
                                      channel="socketio")["id"])
    return ids


def statuses(store, ids):
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, status FROM followups")).all()
    return {fid: status for fid, status in rows if fid in ids}


def round_(store, rasa, worker, now):
    return scheduler.run_once(store, now, worker, http=requests.Session(), rasa_url=rasa.url)


def test_a_check_in_pushed_twice_is_shown_once(db, rasa):
    now = datetime.now(UTC)
    [fid] = due_checkins(db, 1, now)
    rasa.lose_answer.add(fid)  # Rasa showed it, but the scheduler hears a gateway error
    stats = round_(db, rasa, "one", now)
    assert stats["failed"] == 1
    assert statuses(db, {fid}) == {fid: "delivered"}  # the release found it shown
    round_(db, rasa, "one", now)
    # Pushed again anyway (another scheduler that claimed it before the answer came):
    sender = f"web:{0:032x}"
    assert checkin_for_followup(sender, fid) is None
    assert rasa.shown == [(sender, fid)]


def test_another_persons_or_a_cancelled_check_in_is_not_shown(db, rasa):
    now = datetime.now(UTC)
    [fid] = due_checkins(db, 1, now)
    assert checkin_for_followup("web:" + "f" * 32, fid) is None
    db.cancel_followups(f"web:{0:032x}")
    assert checkin_for_followup(f"web:{0:032x}", fid) is None
    assert statuses(db, {fid}) == {fid: "cancelled"}


def test_two_schedulers_racing_show_every_check_in_once(db, rasa, sql_url):
    now = datetime.now(UTC)
    ids = due_checkins(db, 30, now)
    rasa.lose_answer.update(ids[::4])  # some answers lost after showing: released, re-pushed
    other = Store(sql_url)  # the second scheduler's own connection pool
    try:
        def work(store, worker):
            for _ in range(4):
                round_(store, rasa, worker, now)

        threads = [threading.Thread(target=work, args=(db, "scheduler-a")),
                   threading.Thread(target=work, args=(other, "scheduler-b"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        other.dispose()
    counts = Counter(fid for _, fid in rasa.shown)
    assert set(counts) == set(ids)
    assert max(counts.values()) == 1
    assert set(statuses(db, set(ids)).values()) == {"delivered"}


def test_scheduler_killed_mid_delivery_then_taken_over_shows_once(db, rasa, sql_url):
    now = datetime.now(UTC)
    ids = due_checkins(db, 3, now)
    rasa.hold.set()  # answers hang: the scheduler is mid-delivery when it is killed
    env = dict(os.environ, COACH_DATABASE_URL=sql_url, RASA_URL=rasa.url, PYTHONPATH=str(PROJECT_ROOT))
    env.pop("COACH_API_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "bot.scheduler", "--interval", "0.2",
                             "--worker-id", "doomed"], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not rasa.shown and time.monotonic() < deadline:
            time.sleep(0.05)
        assert rasa.shown, "the scheduler never pushed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    rasa.release.set()
    rasa.hold.clear()
    # The first check-in was shown; the other claims are left "claimed" by a dead worker.
    left = statuses(db, set(ids))
    assert left[ids[0]] == "delivered" and {left[i] for i in ids[1:]} == {"claimed"}
    # Ten minutes later its claims are stale: a second scheduler takes them over.
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE followups SET claimed_at = :t WHERE status = 'claimed'"),
                     {"t": (now - timedelta(minutes=11)).replace(tzinfo=None)})
    stats = round_(db, rasa, "survivor", now)
    assert stats["released_stale"] == 2 and stats["delivered"] == 2
    # Its death after showing the first one cost no repeat; the held ones were shown once.
    round_(db, rasa, "survivor", now)
    counts = Counter(fid for _, fid in rasa.shown)
    assert counts == Counter({fid: 1 for fid in ids})
    assert set(statuses(db, set(ids)).values()) == {"delivered"}
