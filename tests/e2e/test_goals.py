"""Goals, progress and follow-ups over REST: memory that survives restarts, check-ins
delivered exactly once, deletion, export and isolation."""
import json
import threading
from datetime import datetime, timedelta, timezone

from bot.store import Store
from tests.e2e.coachee import DELEGATION_COACHING
from tests.e2e.servers import DELEGATION_GROW, personas, techniques, texts


def coach_goal(servers, sender):
    servers.say(sender, "coach me")
    # Issue 18: the coach's own order (contract, readiness, staying with a feeling).
    replies = [servers.say(sender, text) for text in DELEGATION_COACHING]
    assert techniques(replies[-1])[-1] == "summary", replies[-1]
    return replies


def store_of(servers):
    return Store(f"sqlite:///{servers.workdir / 'coach.db'}")


def test_goal_survives_a_restart_of_both_servers(own_bot, sender):
    servers = own_bot().start()
    coach_goal(servers, sender)
    servers.restart()
    listing = servers.say(sender, "show my goals")[0]["text"]
    assert "delegating to my team" in listing
    assert "Sam" not in listing or "report" in listing
    assert servers.tracker(sender)["slots"]["persona"] == "coach", "the conversation survived too"


def test_progress_then_done_and_last_progress_listed(bot, sender):
    coach_goal(bot, sender)
    bot.say(sender, "no thanks")
    progress = bot.say(sender, "progress update: I talked to Sam and he agreed to take the report")
    assert "Noted on goal 1" in progress[0]["text"]
    assert progress[-1]["metadata"]["persona"] == "coach" and progress[-1]["text"].endswith("?")
    listing = bot.say(sender, "list my goals")[0]["text"]
    assert "talked to Sam" in listing
    done = bot.say(sender, "I finished goal 1, it's done")
    assert "marked as done" in done[0]["text"]
    assert "(done" in bot.say(sender, "show my goals")[0]["text"]


def test_a_returning_person_is_greeted_with_their_goal(bot, sender):
    coach_goal(bot, sender)
    bot.say(sender, "no thanks")
    hello = bot.say(sender, "hello")
    # Issue 18: a returning coaching client is met by the coach on the last agreed step
    # (before, the host greeted them with the goal's wording).
    assert personas(hello) == ["coach"] and "Sam" in hello[0]["text"], texts(hello)
    assert hello[0]["text"].endswith("?")
    bot.say(sender, "I finished goal 1, it's done")
    assert "goal in progress" not in bot.say(sender, "hi")[0]["text"], "done goals are not named"


def test_a_step_taken_is_progress_not_the_end_of_the_goal(bot, sender):
    coach_goal(bot, sender)
    bot.say(sender, "no thanks")
    step = bot.say(sender, "I did the first step")
    assert "Noted on goal 1" in step[0]["text"]
    assert "not happened" not in step[-1]["text"] and "honest" not in step[-1]["text"]
    assert "(active" in bot.say(sender, "show my goals")[0]["text"]
    slipped = bot.say(sender, "I haven't managed to do the next step yet")
    assert slipped[-1]["metadata"]["persona"] == "coach" and slipped[-1]["text"].endswith("?")
    assert "(active" in bot.say(sender, "show my goals")[0]["text"]


def test_followup_due_is_delivered_once_at_the_next_message(own_bot, sender):
    servers = own_bot().start()
    coach_goal(servers, sender)
    confirm = servers.say(sender, "tomorrow at 9")
    assert "check in" in confirm[0]["text"].lower()
    # Test hook: move the clock three days on, as if the person came back later.
    servers.stop()
    servers.env["COACH_CLOCK_OFFSET_SECONDS"] = str(3 * 24 * 3600)
    servers.start()
    first = servers.say(sender, "hi again")
    checkins = [m for m in first if m["metadata"]["technique"] == "accountability"]
    assert len(checkins) == 1 and "Last time you planned to" in checkins[0]["text"]
    second = servers.say(sender, "hello")
    assert not [m for m in second if m["metadata"]["technique"] == "accountability"]


def test_two_schedulers_deliver_a_push_followup_once(bot, sender):
    store = store_of(bot)
    goal = store.add_goal(sender, "speak up in the Tuesday meeting", first_step="prepare one point")
    store.add_followup(sender, datetime.now(timezone.utc) - timedelta(minutes=5),
                       goal_id=goal["id"], channel="socketio")
    results = []
    runners = [threading.Thread(target=lambda: results.append(bot.scheduler("--once")))
               for _ in range(2)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    assert all(r.returncode == 0 for r in results), [r.stderr[-2000:] for r in results]
    events = bot.tracker(sender)["events"]
    triggered = [e for e in events if e["event"] == "user" and e["parse_data"]["intent"]["name"] == "followup_due"]
    checkins = [e for e in events if e["event"] == "bot" and "Last time you planned to" in (e.get("text") or "")]
    assert len(triggered) == 1 and len(checkins) == 1
    assert "prepare one point" in checkins[0]["text"]
    assert store.list_followups(sender, statuses=("delivered",))


def test_done_goal_cancels_its_followups(bot, sender):
    coach_goal(bot, sender)
    bot.say(sender, "in two weeks")
    bot.say(sender, "I finished goal 1, it's done")
    store = store_of(bot)
    assert not store.list_followups(sender)
    assert store.list_followups(sender, statuses=("cancelled",))


def test_delete_then_nothing_is_left(bot, sender):
    coach_goal(bot, sender)
    assert "This deletes" in bot.say(sender, "delete my data")[0]["text"]
    done = bot.say(sender, "yes")
    assert "deleted 1 goal" in done[0]["text"]
    assert bot.tracker(sender)["events"] == [] or all(
        e["event"] in ("action", "session_started", "slot") for e in bot.tracker(sender)["events"])
    listing = bot.say(sender, "show my goals")[0]["text"]
    assert "no goals" in listing
    events = bot.tracker(sender)["events"]
    assert not any(e["event"] == "user" and "delegating" in (e.get("text") or "") for e in events)


def test_deny_keeps_the_data(bot, sender):
    coach_goal(bot, sender)
    bot.say(sender, "erase my history")
    assert "Nothing was deleted" in bot.say(sender, "no")[0]["text"]
    assert "delegating" in bot.say(sender, "show my goals")[0]["text"]


def test_export_has_everything_and_only_mine(bot, sender):
    coach_goal(bot, sender)
    reply = bot.say(sender, "export my data")
    exported = json.loads(reply[0]["text"].split("\n", 1)[1])
    assert exported["goals"][0]["text"] == DELEGATION_GROW[0]
    assert json.dumps(exported).count(sender) >= 1


def test_isolation_and_verbatim_text(bot, sender):
    nasty = "I want to get promoted '); DROP TABLE goals;-- <b>\"quoted\"</b> \U0001F680"
    bot.say(sender, "coach me")
    for text in [nasty] + DELEGATION_COACHING[1:]:
        reply = bot.say(sender, text)
    assert techniques(reply)[-1] == "summary"
    listing = bot.say(sender, "show my goals")[0]["text"]
    assert nasty in listing
    other = bot.say(f"{sender}-other", "show my goals")[0]["text"]
    assert "promoted" not in other and "no goals" in other
    assert "promoted" not in " ".join(texts(bot.say(f"{sender}-other", "export my data")))


def test_edit_a_goal(bot, sender):
    bot.say(sender, "switch to mentor mode")
    bot.say(sender, "thanks")
    bot.say(sender, "I want to get promoted to senior engineer this year")
    first_step = bot.say(sender, "change the first step of goal 1 to booking a talk with my manager")
    assert "First step: booking a talk with my manager" in first_step[0]["text"]
    deadline = bot.say(sender, "change the deadline of goal 1 to next friday")
    assert "Deadline:" in deadline[0]["text"]
    goal = store_of(bot).list_goals(sender)[0]
    assert goal["first_step"] == "booking a talk with my manager" and goal["deadline"]
