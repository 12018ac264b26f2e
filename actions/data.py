"""The person's data: delete everything (after one confirmation) or export it as JSON.

The export is everything stored about the person: the goals store (goals with every
field, progress, check-ins), the conversation's remembered answers (the slots: GROW's
reality, options, obstacles...) and the whole conversation transcript from the tracker
store.
"""
import json
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import host, say, text_of
from actions.common import expect
from bot.dialogue import Expecting
from bot import goal_views
from bot.store import StoreUnavailable, get_store
from bot.store.transcript import conversation


class ActionDeleteData(Action):
    def name(self) -> Text:
        return "action_delete_data"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        say(dispatcher, goal_views.delete_confirmation())
        return [ActiveLoop(None), SlotSet("requested_slot", None), expect(Expecting.DELETE_CONFIRM)]


def _confirms_deletion(text: str) -> bool:
    """Deleting everything needs the confirmation button or an exact reply
    (goals.yml delete.confirm_phrases), not whatever the classifier reads as "yes"."""
    import re

    from bot.content import load

    said = re.sub(r"[\s.!]+$", "", " ".join((text or "").lower().split()))
    return said == "/affirm" or said in {p.lower() for p in load("goals")["delete"]["confirm_phrases"]}


class ActionDeleteDataConfirmed(Action):
    """Only an explicit yes deletes; anything else keeps the data."""

    def name(self) -> Text:
        return "action_delete_data_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not _confirms_deletion(text_of(tracker)):
            say(dispatcher, goal_views.simple("delete.cancelled"))
            return [expect(None)]
        try:
            counts = get_store().delete_person(tracker.sender_id)
        except StoreUnavailable:
            say(dispatcher, host().store_unavailable())
            return [expect(None)]
        reply = goal_views.deletion_done(counts)
        # erase_history asks the channel to delete the conversation's events once this
        # turn is saved (see bot/channels/erasure.py); the channel strips the flag.
        dispatcher.utter_message(text=reply.text, metadata={**reply.metadata, "erase_history": True})
        return [expect(None)]


class ActionExportData(Action):
    def name(self) -> Text:
        return "action_export_data"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        try:
            exported = get_store().export_person(tracker.sender_id)
            exported["conversation"] = {
                "remembered": {k: v for k, v in sorted(tracker.slots.items()) if v not in (None, [], "")},
                "transcript": conversation(tracker.sender_id),
            }
        except StoreUnavailable:
            say(dispatcher, host().store_unavailable())
            return []
        intro = goal_views.simple("export.intro")
        text = f"{intro.text}\n{json.dumps(exported, ensure_ascii=False, indent=2, default=str)}"
        dispatcher.utter_message(text=text, json_message=exported, metadata=intro.metadata)
        return []
