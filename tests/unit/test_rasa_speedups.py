"""bot/rasa_speedups.py: each patch changes how much work Rasa does, never what it decides
or what the action server is told about the present."""
import gc

from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_speedups
from bot.paths import PROJECT_ROOT

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


def conversation(user_turns):
    tracker = DialogueStateTracker("ana", DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    for n in range(user_turns):
        tracker.update(UserUttered(f"message {n}", {"name": "inform", "confidence": 0.9}))
        tracker.update(ActionExecuted("action_inform"))
        tracker.update(SlotSet("grow_goal", f"goal {n}"))
        tracker.update(BotUttered(f"answer {n}"))
        tracker.update(ActionExecuted("action_listen"))
    return tracker


def user_texts(events):
    return [e.text for e in events if isinstance(e, UserUttered)]


def test_recent_events_start_at_the_nth_last_user_message():
    events = conversation(25).events
    recent = rasa_speedups.recent_events(events, user_turns=10)
    assert user_texts(recent) == [f"message {n}" for n in range(15, 25)]
    assert isinstance(recent[0], UserUttered)
    assert recent == list(events)[-len(recent):]


def test_a_short_conversation_is_sent_whole():
    events = conversation(3).events
    assert rasa_speedups.recent_events(events, user_turns=10) == list(events)


def test_action_server_body_keeps_every_field_and_only_recent_events():
    rasa_speedups.apply()  # idempotent: other tests' servers apply it too
    tracker = conversation(30)
    stock_state = tracker.current_state(EventVerbosity.ALL)  # what stock Rasa sends
    action = RemoteAction("action_inform", EndpointConfig("http://127.0.0.1:1/webhook"))
    body = RemoteAction._action_call_format(action, tracker, DOMAIN)

    assert body["next_action"] == "action_inform" and body["sender_id"] == "ana"
    assert "domain" in body  # selective domain is off: the domain still travels
    trimmed_state = body["tracker"]
    assert {k: v for k, v in trimmed_state.items() if k != "events"} == \
        {k: v for k, v in stock_state.items() if k != "events"}
    assert trimmed_state["slots"]["grow_goal"] == "goal 29"  # older values still arrive
    assert trimmed_state["events"] == stock_state["events"][-len(trimmed_state["events"]):]
    assert len([e for e in trimmed_state["events"] if e["event"] == "user"]) == 10


def test_repeated_slot_events_are_dropped_but_changes_and_turn_markers_kept():
    tracker = conversation(1)  # grow_goal is "goal 0"
    events = [
        SlotSet("grow_goal", "goal 0"),      # repeats: dropped
        SlotSet("grow_goal", "new goal"),    # changes: kept
        SlotSet("grow_goal", "new goal"),    # repeats the new value: dropped
        SlotSet("expecting", None),          # turn marker: always kept
        BotUttered("hello"),
    ]
    kept = rasa_speedups.without_repeated_slot_events(events, tracker)
    assert kept == [events[1], events[3], events[4]]


def test_slots_carried_into_a_new_session_are_kept():
    from rasa.shared.core.events import SessionStarted

    tracker = conversation(1)  # grow_goal is "goal 0"
    events = [SessionStarted(), SlotSet("grow_goal", "goal 0"), SlotSet("persona", None),
              ActionExecuted("action_listen")]
    kept = rasa_speedups.without_repeated_slot_events(events, tracker)
    assert kept == [events[0], events[1], events[3]]  # persona None is its initial value


def test_heap_is_frozen_once_the_model_is_loaded(monkeypatch):
    import asyncio

    from rasa.core import agent

    async def fake_load_agent(*args, **kwargs):
        return "agent"

    monkeypatch.setattr(agent, "load_agent", fake_load_agent)
    rasa_speedups.freeze_heap_after_model_load()
    try:
        assert asyncio.run(agent.load_agent()) == "agent"
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_refused_with_a_warning_on_a_rasa_other_than_3_6(monkeypatch, capsys):
    assert rasa_speedups.supported("3.6.21") and not rasa_speedups.supported("3.7.0")
    monkeypatch.setattr(rasa_speedups, "_applied", False)
    monkeypatch.setattr(rasa_speedups, "rasa_version", lambda: "3.7.0")
    run, call_format = RemoteAction.run, RemoteAction._action_call_format
    assert rasa_speedups.apply() is False
    assert RemoteAction.run is run and RemoteAction._action_call_format is call_format
    warning = capsys.readouterr().err
    assert "3.7.0" in warning and "NOT applied" in warning


def test_importing_the_channels_patches_nothing():
    import subprocess
    import sys

    code = ("from rasa.core.actions.action import RemoteAction; run = RemoteAction.run; "
            "import bot.channels, bot.channels.rest, bot.channels.socketio; "
            "from bot import rasa_speedups; "
            "assert RemoteAction.run is run and not rasa_speedups._applied")
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True, timeout=120)


def test_the_rasa_server_starts_through_the_entry_point_that_applies_them():
    from bot import run

    cfg = {**run.settings(), "debug": ""}
    command = run.rasa_server_command(cfg, {})
    assert command[:3] == [run.sys.executable, "-m", "bot.rasa_server"] and command[3] == "run"
