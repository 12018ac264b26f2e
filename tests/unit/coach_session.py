"""A coachee for unit tests: drives the GROW validation and the coach's ask actions the way
Rasa's form loop does (validate the message, ask for the slot it names), without Rasa.

Session("I want to delegate more").say("...") returns the coach's text for that turn;
`slots` and `requested` show where the conversation is. The end of GROW gives the summary
from bot/personas/coach.py (recording the goal needs the store, which e2e tests cover).
"""
import asyncio
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import grow
from bot.personas import coach

FORM_SLOTS = list(coach.GROW_SLOTS)
OTHER_SLOTS = ["requested_slot", "grow_retry", "grow_last_answer", "grow_last_slot", "topic",
               "asked_questions", "advice_requests", "offer", "grow_requested", "persona",
               grow.EXPLORE, grow.STATE]
DOMAIN = {"forms": {"grow_form": {"required_slots": FORM_SLOTS}},
          "slots": {name: {} for name in FORM_SLOTS + OTHER_SLOTS}}


class Session:
    def __init__(self, opening: str, topic: Optional[str] = None, intent: str = "set_goal"):
        self.slots: Dict[str, Any] = {name: None for name in FORM_SLOTS + OTHER_SLOTS}
        self.slots["persona"] = "coach"
        self.events: List[Dict[str, Any]] = []
        self.transcript: List[str] = []
        self.summary: Optional[str] = None
        self._user(opening, intent)
        self._apply(grow.start_grow_events(opening, topic))
        self.first = self._form_turn(opening, intent, activation=True)

    # -- Rasa's part -----------------------------------------------------------------------
    def _user(self, text: str, intent: str) -> None:
        self.latest = {"text": text, "intent": {"name": intent, "confidence": 0.95},
                       "entities": []}
        self.events.append({"event": "user", "text": text, "parse_data": self.latest})

    def _apply(self, events: List[Dict[str, Any]]) -> None:
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
            self.events.append(event)

    def _tracker(self) -> Tracker:
        return Tracker("coachee", dict(self.slots), self.latest, list(self.events), False, None,
                       {"name": "grow_form"}, "action_listen")

    def _form_turn(self, text: str, intent: str, activation: bool = False) -> str:
        if not activation:
            self._user(text, intent)
        dispatcher = CollectingDispatcher()
        form = grow.ValidateGrowForm()
        events = asyncio.run(form.run(dispatcher, self._tracker(), DOMAIN))
        self._apply(events)
        slot = self.slots["requested_slot"]
        if slot is None:
            state = self.slots.get(grow.STATE) or {}
            values = {s: self.slots[s] for s in FORM_SLOTS}
            self.summary = coach.summary(values, seed=0, takeaway=state.get("takeaway")).text
            self.transcript += [text, self.summary]
            return self.summary
        action = (grow.ActionAskGrowExplore() if slot == grow.EXPLORE
                  else next(cls for cls in grow.AskGrowSlot.__subclasses__() if cls.slot == slot)())
        dispatcher = CollectingDispatcher()
        self._apply(action.run(dispatcher, self._tracker(), DOMAIN))
        reply = " ".join(m["text"] for m in dispatcher.messages)
        self.metadata = [m.get("json_message") or m.get("custom") or {} for m in dispatcher.messages]
        self.transcript += [text, reply]
        return reply

    # -- the coachee's part -------------------------------------------------------------------
    def say(self, text: str, intent: str = "inform") -> str:
        return self._form_turn(text, intent)

    @property
    def requested(self) -> Optional[str]:
        return self.slots["requested_slot"]

    @property
    def queue(self) -> List[str]:
        return list((self.slots.get(grow.STATE) or {}).get("queue") or [])
