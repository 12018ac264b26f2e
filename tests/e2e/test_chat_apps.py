"""Slack and Teams through the real Rasa server, against loopback stand-ins for Slack's and
Microsoft's services: signed requests only, every message labelled with who speaks, quick
replies as buttons, and the same channel promises as REST (erasure after delete)."""
import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

from pathlib import Path

import pytest
import requests

from bot import run
from tests.conftest import BASE_PORT, MODEL_MISSING
from tests.e2e.fake_chat_apps import FakeChatApps
from tests.e2e.servers import BotServers, wait_until

SIGNING_SECRET = "test-signing-secret"
TEAMS_APP = "test-teams-app"


@pytest.fixture(scope="module")
def fake():
    service = FakeChatApps().start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def chat_bot(fake, tmp_path_factory):
    """One pair of servers with Slack and Teams switched on, for this module."""
    if not Path(run.settings()["model"]).exists():
        pytest.skip(MODEL_MISSING)
    servers = BotServers(tmp_path_factory.mktemp("chatapps"), port=BASE_PORT + 90,
                         action_port=BASE_PORT + 95, extra_env={
        "COACH_SLACK_TOKEN": "xoxb-test", "COACH_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "COACH_SLACK_API_URL": f"{fake.url}/api/",
        "COACH_TEAMS_APP_ID": TEAMS_APP, "COACH_TEAMS_APP_PASSWORD": "test-password",
        "COACH_TEAMS_OPENID_URL": f"{fake.url}/openid", "COACH_TEAMS_TOKEN_URL": f"{fake.url}/token",
    }).start()
    yield servers
    servers.stop()


def slack_post(bot, body: bytes, content_type: str, secret: str = SIGNING_SECRET):
    stamp = str(int(time.time()))
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body,
                                 hashlib.sha256).hexdigest()
    return requests.post(f"{bot.url}/webhooks/slack/webhook", data=body, timeout=30, headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature})


def slack_says(bot, fake, user: str, text: str):
    """Sends a direct message as Slack does and returns what the bot posted back."""
    before = len(fake.slack_posts)
    event = {"type": "event_callback", "event": {
        "type": "message", "channel_type": "im", "channel": f"D-{user}", "user": user,
        "text": text, "ts": str(time.time())}}
    assert slack_post(bot, json.dumps(event).encode(), "application/json").status_code == 200
    assert wait_until(lambda: len(fake.slack_posts) > before, timeout=60)
    time.sleep(1.0)  # the rest of the turn's messages
    return fake.slack_posts[before:]


def blocks_of(post):
    blocks = post.get("blocks")
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def test_slack_messages_say_who_speaks_and_buttons_work(chat_bot, fake):
    user = "U-label"
    posts = slack_says(chat_bot, fake, user, "hello")
    assert posts and all(p["channel"] == f"D-{user}" for p in posts)
    assert all(p["text"].startswith("*Coach & Mentor*\n") for p in posts)
    blocks = blocks_of(posts[-1])
    assert blocks[1] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "_greeting_"}]}
    buttons = blocks[2]["elements"]
    assert [b["text"]["text"] for b in buttons] == ["Coach me", "Mentor me", "Help me choose"]

    # Pressing "Coach me" arrives as an interactive payload with the button's value.
    before = len(fake.slack_posts)
    click = {"type": "block_actions", "user": {"id": user}, "channel": {"id": f"D-{user}"},
             "message": {"ts": "1.0"}, "actions": [{"type": "button", "value": buttons[0]["value"]}]}
    body = urlencode({"payload": json.dumps(click)}).encode()
    assert slack_post(chat_bot, body, "application/x-www-form-urlencoded").status_code == 200
    assert wait_until(lambda: any(p["text"].startswith("*Coach*\n") for p in fake.slack_posts[before:]),
                      timeout=60)
    assert chat_bot.tracker(f"slack:{user}")["slots"]["persona"] == "coach"


def test_slack_refuses_unsigned_requests(chat_bot, fake):
    event = json.dumps({"type": "event_callback", "event": {
        "type": "message", "channel_type": "im", "channel": "D-x", "user": "U-x", "text": "hi"}})
    refused = slack_post(chat_bot, event.encode(), "application/json", secret="wrong")
    assert refused.status_code == 400
    assert chat_bot.tracker("slack:U-x")["events"] in ([], None) or not any(
        e["event"] == "user" for e in chat_bot.tracker("slack:U-x")["events"])


def test_slack_delete_erases_the_conversation(chat_bot, fake):
    user = "U-erase"
    slack_says(chat_bot, fake, user, "coach me")
    slack_says(chat_bot, fake, user, "I want to get better at delegating to my team")
    assert "This deletes" in slack_says(chat_bot, fake, user, "delete my data")[0]["text"]
    done = slack_says(chat_bot, fake, user, "yes")
    assert "conversation history" in done[0]["text"]
    events = chat_bot.tracker(f"slack:{user}")["events"]
    assert not any(e["event"] == "user" and "delegating" in (e.get("text") or "") for e in events)


def teams_says(bot, fake, user: str, text: str, token: str = None):
    before = len(fake.teams_activities)
    activity = {"type": "message", "text": text, "from": {"id": user}, "recipient": {"id": "bot-1"},
                "conversation": {"id": f"conv-{user}"}, "serviceUrl": fake.url}
    headers = {"Authorization": f"Bearer {token or fake.teams_token(TEAMS_APP)}"}
    reply = requests.post(f"{bot.url}/webhooks/botframework/webhook", json=activity,
                          headers=headers, timeout=60)
    return reply, fake.teams_activities[before:]


def test_teams_messages_say_who_speaks_with_the_technique(chat_bot, fake):
    reply, activities = teams_says(chat_bot, fake, "T-label", "hello")
    assert reply.status_code == 200 and activities
    assert all(a["text"].startswith("**Coach & Mentor** _(greeting)_\n\n") for a in activities)
    assert all(a["recipient"] == {"id": "T-label"} for a in activities)
    card = activities[-1]["attachments"][0]["content"]
    assert {"type": "messageBack", "title": "Coach me", "displayText": "Coach me",
            "text": "/request_coach"} in card["buttons"]
    _, coached = teams_says(chat_bot, fake, "T-label", "/request_coach")
    assert coached[-1]["text"].startswith("**Coach** _(")


def test_teams_refuses_requests_without_a_valid_token(chat_bot, fake):
    reply, activities = teams_says(chat_bot, fake, "T-forged", "hello", token="not-a-jwt")
    assert reply.status_code == 401 and not activities
    other_app = fake.teams_token("some-other-app")
    reply, activities = teams_says(chat_bot, fake, "T-forged", "hello", token=other_app)
    assert reply.status_code == 401 and not activities
