"""The tracker store's in-process cache (bot/tracker_store.py): a turn gets back the very
tracker the previous turn saved, and only when the database still holds exactly that;
whatever else happened to the conversation makes it load from SQL like stock Rasa."""
import asyncio
import json

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered,
)

from bot.paths import PROJECT_ROOT
from bot.tracker_store import DatabaseUrlTrackerStore

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


@pytest.fixture
def tracker_url(sql_url, monkeypatch):
    monkeypatch.setenv("COACH_TRACKER_URL", sql_url)
    return sql_url


def make_store(**kwargs):
    return DatabaseUrlTrackerStore(domain=DOMAIN, **kwargs)


def run(coroutine):
    return asyncio.run(coroutine)


def turn(tracker, text, slot_value=None):
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 0.9}))
    tracker.update(ActionExecuted("action_inform"))
    tracker.update(BotUttered(f"echo {text}"))
    if slot_value is not None:
        tracker.update(SlotSet("grow_goal", slot_value))
    tracker.update(ActionExecuted("action_listen"))


def stored_rows(store, sender):
    with store.session_scope() as session:
        rows = (session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender)
                .order_by(store.SQLEvent.id).all())
        return [json.loads(row.data) for row in rows]


def as_dicts(tracker):
    return [event.as_dict() for event in tracker.events]


def started(store, sender):
    """A conversation as Rasa begins one: created, then a session started, saved."""
    tracker = run(store.get_or_create_tracker(sender))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    run(store.save(tracker))
    return run(store.retrieve(sender))


def test_saved_tracker_comes_back_as_the_same_object_with_every_event_stored(tracker_url):
    store = make_store()
    tracker = started(store, "ana")
    for n in range(5):
        turn(tracker, f"message {n}", slot_value=f"goal {n}")
        run(store.save(tracker))
        again = run(store.retrieve("ana"))
        assert again is tracker
    assert again.get_slot("grow_goal") == "goal 4"
    # Exactly what a cold load sees: nothing lost, nothing stored twice.
    cold = run(make_store(cache_size=0).retrieve("ana"))
    assert as_dicts(cold) == as_dicts(tracker)
    # The rows before the session start: creation's action_listen, action_session_start.
    assert stored_rows(store, "ana")[2:] == as_dicts(tracker)


def test_a_write_by_another_process_is_seen(tracker_url):
    ours, theirs = make_store(), make_store()
    tracker = started(ours, "ben")
    turn(tracker, "hello")
    run(ours.save(tracker))
    other = run(theirs.retrieve("ben"))
    turn(other, "written elsewhere", slot_value="theirs")
    run(theirs.save(other))
    fresh = run(ours.retrieve("ben"))
    assert fresh is not tracker
    assert fresh.get_slot("grow_goal") == "theirs"
    assert as_dicts(fresh) == as_dicts(other)


def test_a_write_by_another_replica_between_load_and_save_is_not_hidden(tracker_url):
    """Two Rasa servers without a shared lock: the other one writes after we loaded the
    conversation. Our cached object lacks their events, so the next turn must rebuild."""
    ours, theirs = make_store(), make_store()
    tracker = started(ours, "bea")
    other = run(theirs.retrieve("bea"))
    turn(other, "written elsewhere", slot_value="theirs")
    run(theirs.save(other))
    turn(tracker, "ours")
    run(ours.save(tracker))
    fresh = run(ours.retrieve("bea"))
    assert fresh is not tracker
    assert [e.text for e in fresh.events if isinstance(e, UserUttered)] == ["written elsewhere", "ours"]


def test_a_write_by_another_replica_during_our_save_is_not_hidden(tracker_url, monkeypatch):
    """The other replica commits right after our commit, before our stamp is taken."""
    from rasa.core.tracker_store import SQLTrackerStore

    ours, theirs = make_store(), make_store(cache_size=0)
    tracker = started(ours, "bob")
    original = SQLTrackerStore.save

    async def save_then_other_replica_writes(self, saved):
        await original(self, saved)
        if self is ours:
            other = await theirs.retrieve("bob")
            turn(other, "squeezed in", slot_value="theirs")
            await original(theirs, other)

    monkeypatch.setattr(SQLTrackerStore, "save", save_then_other_replica_writes)
    turn(tracker, "ours")
    run(ours.save(tracker))
    monkeypatch.setattr(SQLTrackerStore, "save", original)
    fresh = run(ours.retrieve("bob"))
    assert fresh is not tracker
    assert [e.text for e in fresh.events if isinstance(e, UserUttered)] == ["ours", "squeezed in"]
    assert fresh.get_slot("grow_goal") == "theirs"


def test_events_added_but_never_saved_are_dropped(tracker_url):
    store = make_store()
    tracker = started(store, "cai")
    turn(tracker, "kept")
    run(store.save(tracker))
    turn(tracker, "lost: the turn failed before saving", slot_value="unsaved")
    fresh = run(store.retrieve("cai"))
    assert fresh is not tracker
    assert fresh.get_slot("grow_goal") is None
    assert [e.text for e in fresh.events if isinstance(e, UserUttered)] == ["kept"]


def test_erasure_empties_the_conversation(tracker_url):
    store = make_store()
    tracker = started(store, "dee")
    turn(tracker, "please forget me")
    run(store.save(tracker))
    assert store.erase("dee") > 0
    assert run(store.retrieve("dee")) is None


def test_erasure_by_another_process_is_seen(tracker_url):
    ours, theirs = make_store(), make_store()
    tracker = started(ours, "eli")
    turn(tracker, "hello")
    run(ours.save(tracker))
    theirs.erase("eli")
    assert run(ours.retrieve("eli")) is None


def test_failed_save_forgets_the_cached_tracker(tracker_url, monkeypatch):
    store = make_store()
    tracker = started(store, "fay")
    turn(tracker, "this one fails to save")

    def broken_scope():
        raise RuntimeError("database went away")

    monkeypatch.setattr(store, "session_scope", broken_scope)
    with pytest.raises(RuntimeError):
        run(store.save(tracker))
    monkeypatch.undo()
    fresh = run(store.retrieve("fay"))
    assert fresh is not tracker
    assert not any(isinstance(e, UserUttered) for e in fresh.events)


def test_a_new_session_is_loaded_on_its_own_like_stock_rasa(tracker_url):
    store = make_store()
    tracker = started(store, "gus")
    turn(tracker, "first session", slot_value="kept across sessions")
    run(store.save(tracker))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(SlotSet("grow_goal", "kept across sessions"))
    tracker.update(ActionExecuted("action_listen"))
    turn(tracker, "second session")
    run(store.save(tracker))
    fresh = run(store.retrieve("gus"))
    assert fresh is not tracker
    texts = [e.text for e in fresh.events if isinstance(e, UserUttered)]
    assert texts == ["second session"]
    assert fresh.get_slot("grow_goal") == "kept across sessions"


def test_cache_holds_at_most_its_size_and_evicted_ones_still_load(tracker_url):
    store = make_store(cache_size=2)
    trackers = {name: started(store, name) for name in ("h1", "h2", "h3")}
    for name, tracker in trackers.items():
        turn(tracker, f"hi from {name}")
        run(store.save(tracker))
    assert len(store._cache) == 2
    assert run(store.retrieve("h3")) is trackers["h3"]
    evicted = run(store.retrieve("h1"))
    assert evicted is not trackers["h1"]
    assert as_dicts(evicted) == as_dicts(trackers["h1"])


def test_cache_size_zero_is_stock_behaviour(tracker_url):
    store = make_store(cache_size=0)
    tracker = started(store, "ivy")
    turn(tracker, "hello")
    run(store.save(tracker))
    assert run(store.retrieve("ivy")) is not tracker
    assert as_dicts(run(store.retrieve("ivy"))) == as_dicts(tracker)


def test_an_event_broker_turns_the_cache_off(tracker_url):
    class Broker:
        def publish(self, event):
            pass

    assert make_store(event_broker=Broker()).cache_size == 0
