"""A practise round does not outlive the session (bot/sessions.py): after an hour of
silence the person's next message is not a line to the coachee; other slots carry over."""
import asyncio

from rasa.core.actions.action import ActionSessionStart
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import sessions
from bot.paths import PROJECT_ROOT

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))
sessions.apply()


def test_a_practise_round_ends_with_the_session_and_the_rest_carries_over():
    tracker = DialogueStateTracker("trainer", DOMAIN.slots)
    for event in [ActionExecuted("action_listen"),
                  UserUttered("I want to practise coaching", {"name": "practise_coaching"}),
                  ActionExecuted("action_practice_start"), SlotSet("persona", "coach"),
                  SlotSet("practice_state", {"scenario": "promotion", "told": 1}),
                  SlotSet("practice_rounds", 1.0), ActionExecuted("action_listen")]:
        tracker.update(event)
    for event in asyncio.run(ActionSessionStart().run(None, None, tracker, DOMAIN)):
        tracker.update(event)
    assert tracker.get_slot("practice_state") is None
    assert tracker.get_slot("practice_rounds") == 1.0 and tracker.get_slot("persona") == "coach"
