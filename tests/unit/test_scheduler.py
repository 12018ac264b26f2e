"""Scheduler tests against a fake Rasa HTTP server on 127.0.0.1."""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

import bot.store.store as store_module
from bot import scheduler
from bot.paths import PROJECT_ROOT

UTC = timezone.utc
NOW = datetime(2025, 11, 26, 12, 0, tzinfo=UTC)


class FakeRasa:
    """Records trigger_intent calls; answers with queued status codes (default 200)."""

    def __init__(self):
        self.calls = []
        self.fail_next = {}  # sender_id -> list of status codes to answer first
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                parts = urlsplit(self.path)
                sender = parts.path.split("/")[2]
                fake.calls.append({
                    "path": parts.path,
                    "query": parse_qs(parts.query),
                    "body": json.loads(self.rfile.read(length) or b"{}"),
                    "sender": sender,
                })
                queued = fake.fail_next.get(sender) or []
                status = queued.pop(0) if queued else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"tracker": {}, "messages": []}')

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def rasa():
    fake = FakeRasa()
    yield fake
    fake.close()


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'coach.db'}"


def _statuses(store, sender):
    return {f["id"]: f["status"] for f in store.export_person(sender)["followups"]}


def _round(store, rasa, now=NOW, **kwargs):
    # A plain session: no urllib3 back-off sleeps in unit tests.
    return scheduler.run_once(store, now, "test-worker", http=requests.Session(),
                              rasa_url=rasa.url, **kwargs)


def test_one_delivery_per_due_followup(store, rasa):
    goal = store.add_goal("alice", "Secret goal text 7731")
    a = store.add_followup("alice", NOW - timedelta(minutes=5), goal_id=goal["id"],
                           channel="slack")
    b = store.add_followup("bob", NOW, channel="socketio")
    rest = store.add_followup("carol", NOW - timedelta(hours=1), channel="rest")
    later = store.add_followup("bob", NOW + timedelta(minutes=1), channel="socketio")

    stats = _round(store, rasa, token="s3cret")
    assert stats["claimed"] == 2 and stats["delivered"] == 2 and stats["failed"] == 0
    assert sorted(c["sender"] for c in rasa.calls) == ["alice", "bob"]
    call = next(c for c in rasa.calls if c["sender"] == "alice")
    assert call["path"] == "/conversations/alice/trigger_intent"
    assert call["query"] == {"output_channel": ["slack"], "token": ["s3cret"]}
    assert call["body"] == {"name": "followup_due", "entities": {"followup_id": a["id"]}}
    assert next(c for c in rasa.calls if c["sender"] == "bob")["query"]["output_channel"] == [
        "socketio"]

    assert _statuses(store, "alice") == {a["id"]: "delivered"}
    assert _statuses(store, "bob") == {b["id"]: "delivered", later["id"]: "pending"}
    # Non-push channels wait for the person's next message.
    assert _statuses(store, "carol") == {rest["id"]: "pending"}

    # Nothing is delivered twice; the later one goes out once it is due.
    _round(store, rasa)
    assert len(rasa.calls) == 2
    _round(store, rasa, now=NOW + timedelta(minutes=2))
    assert len(rasa.calls) == 3
    assert _statuses(store, "bob") == {b["id"]: "delivered", later["id"]: "delivered"}


def test_failed_delivery_is_released_and_retried(store, rasa):
    f = store.add_followup("dave", NOW, channel="slack")
    ok = store.add_followup("erin", NOW, channel="slack")
    rasa.fail_next["dave"] = [500]

    stats = _round(store, rasa)
    assert stats == {"claimed": 2, "delivered": 1, "failed": 1, "released_stale": 0}
    assert _statuses(store, "dave") == {f["id"]: "pending"}
    assert _statuses(store, "erin") == {ok["id"]: "delivered"}

    stats = _round(store, rasa)
    assert stats["delivered"] == 1 and stats["failed"] == 0
    assert _statuses(store, "dave") == {f["id"]: "delivered"}
    assert [c["sender"] for c in rasa.calls].count("dave") == 2
    assert [c["sender"] for c in rasa.calls].count("erin") == 1


def test_unreachable_rasa_keeps_followup_pending(store):
    f = store.add_followup("alice", NOW, channel="socketio")
    # Port 1 on loopback: connection refused at once.
    stats = scheduler.run_once(store, NOW, "w", http=requests.Session(),
                               rasa_url="http://127.0.0.1:1")
    assert stats["failed"] == 1
    assert _statuses(store, "alice") == {f["id"]: "pending"}


def test_no_token_param_without_token(store, rasa, monkeypatch):
    monkeypatch.delenv("COACH_API_TOKEN", raising=False)
    store.add_followup("alice", NOW, channel="slack")
    _round(store, rasa)
    assert "token" not in rasa.calls[0]["query"]


def test_sender_ids_are_url_quoted(store, rasa):
    store.add_followup("U123/../x y", NOW, channel="slack")
    _round(store, rasa)
    assert rasa.calls[0]["path"] == "/conversations/U123%2F..%2Fx%20y/trigger_intent"


def test_channel_sender_ids_keep_their_colon(store, rasa):
    store.add_followup("slack:U123", NOW, channel="slack")
    _round(store, rasa)
    assert rasa.calls[0]["path"] == "/conversations/slack:U123/trigger_intent"


def test_logs_sender_ids_but_no_text(store, rasa, caplog):
    goal = store.add_goal("alice", "Confidential goal words zq91",
                          first_step="Private step qx42")
    store.add_followup("alice", NOW, goal_id=goal["id"], channel="slack")
    store.add_followup("bob", NOW, channel="slack")
    rasa.fail_next["bob"] = [503]
    with caplog.at_level(logging.DEBUG):
        _round(store, rasa)
    assert "alice" in caplog.text and "bob" in caplog.text
    assert "zq91" not in caplog.text and "qx42" not in caplog.text


def test_main_once_with_moved_clock(db_url, rasa, monkeypatch):
    monkeypatch.setattr(store_module, "_stores", {})
    monkeypatch.setenv("COACH_DATABASE_URL", db_url)
    monkeypatch.setenv("RASA_URL", rasa.url)
    monkeypatch.delenv("COACH_API_TOKEN", raising=False)
    store = store_module.get_store()
    try:
        due = datetime.now(UTC) + timedelta(days=2)
        f = store.add_followup("alice", due, channel="slack")
        assert scheduler.main(["--once"]) == 0
        assert rasa.calls == []
        later = (due + timedelta(minutes=1)).isoformat()
        assert scheduler.main(["--once", "--now", later]) == 0
        assert [c["sender"] for c in rasa.calls] == ["alice"]
        assert _statuses(store, "alice") == {f["id"]: "delivered"}
    finally:
        store.dispose()


def test_main_survives_store_unavailable(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "_stores", {})
    monkeypatch.setenv("COACH_DATABASE_URL", f"sqlite:///{tmp_path}")  # a directory
    assert scheduler.main(["--once"]) == 1


def test_stops_cleanly_on_sigterm(db_url, rasa, tmp_path):
    env = dict(os.environ, COACH_DATABASE_URL=db_url, RASA_URL=rasa.url,
               PYTHONPATH=str(PROJECT_ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.scheduler", "--interval", "0.2"],
        cwd=PROJECT_ROOT, env=env, stderr=subprocess.PIPE, text=True,
    )
    try:
        lines = []
        for line in proc.stderr:  # wait until the loop is running
            lines.append(line)
            if "started" in line:
                break
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, "".join(lines) + rest
    assert "stopped" in rest
