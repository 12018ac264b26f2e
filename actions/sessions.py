"""`action_session_start`: how a new conversation session begins (bot/sessions.py).

Listed in domain.yml, so Rasa calls it instead of its default whenever a session starts
(the first message, or the first after an hour of silence) in every way of running the bot.
"""
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.sessions import handed_over


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[str, Any]]:
        return handed_over(tracker.current_slot_values(), tracker.events, tracker.active_loop_name, domain)
