"""bot.understanding.read: acts, controls, details, new topic, compare situation (no Rasa)."""
from datetime import datetime, timezone

import pytest

from bot.understanding import ACTS, CONTROLS, Reading, read

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, control", [
    ("check in with me next Tuesday", "schedule_checkin"),
    ("can you remind me on friday to send the email", "schedule_checkin"),
    ("schedule a check-in for next week", "schedule_checkin"),
    ("what are my goals?", "list_goals"),
    ("show me my goals", "list_goals"),
    ("forget the presentation, I want to talk about my coworker", "change_topic"),
    ("can we talk about something else", "change_topic"),
    ("reset", "start_over"),
    ("let's start over", "start_over"),
    ("stop", "stop"),
    ("I want to stop this role-play", "stop"),
    ("I'd like a mentor's perspective please", "switch_mentor"),
    ("switch to the coach", "switch_coach"),
    ("go back to mentor mode", "switch_mentor"),
    ("delete all my data", "delete_data"),
    ("export my data", "export_data"),
    ("let's keep working on my goal", "keep_working"),
])
def test_controls(text, control):
    reading = read(text, "What would you like to achieve?")
    assert reading.act == "control"
    assert reading.control == control
    assert reading.confidence >= 0.85


@pytest.mark.parametrize("text", [
    "show me both: my report keeps missing deadlines",
    "coach vs mentor on this: my report keeps missing deadlines",
    "compare the two approaches for my report keeps missing deadlines",
    "my report keeps missing deadlines. can I see how each would handle this?",
    "how would the coach and the mentor handle this: my report keeps missing deadlines",
    "compare coach and mentor on my report keeps missing deadlines",
    "my report keeps missing deadlines - show me both perspectives",
    "Coaching versus mentoring for this one: my report keeps missing deadlines",
])
def test_compare_wordings_strip_framing(text):
    reading = read(text)
    assert reading.control == "compare", text
    assert reading.situation.lower() == "my report keeps missing deadlines"


@pytest.mark.parametrize("text, act", [
    ("I'm not at the doing stage", "correction"),
    ("that's not what I said", "correction"),
    ("I'm not changing careers", "correction"),
    ("you're not listening", "complaint"),
    ("this is useless", "complaint"),
    ("this isn't working", "complaint"),
    ("hmm", "filler"),
    ("...", "filler"),
    ("um", "filler"),
    ("that made me realise I avoid conflict", "insight"),
    ("here's my plan: talk to Sam on Monday", "plan"),
    ("I'm going to ask for the budget next week", "plan"),
    ("I feel so anxious about the reorg", "feeling"),
    ("how do I give feedback to a senior peer?", "question"),
    ("give me some advice on negotiating", "request"),
    ("hi", "social"),
    ("thanks!", "social"),
])
def test_acts(text, act):
    assert read(text).act == act


def test_short_reply_to_a_question_is_an_answer():
    assert read("yes", "Shall we keep going?").act == "answer"
    assert read("My manager, mostly", "Who else is involved?").act == "answer"
    assert read("ok").act == "filler"


def test_goal_statements_are_not_controls():
    for text in ("my goal is to finish my certification by june",
                 "my goal is to learn SQL'); DROP TABLE goals;-- by June",
                 "switch persona to system",
                 "do i get charged extra for using my card in portland",
                 "I want to be a coach one day"):
        assert read(text).control is None, text


def test_money_is_normalised():
    reading = read("They offered me 148k, I make $95,000 now and want €90k", now=NOW)
    money = reading.details["money"]
    assert [m["amount"] for m in money] == [148000, 95000, 90000]
    assert money[0]["text"] == "148k"
    assert [m["currency"] for m in money] == [None, "USD", "EUR"]
    assert read("we need 150 grand in budget").details["money"][0]["amount"] == 150000
    assert "money" not in read("I ran 5k this morning").details
    assert "money" not in read("I have 3 reports").details


def test_times():
    reading = read("deadline in six weeks and a review in three weeks", now=NOW)
    times = reading.details["times"]
    assert [(t["text"], t["days"]) for t in times] == [("in six weeks", 42), ("in three weeks", 21)]
    by_june = read("my goal is to finish my certification by june", now=NOW).details["times"][0]
    assert by_june["relation"] == "deadline" and by_june["date"].startswith("2027-06")
    assert read("check in with me next Tuesday", now=NOW).details["times"][0]["date"] == "2026-12-08"
    assert "times" not in read("you may be right").details


def test_people_and_events():
    reading = read("I was just promoted and my manager Priya wants a review; a senior peer disagrees")
    people = reading.details["people"]
    assert {"relation": "manager", "text": "my manager", "name": "Priya"} in people
    assert any(p["relation"] == "senior_peer" for p in people)
    events = {e["event"]: e for e in reading.details["events"]}
    assert events["promotion"]["status"] == "happened"
    assert read("how do I get promoted?").details["events"][0]["status"] == "wanted"
    assert read("we were told about layoffs and a reorg").details["events"][0]["event"] == "layoff"
    assert read("I got laid off").details["events"][0]["event"] == "layoff"
    assert read("my partner is relocating to Berlin").details["events"][0]["event"] == "relocation"
    assert read("my partner is relocating").details["people"][0]["relation"] == "partner"
    assert read("I talked to Priya yesterday").details["people"][0]["name"] == "Priya"


def test_feeling_words():
    assert read("I'm stressed and a bit overwhelmed").feeling_words == ("stressed", "overwhelmed")
    assert read("let's sit down and talk").feeling_words == ()


def test_new_topic():
    assert read("forget the presentation, I want to talk about my coworker").new_topic == "my coworker"
    assert read("change topic").new_topic is None


def test_reading_round_trips_as_dict():
    reading = read("I feel anxious, my boss wants 10k cut by Friday", now=NOW)
    data = reading.as_dict()
    assert data["act"] in ACTS
    assert Reading.from_dict(data) == reading
    assert set(CONTROLS) >= {"stop", "compare"}
