"""Workshop mode on the web page in headless Chromium: the compare view, presenter mode,
the transcript and print, demos run twice word for word, and a practise round.

Screenshots go to tests/artifacts/web_chat/; with COACH_UPDATE_SCREENSHOTS=1 the README's
three workshop pictures are rewritten in docs/screenshots/.
"""
import os
import re
from datetime import datetime, timezone

import pytest

from tests.browser.test_web_chat import (ARTIFACTS, DESKTOP, README_SHOTS, Chat, browser,  # noqa: F401
                                         open_chat, overflow)

pytestmark = pytest.mark.browser

SITUATION = "I've just been promoted to lead my old team, and two of them used to be my peers"
PRESENTER_MIN_PX, PRESENTER_MAX_PX = 24, 28


def readme_shot(chat, name):
    target = README_SHOTS if os.environ.get("COACH_UPDATE_SCREENSHOTS") else ARTIFACTS
    target.mkdir(parents=True, exist_ok=True)
    chat.page.screenshot(path=str(target / name))
    assert (target / name).stat().st_size > 10_000


def box(locator):
    found = locator.bounding_box()
    assert found, "not rendered"
    return found


def px(locator, prop, pseudo=None):
    value = locator.evaluate(f"(el) => getComputedStyle(el, {pseudo!r} || null).{prop}"
                             if pseudo else f"(el) => getComputedStyle(el).{prop}")
    return value


def font_px(locator):
    return float(px(locator, "fontSize").rstrip("px"))


def compare(chat, situation=SITUATION):
    chat.page.get_by_label("Your message").fill(situation)
    return chat.click(chat.page.get_by_role("button", name="Compare", exact=True))


# --- the compare view ------------------------------------------------------------------------

def test_compare_shows_coach_and_mentor_side_by_side_on_one_screen(open_chat):
    chat = open_chat(DESKTOP)
    coach = chat.header_button("Coach")
    chat.click(coach)
    chat.say("I want to get better at giving difficult feedback to my team")
    compare(chat)
    page = chat.page
    view = page.get_by_role("region", name="Coach and mentor side by side").last
    view.locator(".compare-debrief .msg").wait_for()
    assert SITUATION in view.locator(".compare-intro").inner_text()
    coach_col, mentor_col = view.locator(".compare-column.coach"), view.locator(".compare-column.mentor")
    assert coach_col.locator(".compare-head").inner_text().lower() == "coach"
    assert mentor_col.locator(".compare-head").inner_text().lower() == "mentor"
    assert coach_col.locator(".msg.bot.coach .text").inner_text().rstrip().endswith("?")
    assert mentor_col.locator(".msg.bot.mentor").get_attribute("data-technique") == "advice"
    # Two columns: same top, coach on the left; the debrief underneath both.
    left, right, debrief = box(coach_col), box(mentor_col), box(view.locator(".compare-debrief"))
    assert abs(left["y"] - right["y"]) < 2 and left["x"] + left["width"] <= right["x"]
    assert debrief["y"] >= max(left["y"] + left["height"], right["y"] + right["height"])
    # The whole comparison is on screen at 1280x800, inside the conversation's visible area.
    whole, log = box(view), box(page.locator("#log"))
    assert whole["y"] >= log["y"] - 1 and whole["y"] + whole["height"] <= log["y"] + log["height"] + 1, (whole, log)
    assert whole["y"] + whole["height"] <= DESKTOP["height"]
    # The person is still talking to the coach.
    assert coach.get_attribute("aria-pressed") == "true"
    assert chat.header_button("Mentor").get_attribute("aria-pressed") == "false"
    assert overflow(page) == []
    assert not chat.errors
    readme_shot(chat, "workshop-compare.png")
    # After a reload the comparison is laid out the same way, and the header is unchanged.
    page.reload()
    chat.wait_ready()
    page.locator(".comparison .compare-debrief .msg").first.wait_for()
    assert page.locator(".comparison .compare-column.mentor .msg.mentor").count() == 1
    assert coach.get_attribute("aria-pressed") == "true"


def test_compare_with_an_empty_box_uses_the_last_message(open_chat):
    chat = open_chat(DESKTOP)
    chat.click(chat.header_button("Mentor"))
    chat.say("my manager rewrites every report I send her")
    chat.click(chat.page.get_by_role("button", name="Compare", exact=True))
    view = chat.page.locator(".comparison").last
    view.locator(".compare-debrief .msg").wait_for()
    assert "rewrites every report" in view.locator(".compare-intro").inner_text()
    assert chat.header_button("Mentor").get_attribute("aria-pressed") == "true"


# --- presenter mode ----------------------------------------------------------------------------

def test_presenter_mode_is_readable_from_the_back_of_the_room(open_chat, bot):
    chat = open_chat(DESKTOP)
    page = chat.page
    page.goto(f"{bot.url}/webhooks/socketio/chat?presenter=1")
    chat.wait_ready()
    assert "presenter" in page.evaluate("() => document.body.className")
    assert page.get_by_label("Presenter mode").is_checked()
    assert not page.locator("#goals").is_visible()
    assert not page.get_by_role("button", name="My goals", exact=True).is_visible()
    page.get_by_label("Show techniques").check()
    # The coaching demo (seeded): the coach gives the words back and asks, then "why?".
    page.get_by_label("Demo script").select_option("coaching")
    page.get_by_role("button", name="Start demo").click()
    page.locator("#demo-status", has_text="Line 1 of").wait_for()
    chat.wait_ready()
    page.wait_for_function("() => document.querySelectorAll('#log .msg').length === 0")
    page.locator("#log").focus()
    for _ in range(3):
        before = chat.bot_messages().count()
        page.keyboard.press("PageDown")
        replies = chat.wait_for_reply(before)
    assert replies and replies[0]["persona"] == "host" and "The coach's" in replies[0]["text"]
    compound = page.locator("#log .msg.bot.coach .part")
    assert compound.count() == 2, "the demo's second coach message reflects, then asks"
    assert [compound.nth(i).get_attribute("data-label") for i in range(2)][0] == "reflection"
    assert px(compound.first, "content", "::after") == '"reflection"'
    assert font_px(compound.first) >= PRESENTER_MIN_PX
    coach = page.locator("#log .msg.bot.coach").last
    body = font_px(coach.locator(".text").first)
    assert PRESENTER_MIN_PX <= body <= PRESENTER_MAX_PX
    assert font_px(coach.locator(".who")) >= body
    assert font_px(coach.locator(".technique")) >= body
    assert coach.locator(".technique").is_visible()
    # Saturated persona colours and an icon per voice.
    assert px(coach.locator(".who"), "content", "::before") == '"?"'
    mentor_icon = page.evaluate("""() => {
        const probe = document.createElement('div'); probe.className = 'msg bot mentor';
        probe.innerHTML = '<div class="bubble"><span class="who">Mentor</span></div>';
        document.getElementById('log').appendChild(probe);
        const style = getComputedStyle(probe.querySelector('.who'), '::before');
        const out = [style.content, getComputedStyle(probe.querySelector('.bubble')).backgroundColor];
        probe.remove(); return out; }""")
    assert mentor_icon[0] == '"!"'
    coach_bg = px(coach.locator(".bubble"), "backgroundColor")
    assert coach_bg not in ("rgb(231, 245, 243)", "rgb(255, 255, 255)")
    assert mentor_icon[1] not in ("rgb(242, 237, 252)", "rgb(255, 255, 255)")
    assert saturation(coach_bg) > 0.5 and saturation(mentor_icon[1]) > 0.5
    # Host messages carry no technique on the page.
    host = page.locator("#log .msg.bot.host")
    assert host.count() > 0 and host.locator(".technique").count() == 0
    # Full width: the conversation uses the window, not a narrow column.
    assert box(page.locator("#log"))["width"] >= DESKTOP["width"] - 2
    assert box(coach.locator(".bubble"))["width"] > 700 or len(coach.locator(".text").first.inner_text()) < 60
    # The latest reply is shown from its first line.
    first_reply = page.locator("#log .msg.bot").nth(page.locator("#log .msg.bot").count() - len(replies))
    top, log = box(first_reply)["y"], box(page.locator("#log"))
    assert log["y"] - 1 <= top <= log["y"] + log["height"] - 60
    assert overflow(page) == []
    readme_shot(chat, "workshop-presenter.png")
    # The toggle switches it off and back, keeping the URL in step.
    page.get_by_label("Presenter mode").uncheck()
    assert "presenter" not in page.evaluate("() => document.body.className")
    assert "presenter=1" not in page.url
    assert font_px(coach.locator(".text").first) < PRESENTER_MIN_PX
    page.get_by_label("Presenter mode").check()
    assert "presenter=1" in page.url
    assert not chat.errors


def saturation(rgb):
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])
    high, low = max(r, g, b), min(r, g, b)
    if high == low:
        return 0.0
    light = (high + low) / 2
    return (high - low) / (1 - abs(2 * light - 1))


# --- transcript and print ----------------------------------------------------------------------

def test_download_transcript_has_personas_techniques_date_and_the_comparison(open_chat):
    chat = open_chat(DESKTOP)
    chat.click(chat.header_button("Coach"))
    chat.say("I want to get better at giving difficult feedback to my team")
    compare(chat)
    with chat.page.expect_download() as download_info:
        chat.page.get_by_role("button", name="Download transcript").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".md")
    path = ARTIFACTS / download.suggested_filename
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    download.save_as(str(path))
    text = path.read_text(encoding="utf-8")
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    assert text.startswith("# Coach & Mentor: conversation transcript")
    assert f"({today})" in text.split("\n")[2]
    assert "**You:** I want to get better at giving difficult feedback to my team" in text
    assert re.search(r"\*\*Coach \([a-z ]+(?: \+ [a-z ]+)?\):\*\* ", text), text
    assert "| Coach | Mentor |" in text and "| --- | --- |" in text
    row = text.split("| --- | --- |")[1].strip().split("\n")[0]
    assert row.count(" | ") == 1 and "_(advice)_" in row
    assert SITUATION in text and "**Debrief:**" in text
    assert "**Host:**" in text and "**Host (" not in text  # the host uses no technique


def test_print_shows_the_whole_conversation_without_the_controls(open_chat):
    chat = open_chat(DESKTOP)
    chat.click(chat.header_button("Mentor"))
    for text in ["any tips for delegating to my team?", "and for running better meetings?",
                 "what about giving feedback?"]:
        chat.say(text)
    page = chat.page
    screen_scrolls = page.evaluate("() => { const l = document.getElementById('log'); return l.scrollHeight > l.clientHeight; }")
    assert screen_scrolls, "the test needs a conversation longer than the screen"
    page.emulate_media(media="print")
    try:
        log = page.locator("#log")
        assert page.evaluate("() => { const l = document.getElementById('log'); return l.scrollHeight <= l.clientHeight + 1; }")
        assert px(log, "overflowY") == "visible"
        for hidden in ("#composer", ".workshop-bar", ".footer-bar", "#goals", ".persona-switch"):
            assert not page.locator(hidden).is_visible(), hidden
        assert page.locator("#log .msg").first.is_visible() and page.locator("#log .msg").last.is_visible()
        assert page.locator("#log .msg.bot.mentor .technique").first.is_visible()
        pdf = page.pdf(format="A4")
        (ARTIFACTS / "transcript-print.pdf").write_bytes(pdf)
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    finally:
        page.emulate_media(media="screen")


def test_export_my_data_is_the_json_privacy_export(open_chat):
    chat = open_chat(DESKTOP)
    chat.say("I want to get better at delegating to my team")
    replies = chat.say("export my data")
    assert "privacy export" in replies[0]["text"] and "JSON" in replies[0]["text"]


# --- demos ---------------------------------------------------------------------------------------

def run_demo(chat, demo_id):
    page = chat.page
    page.get_by_label("Demo script").select_option(demo_id)
    page.get_by_role("button", name="Start demo").click()
    return follow_demo(chat)


def follow_demo(chat):
    page = chat.page
    page.locator("#demo-status", has_text="Line 1 of").wait_for()
    chat.wait_ready()
    page.wait_for_function("() => document.querySelectorAll('#log .msg').length === 0")
    total = int(re.search(r"of (\d+)", page.locator("#demo-status").inner_text()).group(1))
    page.locator("#log").focus()
    for _ in range(total):
        before = chat.bot_messages().count()
        page.keyboard.press("n")  # the key a trainer presses for the next scripted line
        chat.wait_for_reply(before)
    page.locator("#demo-status", has_text="Demo done").wait_for()
    return [(m.get_attribute("class"), m.inner_text()) for m in page.locator("#log .msg").all()]


def test_a_demo_runs_word_for_word_the_same_twice_and_r_resets(open_chat):
    chat = open_chat(DESKTOP)
    first = run_demo(chat, "compare")
    session = chat.session_id()
    assert chat.page.locator(".comparison").count() == 1
    assert any("In short, the mentor told you" in text for _, text in first)
    chat.page.locator("#log").focus()
    chat.page.keyboard.press("r")  # reset between groups: a fresh conversation, same script
    chat.page.wait_for_function(f"() => localStorage.getItem('coach-mentor.session') !== '{session}'")
    second = follow_demo(chat)
    assert chat.session_id() != session
    assert second == first
    assert not chat.errors


def test_every_demo_is_listed_and_prefills_its_first_line(open_chat):
    chat = open_chat(DESKTOP)
    options = chat.page.locator("#demo-select option").all_inner_texts()
    assert {"The difference", "A coaching conversation", "Side by side"} <= set(options)
    chat.page.get_by_label("Demo script").select_option("difference")
    chat.page.get_by_role("button", name="Start demo").click()
    chat.page.locator("#demo-status", has_text="Line 1 of 4").wait_for()
    chat.wait_ready()
    assert chat.page.get_by_label("Your message").input_value() == "What's the difference between a coach and a mentor?"


# --- practise coaching ---------------------------------------------------------------------------

def test_practise_button_starts_a_round_and_labels_the_participants_messages(open_chat):
    chat = open_chat(DESKTOP)
    page = chat.page
    replies = chat.click(page.get_by_role("button", name="Practise coaching"))
    assert replies
    assert page.locator("#log .msg.user .text").last.inner_text() == "I want to practise coaching"
    lines = [("What would you like to get out of our conversation today?", "Open question"),
             ("Have you spoken to your manager about it?", "Closed question"),
             ("My advice is to write down your achievements and take them to your manager.", "Advice or telling"),
             ("What matters most to you about this?", "Open question")]
    for line, label in lines:
        chat.say(line)
        tag = page.locator("#log .msg.user").last.locator(".practice-label")
        tag.wait_for()
        assert tag.inner_text() == label, (line, tag.inner_text())
    readme_shot(chat, "workshop-practise.png")
    feedback = " ".join(r["text"] for r in chat.say("how did I do?"))
    # The feedback names the participant's own questions.
    assert any(line.rstrip("?") in feedback for line, label in lines if label == "Open question"), feedback
