"""The web chat page (/webhooks/socketio/chat) in headless Chromium, against the real servers.

Each test opens its own browser context, so it gets a fresh localStorage and a new session.
Screenshots of every step go to tests/artifacts/web_chat/; the README's two screenshots go
to docs/screenshots/.
"""
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from bot.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts" / "web_chat"
README_SHOTS = PROJECT_ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
REPLY_TIMEOUT_MS = 60_000
SESSION_KEY = "coach-mentor.session"
XSS = "<img src=x onerror=alert(1)>"


# --- fixtures and helpers ------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium "
                    "(`make browser-deps` installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


class Chat:
    """One page of the web chat, with what it saw: dialogs, script errors, requests."""

    def __init__(self, page, bot):
        self.page = page
        self.bot = bot
        self.dialogs = []
        self.errors = []
        self.requests = []
        page.set_default_timeout(REPLY_TIMEOUT_MS)
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

    def _on_dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    @property
    def url(self):
        return f"{self.bot.url}/webhooks/socketio/chat"

    def open(self):
        self.page.goto(self.url)
        self.wait_ready()
        return self

    def wait_ready(self):
        # The message box is enabled once the server has confirmed the session.
        self.page.locator("#message:enabled").wait_for()
        self.page.locator("#status[data-kind='ok']").wait_for()

    def bot_messages(self):
        return self.page.locator("#log .msg.bot")

    def wait_for_reply(self, before):
        """Waits until a turn's messages have arrived (the typing indicator goes away)."""
        self.bot_messages().nth(before).wait_for()
        self.page.locator("#typing").wait_for(state="hidden")
        return self.new_replies(before)

    def new_replies(self, before):
        found = []
        messages = self.bot_messages()
        for i in range(before, messages.count()):
            message = messages.nth(i)
            found.append({"persona": message.get_attribute("data-persona"),
                          "label": message.locator(".who").text_content().strip(),
                          "text": message.locator(".text").inner_text()})
        return found

    def say(self, text):
        before = self.bot_messages().count()
        box = self.page.get_by_label("Your message")
        box.fill(text)
        box.press("Enter")
        return self.wait_for_reply(before)

    def click(self, button):
        before = self.bot_messages().count()
        button.click()
        return self.wait_for_reply(before)

    def header_button(self, name):
        return self.page.locator("header").get_by_role("button", name=name, exact=True)

    def transcript(self):
        return [(m.get_attribute("class"), m.locator(".text").inner_text())
                for m in self.page.locator("#log .msg").all()]

    def session_id(self):
        return self.page.evaluate(f"() => localStorage.getItem('{SESSION_KEY}')")

    def shot(self, name):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.fixture
def open_chat(browser, bot):
    contexts = []

    def make(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        return Chat(context.new_page(), bot).open()

    yield make
    for context in contexts:
        context.close()


def overflow(page):
    """Widths that would make the page scroll sideways (empty when nothing overflows)."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        const out = [];
        if (document.documentElement.scrollWidth > width) out.push(['document', document.documentElement.scrollWidth]);
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width && box.right > width + 0.5 && !el.closest('.visually-hidden')) {
                out.push([el.className || el.tagName, Math.round(box.right)]);
            }
        }
        return out;
    }""")


# --- the server side of the page -----------------------------------------------------------

def test_page_and_client_are_served_by_the_bot(bot):
    page = requests.get(f"{bot.url}/webhooks/socketio/chat", timeout=10)
    assert page.status_code == 200
    assert "text/html" in page.headers["Content-Type"]
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    # Every script and style comes from the bot itself, never from a CDN.
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/webhooks/socketio/") or s.startswith("#") for s in sources), sources
    client = requests.get(f"{bot.url}/webhooks/socketio/chat/socket.io.min.js", timeout=10)
    assert client.status_code == 200 and "Socket.IO v4." in client.text[:200]
    assert requests.get(f"{bot.url}/webhooks/socketio/chat/..%2F..%2Fbot%2Frun.py", timeout=10).status_code == 404
    assert requests.get(f"{bot.url}/webhooks/socketio/chat/package.json", timeout=10).status_code == 404


def test_history_and_goals_routes_serve_only_web_sessions(bot, sender):
    rest_sender = "ab" * 16  # looks like a web session id, but talks over REST
    bot.say(rest_sender, "hello")
    bot.say(rest_sender, "I want to get better at delegating to my team")
    history = requests.post(f"{bot.url}/webhooks/socketio/history", json={"session_id": rest_sender}, timeout=10)
    # The page's session "abab..." is the sender web:abab..., not the REST sender: empty.
    assert history.status_code == 200 and history.json()["messages"] == []
    goals = requests.post(f"{bot.url}/webhooks/socketio/goals", json={"session_id": rest_sender}, timeout=10)
    assert goals.status_code == 200 and goals.json()["goals"] == []
    for route in ("history", "goals"):
        url = f"{bot.url}/webhooks/socketio/{route}"
        assert requests.post(url, json={"session_id": sender}, timeout=10).status_code == 404
        # Not JSON: refused before any handler (a page on another site could send it).
        assert requests.post(url, data="not json", timeout=10).status_code == 400
    fresh = requests.post(f"{bot.url}/webhooks/socketio/history", json={"session_id": "cd" * 16}, timeout=10)
    assert fresh.status_code == 200 and fresh.json()["messages"] == []


def test_a_socket_cannot_read_or_write_another_channels_conversation(bot, sender):
    import socketio

    from bot.channels.socketio import is_web_session_id
    from tests.e2e.servers import wait_until

    rest_sender = "ef" * 16  # web-shaped, but its conversation came over REST
    bot.say(rest_sender, "hello")
    bot.say(sender, "hello")
    confirmed, replies = [], []
    client = socketio.Client(reconnection=False)
    client.on("session_confirm", confirmed.append)
    client.on("bot_uttered", replies.append)
    client.connect(bot.url, socketio_path="/socket.io", transports=["polling"])
    try:
        client.emit("session_request", {"session_id": rest_sender})
        assert wait_until(lambda: confirmed, timeout=20)
        # A web-shaped id names the page's own conversation, web:<id>: the REST sender
        # with the same id is another person and stays untouched (checked below).
        assert is_web_session_id(confirmed[0])
        # A message naming a REST sender goes to a new web session, announced first.
        client.emit("user_uttered", {"message": "list my goals", "session_id": sender})
        assert wait_until(lambda: len(confirmed) == 2 and replies, timeout=60)
        assert confirmed[1] not in (sender, rest_sender) and is_web_session_id(confirmed[1])
        # The page's own session keeps working.
        client.emit("user_uttered", {"message": "hello", "session_id": confirmed[1]})
        assert wait_until(lambda: len(replies) >= 2, timeout=60)
        assert len(confirmed) == 2
    finally:
        client.disconnect()
    for other in (sender, rest_sender):
        said = [e["text"] for e in bot.tracker(other)["events"] if e["event"] == "user"]
        assert said == ["hello"], other


# --- the page ------------------------------------------------------------------------------

def test_page_loads_with_labelled_controls(open_chat):
    chat = open_chat()
    page = chat.page
    assert page.title() == "Coach & Mentor"
    log = page.get_by_role("log", name="Conversation")
    assert log.get_attribute("aria-live") == "polite"
    assert page.get_by_label("Your message").is_editable()
    assert page.get_by_role("button", name="Send message").is_enabled()
    assert chat.header_button("Coach").get_attribute("aria-pressed") == "false"
    assert chat.header_button("Mentor").is_visible()
    assert page.get_by_role("button", name="My goals", exact=True).get_attribute("aria-expanded") == "true"
    assert re.fullmatch(r"[0-9a-f]{32}", chat.session_id())
    assert all(url.startswith(chat.bot.url) for url in chat.requests), chat.requests
    assert not chat.errors
    chat.shot("01-loaded")


def test_coach_then_mentor_then_reload_keeps_the_conversation(open_chat):
    chat = open_chat()
    coach = chat.header_button("Coach")
    replies = chat.click(coach)
    assert coach.get_attribute("aria-pressed") == "true"
    assert any(r["persona"] == "coach" and r["label"] == "Coach" for r in replies), replies
    chat.shot("02-coach-chosen")

    replies = chat.say("I want to get better at delegating to my team")
    questions = [r for r in replies if r["persona"] == "coach"]
    assert questions and questions[-1]["text"].rstrip().endswith("?"), replies
    assert questions[-1]["label"] == "Coach"
    chat.shot("03-coach-question")

    mentor = chat.header_button("Mentor")
    replies = chat.click(mentor)
    assert mentor.get_attribute("aria-pressed") == "true"
    assert coach.get_attribute("aria-pressed") == "false"
    assert any(r["persona"] == "mentor" and r["label"] == "Mentor" for r in replies), replies
    chat.shot("04-mentor")

    before = chat.transcript()
    session = chat.session_id()
    chat.page.reload()
    chat.wait_ready()
    chat.page.locator("#log .msg").nth(len(before) - 1).wait_for()
    assert chat.session_id() == session
    assert chat.transcript() == before
    assert "I want to get better at delegating to my team" in [text for _, text in before]
    assert chat.page.locator("#log .msg.bot.mentor .who").first.text_content() == "Mentor"
    assert mentor.get_attribute("aria-pressed") == "true"
    assert not chat.errors
    chat.shot("05-after-reload")


def test_technique_shows_on_hover_and_tap(open_chat):
    chat = open_chat()
    chat.click(chat.header_button("Coach"))
    message = chat.page.locator("#log .msg.bot.coach").last
    technique = message.get_attribute("data-technique")
    assert technique
    assert technique.replace("_", " ") in message.locator(".bubble").get_attribute("title")
    line = message.locator(".technique")
    assert not line.is_visible()
    message.locator(".bubble").click()
    assert line.is_visible() and line.inner_text() == "Technique: " + technique.replace("_", " ")
    message.locator(".bubble").click()
    assert not line.is_visible()
    chat.page.get_by_label("Show techniques").check()
    assert line.is_visible()
    chat.shot("06-techniques")


def test_quick_replies_send_the_payload_and_show_the_title(open_chat):
    chat = open_chat()
    replies = chat.say("hello")
    assert replies and all(r["persona"] == "host" for r in replies)
    choice = chat.page.locator("#log .quick-reply", has_text="Coach me")
    choice.wait_for()
    chat.shot("07-quick-replies")
    replies = chat.click(choice)
    assert any(r["persona"] == "coach" for r in replies), replies
    users = chat.page.locator("#log .msg.user .text")
    assert users.last.inner_text() == "Coach me"  # the title, not the payload /request_coach
    assert chat.page.locator("#log .quick-reply", has_text="Mentor me").count() == 0
    chat.page.reload()
    chat.wait_ready()
    chat.page.locator("#log .msg.user").nth(1).wait_for()
    assert users.last.inner_text() == "Coach me"


def test_html_from_the_person_is_shown_as_text(open_chat):
    chat = open_chat()
    chat.say(XSS)
    assert chat.page.locator("#log .msg.user .text").last.inner_text() == XSS
    assert chat.page.locator("#log img").count() == 0
    chat.page.reload()
    chat.wait_ready()
    chat.page.locator("#log .msg.user").first.wait_for()
    assert chat.page.locator("#log .msg.user .text").first.inner_text() == XSS
    chat.page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert chat.page.locator("#log img").count() == 0
    assert chat.dialogs == []
    assert not chat.errors
    chat.shot("08-html-as-text")


def test_keyboard_only_use(open_chat):
    chat = open_chat()
    page = chat.page
    page.locator(".skip-link").focus()
    order = ["skip-link"]
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.id || document.activeElement.className")
        order.append(focused)
        if focused == "message":
            break
    assert order.index("switch-coach") < order.index("switch-mentor") < order.index("message"), order
    page.keyboard.press("Shift+Tab")  # back to the conversation log, then to the switch
    while page.evaluate("() => document.activeElement.id") != "switch-coach":
        page.keyboard.press("Shift+Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused control must show a focus ring"
    chat.shot("09-keyboard-focus")
    before = chat.bot_messages().count()
    page.keyboard.press("Enter")
    replies = chat.wait_for_reply(before)
    assert any(r["persona"] == "coach" for r in replies), replies
    # The message box keeps the focus, so the person can answer straight away.
    assert page.evaluate("() => document.activeElement.id") == "message"
    page.keyboard.type("I would like to run better meetings")
    before = chat.bot_messages().count()
    page.keyboard.press("Enter")
    chat.wait_for_reply(before)
    assert chat.page.locator("#log .msg.user .text").last.inner_text() == "I would like to run better meetings"


def test_multi_line_bot_text_keeps_its_line_breaks(open_chat):
    chat = open_chat()
    chat.click(chat.header_button("Mentor"))
    replies = chat.say("any tips for delegating to my team?")
    multi = [r for r in replies if "\n" in r["text"]]
    assert multi, "the mentor's step-by-step advice has one line per step"
    style = chat.page.locator("#log .msg.bot .text").last.evaluate("el => getComputedStyle(el).whiteSpace")
    assert style == "pre-wrap"


def test_new_conversation_starts_a_fresh_session(open_chat):
    chat = open_chat()
    chat.say("hello")
    first = chat.session_id()
    chat.page.get_by_role("button", name="New conversation").click()
    chat.page.locator("#empty-state").wait_for()
    chat.wait_ready()
    assert chat.page.locator("#log .msg").count() == 0
    assert chat.session_id() != first and re.fullmatch(r"[0-9a-f]{32}", chat.session_id())


def test_deleting_my_data_clears_the_page(open_chat):
    chat = open_chat()
    chat.say("I want to get better at delegating to my team")
    chat.say("delete my data")
    chat.page.locator("#log .quick-reply", has_text="Yes, delete everything").click()
    # Only the bot's confirmation stays on the page; the erased conversation is gone.
    chat.page.locator("#log .msg.user").first.wait_for(state="detached")
    remaining = chat.new_replies(0)
    assert remaining and all(r["persona"] == "host" for r in remaining), remaining
    assert "delegating" not in " ".join(r["text"] for r in remaining)
    chat.page.reload()
    chat.wait_ready()
    chat.page.locator("#empty-state").wait_for()
    assert chat.page.locator("#log .msg").count() == 0


def test_goals_panel_lists_goals(open_chat):
    chat = open_chat()
    panel = chat.page.get_by_role("complementary", name="My goals")
    assert panel.is_visible()
    chat.page.locator("#goals-message", has_text="No goals yet").wait_for()
    chat.click(chat.header_button("Mentor"))
    chat.say("My goal is to speak up in meetings")
    goal = panel.locator(".goal", has_text="speak up in meetings")
    goal.wait_for()
    assert goal.locator(".goal-status").inner_text() == "Active"
    chat.shot("10-goals")
    toggle = chat.page.get_by_role("button", name="My goals", exact=True)
    toggle.click()
    assert not panel.is_visible() and toggle.get_attribute("aria-expanded") == "false"


def test_goals_panel_says_when_the_store_is_unavailable(open_chat):
    chat = open_chat()
    chat.page.route("**/webhooks/socketio/goals",
                    lambda route: route.fulfill(status=503, content_type="application/json",
                                                body='{"available": false, "goals": []}'))
    chat.page.get_by_role("button", name="Refresh my goals").click()
    chat.page.locator("#goals-message[data-kind='error']", has_text="not reachable").wait_for()
    chat.shot("11-goals-unavailable")


def test_pushed_check_in_appears_without_reload(open_chat):
    chat = open_chat()
    chat.click(chat.header_button("Mentor"))
    chat.say("My goal is to speak up in meetings")
    replies = chat.say("check in with me tomorrow")
    assert replies
    before = chat.bot_messages().count()
    later = (datetime.now(timezone.utc) + timedelta(days=3)).isoformat()
    result = chat.bot.scheduler("--once", "--now", later)  # the push path of `make run`
    assert result.returncode == 0, result.stderr
    pushed = chat.wait_for_reply(before)
    assert pushed and pushed[0]["persona"] in ("coach", "mentor", "host"), pushed
    chat.shot("12-pushed-check-in")


def test_phone_width_does_not_overflow(open_chat):
    chat = open_chat(PHONE)
    page = chat.page
    assert page.get_by_role("button", name="My goals", exact=True).get_attribute("aria-expanded") == "false"
    chat.click(chat.header_button("Mentor"))
    chat.say("any tips for delegating to my team?")
    chat.say("a" * 120)  # one long word must wrap, not widen the page
    assert overflow(page) == []
    page.get_by_role("button", name="My goals", exact=True).click()
    page.get_by_role("complementary", name="My goals").wait_for()
    assert overflow(page) == []
    chat.shot("13-phone")


def test_readme_screenshots(open_chat):
    """A short conversation with all three voices and a goal, on a desktop and a phone."""
    chat = open_chat(DESKTOP)
    chat.click(chat.header_button("Mentor"))
    chat.say("My goal is to speak up in meetings")
    chat.click(chat.header_button("Coach"))
    chat.say("I want to get better at delegating to my team")
    chat.page.locator("#goals .goal").first.wait_for()
    chat.page.locator("#log .msg.bot.coach .bubble").last.click()  # a trainer taps: technique shows
    chat.page.get_by_label("Your message").focus()
    # The README's pictures are rewritten only on request (their text carries dates).
    target = README_SHOTS if os.environ.get("COACH_UPDATE_SCREENSHOTS") else ARTIFACTS
    target.mkdir(parents=True, exist_ok=True)
    chat.page.screenshot(path=str(target / "chat-desktop.png"))
    chat.page.set_viewport_size(PHONE)
    chat.page.reload()
    chat.wait_ready()
    chat.page.locator("#log .msg.bot.coach").last.wait_for()
    chat.page.get_by_label("Your message").focus()
    chat.page.screenshot(path=str(target / "chat-phone.png"))
    assert overflow(chat.page) == []
    assert (target / "chat-desktop.png").stat().st_size > 10_000
    assert os.path.getsize(target / "chat-phone.png") > 10_000
