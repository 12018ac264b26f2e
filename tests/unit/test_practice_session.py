"""A practise round does not outlive the session (bot/sessions.py, action_session_start):
after an hour of silence the person's next message is not a line to the coachee; other
slots carry over."""
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import PROJECT_ROOT
from tests.unit.session_start import start_new_session

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


def test_a_practise_round_ends_with_the_session_and_the_rest_carries_over():
    tracker = DialogueStateTracker("trainer", DOMAIN.slots)
    for event in [ActionExecuted("action_listen"),
                  UserUttered("I want to practise coaching", {"name": "practise_coaching"}),
                  ActionExecuted("action_practice_start"), SlotSet("persona", "coach"),
                  SlotSet("practice_state", {"scenario": "promotion", "told": 1}),
                  SlotSet("practice_rounds", 1.0), ActionExecuted("action_listen")]:
        tracker.update(event)
    start_new_session(tracker, DOMAIN)
    assert tracker.get_slot("practice_state") is None
    assert tracker.get_slot("practice_rounds") == 1.0 and tracker.get_slot("persona") == "coach"
