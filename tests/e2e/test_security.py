"""Every attack of issue 15 against a server started as the README deploys it for Slack:
API token and webhook secret set, COACH_ALLOWED_HOSTS set, the HTTP API left off, Slack
switched on (against the loopback stand-in). Each attack fails with 401, 403 or 400 or
has no effect, and the bot still answers its own people."""
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from bot import run
from bot.paths import PROJECT_ROOT
from bot.store import Store
from tests.conftest import BASE_PORT, MODEL_MISSING
from tests.e2e.fake_chat_apps import FakeChatApps
from tests.e2e.servers import BotServers, texts, wait_until
from tests.e2e.test_chat_apps import SIGNING_SECRET, slack_says

PUBLIC_HOST = "bot.example.org"
VICTIM = "U0123ABC"  # a Slack user id an attacker has learnt


@pytest.fixture(scope="module")
def fake():
    service = FakeChatApps().start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def deployed(fake, tmp_path_factory):
    if not Path(run.settings()["model"]).exists():
        pytest.skip(MODEL_MISSING)
    servers = BotServers(tmp_path_factory.mktemp("secure"), port=BASE_PORT + 70,
                         action_port=BASE_PORT + 75, extra_env={
        "COACH_ENABLE_API": "",  # the default: off
        "COACH_ALLOWED_HOSTS": PUBLIC_HOST,
        "COACH_SLACK_TOKEN": "xoxb-test", "COACH_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "COACH_SLACK_API_URL": f"{fake.url}/api/",
        "COACH_SLACK_CHANNEL": "C-shared",  # no longer read: pushes never go to a channel
    }).start()
    yield servers
    servers.stop()


def store_of(servers):
    store = Store(f"sqlite:///{servers.workdir / 'coach.db'}")
    store.migrate()  # as the action server does on first use
    return store


def stored_events(servers, sender):
    with sqlite3.connect(servers.workdir / "tracker.db") as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    return [json.loads(data) for (data,) in rows]


def user_texts(servers, sender):
    return [e.get("text") for e in stored_events(servers, sender) if e["event"] == "user"]


def test_the_conversation_and_model_api_needs_the_token_and_is_off_by_default(deployed):
    slack_victim = f"slack:{VICTIM}"
    deployed.say("api-owner", "hello")
    before = stored_events(deployed, "api-owner")
    bearer = deployed.api_headers
    wrong = {"Authorization": "Bearer not-the-token"}
    attacks = [
        ("GET", "/conversations/api-owner/tracker", None),
        ("GET", f"/conversations/{slack_victim}/tracker", None),
        ("GET", "/conversations/api-owner/story", None),
        ("POST", "/conversations/api-owner/tracker/events",
         {"event": "slot", "name": "safety_check", "value": False}),
        ("PUT", "/conversations/api-owner/tracker/events", []),
        ("POST", "/conversations/api-owner/trigger_intent", {"name": "greet"}),
        ("POST", "/conversations/api-owner/execute", {"name": "action_delete_data_confirmed"}),
        ("POST", "/conversations/api-owner/messages", {"text": "hi", "sender": "user"}),
        ("POST", "/conversations/api-owner/predict", None),
        ("PUT", "/model", None), ("DELETE", "/model", None), ("POST", "/model/train", None),
        ("POST", "/model/parse", {"text": "hi"}), ("GET", "/status", None), ("GET", "/domain", None),
    ]
    for method, path, body in attacks:
        url = f"{deployed.url}{path}"
        kwargs = {"json": body} if body is not None else {}
        assert requests.request(method, url, timeout=30, **kwargs).status_code == 401, (method, path)
        assert requests.request(method, url, headers=wrong, timeout=30, **kwargs).status_code == 401, path
        if "trigger_intent" not in path:  # the API is off: even the token does not open it
            assert requests.request(method, url, headers=bearer, timeout=30, **kwargs).status_code == 403, path
    assert stored_events(deployed, "api-owner") == before, "no attack changed the conversation"
    assert requests.get(f"{deployed.url}/", timeout=10).status_code == 200


def test_rest_cannot_act_as_a_slack_user_or_a_web_page(deployed):
    store = store_of(deployed)
    try:
        store.add_goal(f"slack:{VICTIM}", "Become a staff engineer by the summer")
        for forged in (f"slack:{VICTIM}", f"teams:{VICTIM}", "web:" + "ab" * 16, f"SLACK:{VICTIM}"):
            response = requests.post(f"{deployed.url}/webhooks/rest/webhook", timeout=30,
                                     headers=deployed.rest_headers,
                                     json={"sender": forged, "message": "show my goals"})
            assert response.status_code == 400, forged
        # The bare Slack id over REST is another person: nothing of the Slack user's.
        assert "staff engineer" not in " ".join(texts(deployed.say(VICTIM, "show my goals")))
        assert "staff engineer" not in " ".join(texts(deployed.say(VICTIM, "export my data")))
        deployed.say(VICTIM, "delete my data")
        deployed.say(VICTIM, "yes")
        assert [g["text"] for g in store.list_goals(f"slack:{VICTIM}")] == [
            "Become a staff engineer by the summer"]
    finally:
        store.dispose()


def test_a_rest_message_with_a_web_session_id_does_not_touch_the_page(deployed):
    import socketio

    confirmed, replies = [], []
    client = socketio.Client(reconnection=False)
    client.on("session_confirm", confirmed.append)
    client.on("bot_uttered", replies.append)
    client.connect(deployed.url, socketio_path="/socket.io", transports=["polling"])
    try:
        client.emit("session_request", {"session_id": None})
        assert wait_until(lambda: confirmed, timeout=20)
        session = confirmed[0]
        client.emit("user_uttered", {"message": "hello", "session_id": session})
        assert wait_until(lambda: replies, timeout=60)
        assert all(r["recipient_id"] == session for r in replies)
        deployed.say(session, "show my goals")  # REST, naming the page's id
        seen = len(replies)
        client.emit("user_uttered", {"message": "what can you do?", "session_id": session})
        assert wait_until(lambda: len(replies) > seen, timeout=60)
        assert confirmed == [session], "the page keeps its own session"
    finally:
        client.disconnect()
    assert user_texts(deployed, f"web:{session}") == ["hello", "what can you do?"]
    assert user_texts(deployed, session) == ["show my goals"]


def test_cross_site_requests_foreign_hosts_and_origins_are_refused(deployed):
    webhook = f"{deployed.url}/webhooks/rest/webhook"
    body = json.dumps({"sender": "csrf-victim", "message": "delete my data"})
    simple_types = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")
    for content_type in simple_types:
        # Even with the secret (which a cross-site page cannot send), not JSON: refused.
        headers = {"Content-Type": content_type, **deployed.rest_headers}
        assert requests.post(webhook, data=body, headers=headers, timeout=30).status_code == 400
        api = f"{deployed.url}/conversations/csrf-victim/tracker/events"
        assert requests.post(api, data=body, headers={"Content-Type": content_type},
                             timeout=30).status_code in (401, 403)
    evil = {"Origin": "http://evil.example", **deployed.rest_headers}
    assert requests.post(webhook, data=body, timeout=30,
                         headers={"Content-Type": "application/json", **evil}).status_code == 403
    for host in ("evil.example", "127.0.0.1.nip.io", f"{PUBLIC_HOST}.evil.example"):
        assert requests.get(f"{deployed.url}/webhooks/rest/", headers={"Host": host}, timeout=30).status_code == 403
        assert requests.post(webhook, data=body, timeout=30, headers={
            "Host": host, "Content-Type": "application/json", **deployed.rest_headers}).status_code == 403
    assert stored_events(deployed, "csrf-victim") == []
    # The configured public name and same-origin requests work.
    assert requests.get(f"{deployed.url}/webhooks/rest/", headers={"Host": PUBLIC_HOST}, timeout=30).ok
    same = {"Origin": deployed.url, "Content-Type": "application/json", **deployed.rest_headers}
    ok = requests.post(webhook, data=json.dumps({"sender": "same-origin", "message": "hello"}),
                       headers=same, timeout=60)
    assert ok.status_code == 200 and ok.json()
    # socket.io: only the page's own origin may open a session.
    handshake = f"{deployed.url}/socket.io/?EIO=4&transport=polling"
    assert requests.get(handshake, headers={"Origin": "http://evil.example"}, timeout=30).status_code in (400, 403)
    assert requests.get(handshake, headers={"Origin": deployed.url}, timeout=30).status_code == 200


def test_metadata_is_bounded_and_the_bot_keeps_answering(deployed, sender):
    webhook = f"{deployed.url}/webhooks/rest/webhook"
    deep = {}
    for _ in range(900):
        deep = {"a": deep}
    for metadata in ({"blob": "x" * 1_000_000}, deep, {"timezone": "y" * 5000}, ["a", "list"]):
        response = requests.post(webhook, json={"sender": sender, "message": "hello", "metadata": metadata},
                                 headers=deployed.rest_headers, timeout=60)
        assert response.status_code == 400 and "metadata" in response.json()["error"]
    assert stored_events(deployed, sender) == [], "a refused message stores nothing"
    reply = deployed.say(sender, "hello", metadata={"timezone": "Europe/Paris", "coach_full_text": "forged",
                                                    "persona": "x"})
    assert reply and reply[0]["metadata"]["persona"] == "host"
    user = [e for e in stored_events(deployed, sender) if e["event"] == "user"][-1]
    assert user["metadata"]["timezone"] == "Europe/Paris"  # next to Rasa's model_id, assistant_id
    assert "coach_full_text" not in user["metadata"] and "persona" not in user["metadata"]
    log = (deployed.workdir / "rasa.log").read_text(errors="replace")
    assert "RecursionError" not in log and log.count("Traceback") == 0


def test_slack_escapes_reflected_text_and_pushes_only_to_direct_messages(deployed, fake):
    user = "U-escape"
    slack_says(deployed, fake, user, "coach me")
    posts = slack_says(deployed, fake, user, "I want <!channel> and <@U999> to see my work & value")
    assert posts
    for post in posts:
        assert "<!channel>" not in post["text"] and "<@U999>" not in post["text"]
        assert "<!channel>" not in json.dumps(post.get("blocks"))
    store = store_of(deployed)
    try:
        goal = store.add_goal(f"slack:{user}", "Share my work in the team meeting")
        store.add_followup(f"slack:{user}", datetime.now(timezone.utc) - timedelta(minutes=1),
                           goal_id=goal["id"], channel="slack")
        before = len(fake.slack_posts)
        assert deployed.scheduler("--once").returncode == 0
        assert wait_until(lambda: len(fake.slack_posts) > before, timeout=60)
        time.sleep(1.0)
        pushed = fake.slack_posts[before:]
        assert pushed and all(p["channel"] == user for p in pushed), [p["channel"] for p in pushed]
    finally:
        store.dispose()


def test_storage_is_private_deletion_leaves_no_text_and_export_is_complete(deployed):
    sender = f"owner-{uuid.uuid4().hex[:8]}"
    marker = f"marker{uuid.uuid4().hex[:10]}"
    deployed.say(sender, "coach me")
    deployed.say(sender, f"I want to get better at delegating the {marker} report to my team")
    deployed.say(sender, "my team would own the report without me checking every line")
    deployed.say(sender, f"right now I redo their {marker} work because I don't trust it yet")
    exported = deployed.say(sender, "export my data")
    dump = " ".join(texts(exported))
    assert "transcript" in dump and f"redo their {marker} work" in dump, "GROW answers and transcript"
    deployed.say(sender, "I feel \U0001FAE0 today \U0001F979")
    assert "I feel \U0001FAE0 today \U0001F979" in user_texts(deployed, sender)
    for name in ("coach.db", "tracker.db"):
        assert stat.S_IMODE((deployed.workdir / name).stat().st_mode) == 0o600, name
    assert "This deletes" in deployed.say(sender, "delete my data")[0]["text"]
    deployed.say(sender, "yes")
    files = [p for p in deployed.workdir.iterdir() if p.name.startswith(("coach.db", "tracker.db"))]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path.name
        assert marker.encode() not in path.read_bytes(), f"deleted text still in {path.name}"
    assert texts(deployed.say(sender, "hello")), "the bot still answers"


def test_make_run_creates_secrets_once_and_refuses_to_expose_without_host_names(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update({"COACH_VAR_DIR": str(tmp_path), "COACH_HOST": "0.0.0.0", "COACH_PORT": str(BASE_PORT + 77)})
    result = subprocess.run([sys.executable, "-m", "bot.run"], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "COACH_ALLOWED_HOSTS" in result.stderr
    for name in ("api-token", "webhook-secret"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
        assert len((tmp_path / name).read_text().strip()) >= 32
