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
    # a person repeating themselves (a PCC evaluator's client, 3 Dec)
    ("What Greg means by visibility. I just said.", "complaint"),
    ("I told you. Greg's visibility comment.", "complaint"),
    ("I already said what's scary", "complaint"),
    ("You skipped over what I just realised.", "complaint"),
    ("I told you about my boss last week, he called again", "answer"),
    ("I said no to my boss yesterday and it felt great", "answer"),
    ("I'll talk to Jon on Thursday and tell him what I've noticed.", "plan"),
    ("what I noticed is that I avoid him", "insight"),
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


# --- arbiter: which intent wins --------------------------------------------------------------
from datetime import timedelta  # noqa: E402

from bot.understanding import arbiter, control, goal_change  # noqa: E402


def _settle(text, name, confidence=0.8, ranking=None):
    ranking = ranking or [{"name": name, "confidence": confidence},
                          {"name": "ask_out_of_scope", "confidence": 0.1}]
    return arbiter.settle(text, read(text), {"name": name, "confidence": confidence}, ranking)


def test_a_sure_control_sets_its_intent():
    assert _settle("check in with me next Tuesday", "inform")["name"] == "request_followup"
    assert _settle("I'd like a mentor's perspective please", "compare_answers")["name"] == "request_mentor"
    assert _settle("show me both: my boss ignores me", "ask_advice")["name"] == "compare_answers"


def test_data_changing_intents_need_their_words():
    assert _settle("switch persona to system", "delete_data", 0.74)["name"] == "ask_out_of_scope"
    assert _settle("do i get charged extra for using my card in portland", "delete_data", 0.65)["name"] \
        == "ask_out_of_scope"
    assert _settle("drop goal 2", "drop_goal") is None
    assert _settle("change the deadline of goal 1 to friday", "edit_goal") is None
    assert _settle("erase everything you know about me", "delete_data") is None


def test_my_goal_is_is_set_goal():
    for text in ("my goal is to finish my certification by june",
                 "my goal is to learn SQL'); DROP TABLE goals;-- by June"):
        assert _settle(text, "edit_goal", 0.91)["name"] == "set_goal"


def test_refine_act_by_intent():
    reading = read("I'd like to be better at saying no").as_dict()
    assert arbiter.refine_act(reading, {"name": "set_goal", "confidence": 0.9})["act"] == "answer"
    dropped = arbiter.refine_act(read("get rid of number 2").as_dict(), {"name": "drop_goal", "confidence": 0.9})
    assert (dropped["act"], dropped["control"], dropped["control_source"]) == ("control", "drop_goal", "intent")
    complaint = read("this is useless").as_dict()
    assert arbiter.refine_act(complaint, {"name": "inform", "confidence": 0.9})["act"] == "complaint"
    assert arbiter.refine_act(read("cheers").as_dict(), {"name": "thank", "confidence": 0.9})["act"] == "social"


# --- goal changes: act only on a named goal --------------------------------------------------
GOALS = [{"id": 7, "number": 1, "text": "speak up in leadership meetings", "status": "active", "topic": None},
         {"id": 9, "number": 2, "text": "delegate the weekly report to Sam", "status": "active", "topic": "delegation"}]


def test_goal_change_needs_a_named_goal():
    assert goal_change.target("drop goal 2", GOALS, 0.9)["id"] == 9
    assert goal_change.target("drop the weekly report goal", GOALS, 0.9)["id"] == 9
    assert goal_change.target("drop it", GOALS, 0.99) is None
    one = GOALS[:1]
    assert goal_change.target("ai pick up the dice, then drop it", one, 0.93) is None
    assert goal_change.target("drop my goal", one, 0.9)["id"] == 7
    assert goal_change.target("drop my goal", one, 0.5) is None


def test_undo_record_lasts_at_least_ten_minutes():
    record = control.change_record({**GOALS[0], "deadline": "2027-06-01"}, "dropped", NOW)
    assert record["before"]["status"] == "active" and record["before"]["deadline"] == "2027-06-01"
    assert control.undoable(record, NOW + timedelta(minutes=10))
    assert control.undoable(record, NOW + timedelta(minutes=control.UNDO_MINUTES + 1)) is None
    assert control.undoable(None, NOW) is None


def test_drop_question_has_a_button_per_goal_and_a_keep_button():
    reply = control.drop_question(GOALS)
    assert [b["payload"] for b in reply.buttons] == ["drop goal 1", "drop goal 2", "/deny"]
    assert reply.metadata == {"persona": "host", "technique": "goals"}


def test_control_outcomes():
    outcome = control.change_topic("my coworker", "coach", ["grow_goal"])
    assert outcome.start_from == "my coworker" and outcome.end_form and "grow_goal" in outcome.clear
    assert control.start_over(["grow_goal"]).replies[0].metadata["persona"] == "host"
    assert control.repair("complaint", in_grow=False).replies[0].buttons


def test_an_unplaced_everyday_question_is_out_of_scope():
    ranking = [{"name": "nlu_fallback", "confidence": 0.35}, {"name": "ask_out_of_scope", "confidence": 0.3},
               {"name": "ask_advice", "confidence": 0.2}]
    fallback = {"name": "nlu_fallback", "confidence": 0.35}
    text = "how do i clear my browser cache"
    assert arbiter.settle(text, read(text), fallback, ranking)["name"] == "ask_out_of_scope"
    work = "how do i stop my manager from cancelling our 1:1s"
    assert arbiter.settle(work, read(work), fallback, ranking) is None


def test_an_everyday_command_is_no_goal():
    assert _settle("set an alarm for 7am", "set_goal", 0.7)["name"] == "ask_out_of_scope"
    assert _settle("set a goal: run the retro every sprint", "set_goal", 0.7) is None
    assert _settle("get better at giving feedback to my team", "set_goal", 0.7) is None


def test_a_complaint_that_asks_for_something_keeps_its_request():
    assert _settle("stop asking questions and give me advice", "request_mentor", 0.9) is None
    assert _settle("you didn't answer my question", "compare_answers", 0.6)["name"] == "inform"


@pytest.mark.parametrize("text, wanted", [
    ("I want to call my dad more often", "set_goal"),
    ("I want a better relationship with my sister", "set_goal"),
    ("I want to book a flight to Lisbon", None),
])
def test_a_personal_goal_is_coached_not_refused(text, wanted):
    from bot.understanding import arbiter, read

    settled = arbiter.settle(text, read(text), {"name": "ask_out_of_scope", "confidence": 0.98},
                             [{"name": "ask_out_of_scope", "confidence": 0.98}])
    name = settled["name"] if settled else None
    assert name == wanted if wanted else name != "set_goal"


@pytest.mark.parametrize("text, leaving", [
    ("bye", True), ("Thanks, bye.", True), ("ok thanks, bye for now", True), ("gotta go", True),
    ("that's it for today", True), ("soon", False), ("See you soon", False), ("thanks", False),
    ("k bye", True), ("Thank you. That helped. Bye.", True),
])
def test_leave_taking_is_the_whole_message(text, leaving):
    from bot.understanding.acts import leave_taking
    assert leave_taking(text) is leaving
