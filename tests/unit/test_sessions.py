"""bot/sessions.py, actions/sessions.py: a new session starts with the same slots and the
same active form (our action_session_start, run as a Rasa server runs it)."""
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, ActiveLoop, SessionStarted, SlotSet, UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import sessions
from bot.paths import PROJECT_ROOT
from tests.unit import session_start

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


def start_new_session(tracker, metadata=None, speedups=False):
    return session_start.start_new_session(tracker, DOMAIN, metadata, speedups)


def mid_grow():
    tracker = DialogueStateTracker("ana", DOMAIN.slots)
    for event in [ActionExecuted("action_listen"), UserUttered("coach me", {"name": "request_coach"}),
                  ActionExecuted("action_request_persona"), SlotSet("persona", "coach"),
                  SlotSet("grow_goal", "first draft"), SlotSet("grow_goal", "delegate the report"),
                  ActionExecuted("grow_form"), ActiveLoop("grow_form"),
                  SlotSet("requested_slot", "grow_measure"), ActionExecuted("action_listen")]:
        tracker.update(event)
    return tracker


def test_new_session_keeps_the_form_and_every_slot_value():
    tracker = mid_grow()
    before = tracker.current_slot_values()
    events = start_new_session(tracker)
    assert isinstance(events[0], SessionStarted)
    assert isinstance(events[-1], ActionExecuted) and events[-1].action_name == "action_listen"
    assert tracker.active_loop_name == "grow_form"
    assert tracker.current_slot_values() == before
    assert tracker.get_slot("requested_slot") == "grow_measure"


def test_with_the_speedups_applied_the_same_session_begins():
    # Stock Rasa first, then the server's speed-ups (bot/rasa_speedups.py: they must not
    # drop the carried-over slots as "repeats" of the old session's values).
    stock_tracker, fast_tracker = mid_grow(), mid_grow()
    stock = start_new_session(stock_tracker)
    fast = start_new_session(fast_tracker, speedups=True)
    assert [e for e in fast if not isinstance(e, SessionStarted)] == \
        [e for e in stock if not isinstance(e, SessionStarted)]
    assert fast_tracker.current_slot_values() == stock_tracker.current_slot_values()
    assert fast_tracker.active_loop_name == "grow_form"


def test_each_slot_is_carried_over_once_with_its_last_value():
    events = start_new_session(mid_grow())
    carried = [e for e in events if isinstance(e, SlotSet)]
    keys = [e.key for e in carried]
    assert len(keys) == len(set(keys))
    assert SlotSet("grow_goal", "delegate the report") in carried


def test_no_form_no_active_loop_event():
    tracker = DialogueStateTracker("ben", DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    events = start_new_session(tracker)
    assert not any(isinstance(e, ActiveLoop) for e in events)
    assert tracker.active_loop_name is None


def test_action_session_start_is_ours_in_the_domain():
    assert "action_session_start" in DOMAIN.user_actions


def test_only_slots_away_from_their_initial_value_are_set_again():
    tracker = mid_grow()
    tracker.update(SlotSet("grow_goal", None))  # back to its initial value: nothing to carry
    before = tracker.current_slot_values()
    events = start_new_session(tracker)
    carried = {e.key for e in events if isinstance(e, SlotSet)}
    assert "grow_goal" not in carried and {"persona", "requested_slot"} <= carried
    assert tracker.current_slot_values() == before


def test_the_new_messages_metadata_is_carried_into_the_session():
    tracker = mid_grow()
    start_new_session(tracker, metadata={"timezone": "Europe/Paris"})
    assert tracker.get_slot("session_started_metadata") == {"timezone": "Europe/Paris"}
    assert tracker.active_loop_name == "grow_form"


def test_set_in_bots_last_turn_reads_back_to_the_last_user_message():
    events = [{"event": "slot", "name": "a"}, {"event": "user"}, {"event": "bot"},
              {"event": "slot", "name": "b"}, {"event": "slot", "name": "c"}]
    assert sessions.set_in_bots_last_turn(events) == {"b", "c"}


def test_what_the_bot_asked_carries_over_only_if_its_last_turn_asked_it():
    tracker = mid_grow()  # the bot's last turn asked a GROW question, not for a goal
    tracker.update(UserUttered("my measure", {"name": "inform"}))
    tracker.update(ActionExecuted("action_inform"))
    tracker.update(SlotSet("expecting", "coach_goal"))  # stale by the next user message
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("something else", {"name": "inform"}))
    tracker.update(ActionExecuted("action_inform"))
    tracker.update(SlotSet("offer", "mentor"))  # asked in the bot's last turn: still open
    tracker.update(ActionExecuted("action_listen"))
    events = start_new_session(tracker)
    carried = {e.key: e.value for e in events if isinstance(e, SlotSet)}
    assert "expecting" not in carried and tracker.get_slot("expecting") is None
    assert carried["offer"] == "mentor"
