"""Goals, progress and follow-ups: recording, listing, progress, check-ins, dropping."""
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (channel_of, confidence_of, demo_seed, fresh_slot, host, intent_of, now_utc,
                            persona, person_timezone, say, text_of)
from actions.common import expect
from bot.dialogue import Expecting, SURE
from bot import goal_views
from bot.progress import DONE, NOT_YET, PROGRESS, progress_kind
from bot.store import StoreUnavailable, get_store

# How the coach answers each kind of progress report (coach.yml, outside).
COACH_PROGRESS_REPLIES = {DONE: "progress_done", PROGRESS: "progress_made", NOT_YET: "progress_not_done"}
_NUMBER = re.compile(r"\b(?:goal\s*#?\s*)?(\d{1,3})\b", re.IGNORECASE)


def record_goal(dispatcher: CollectingDispatcher, tracker: Tracker, **fields: Any) -> Optional[Dict[str, Any]]:
    """Stores a goal for this person; on a store outage says so and returns None."""
    try:
        return get_store().add_goal(tracker.sender_id, fields.pop("text"), **fields)
    except StoreUnavailable:
        say(dispatcher, host().store_unavailable())
        return None


def pick_goal(goals: List[Dict[str, Any]], text: str) -> Optional[Dict[str, Any]]:
    """The goal a message is about: by number, by words, or the only active one."""
    match = _NUMBER.search(text)
    if match:
        number = int(match.group(1))
        for goal in goals:
            if goal["number"] == number:
                return goal
    active = [g for g in goals if g["status"] == "active"]
    if len(active) == 1:
        return active[0]
    return None


class ActionListGoals(Action):
    def name(self) -> Text:
        return "action_list_goals"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        # An unsure read of "what else?" right after the mentor's advice is a follow-up.
        if confidence_of(tracker) < SURE:
            from actions.mentor_answers import mentor_follow_up

            follow_up = mentor_follow_up(dispatcher, tracker)
            if follow_up is not None:
                return follow_up
        try:
            say(dispatcher, goal_views.goal_list(get_store().list_goals(tracker.sender_id)))
        except StoreUnavailable:
            say(dispatcher, host().store_unavailable())
        return []


class ActionReportProgress(Action):
    """Attaches progress to the right goal (asking which when unclear); done marks it done."""

    def name(self) -> Text:
        return "action_report_progress"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        text = text_of(tracker)
        expecting = fresh_slot(tracker, "expecting") == Expecting.WHICH_GOAL
        progress_text = tracker.get_slot("pending_progress") if expecting else text
        try:
            store = get_store()
            goals = store.list_goals(tracker.sender_id)
            if not goals:
                say(dispatcher, goal_views.simple("progress.no_goals"))
                return [expect(None)]
            goal = None
            if fresh_slot(tracker, "expecting") == Expecting.STEP_FOLLOWUP and tracker.get_slot("last_goal_id"):
                # The answer to "how did it go with Priya?": the goal that step belongs to.
                wanted = int(tracker.get_slot("last_goal_id"))
                goal = next((g for g in goals if g["id"] == wanted), None)
            goal = goal or pick_goal(goals, text) or _by_words(store, tracker.sender_id, text)
            if goal is None:
                if expecting:  # asked once already: leave it rather than loop
                    say(dispatcher, goal_views.goal_list(goals))
                    return [expect(None), SlotSet("pending_progress", None)]
                say(dispatcher, goal_views.goal_choice("progress.which_goal", goals))
                return [expect(Expecting.WHICH_GOAL), SlotSet("pending_progress", text)]
            kind = progress_kind(progress_text or text)
            done = kind == DONE
            store.add_progress(tracker.sender_id, goal["id"], progress_text or text, done=done)
        except StoreUnavailable:
            say(dispatcher, host().store_unavailable())
            return []
        if done:
            say(dispatcher, goal_views.simple("progress.done", number=goal["number"], text=goal["text"]))
        else:
            say(dispatcher, goal_views.simple("progress.noted", number=goal["number"], text=goal["text"], progress=progress_text))
        say(dispatcher, _progress_reply(tracker, goal, progress_text or text, kind))
        return [expect(None), SlotSet("pending_progress", None)]


def _by_words(store: Any, sender_id: str, text: str) -> Optional[Dict[str, Any]]:
    found = store.find_goals(sender_id, text)
    return found[0] if len(found) == 1 else None


def _progress_reply(tracker: Tracker, goal: Dict[str, Any], progress: str, kind: str):
    if persona(tracker) == "mentor":
        from bot.personas import mentor

        return mentor.progress_feedback(goal["text"], progress, kind)
    from bot.personas import coach

    reply, _ = coach.outside_grow(COACH_PROGRESS_REPLIES[kind], goal.get("topic"), progress,
                                  tracker.get_slot("asked_questions") or [],
                                  seed=demo_seed(tracker, "progress"))
    return reply


class ActionRequestFollowup(Action):
    """A check-in at the time the person names, in their time zone (UTC if unknown)."""

    def name(self) -> Text:
        return "action_request_followup"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        from bot.timeparse import parse_when

        text, zone = text_of(tracker), person_timezone(tracker)
        expecting = fresh_slot(tracker, "expecting") == Expecting.FOLLOWUP_WHEN
        if expecting and intent_of(tracker) == "deny":
            say(dispatcher, goal_views.simple("followup.declined"))
            return [expect(None)]
        when = parse_when(text, now_utc(), zone)
        if when is None:
            if expecting or intent_of(tracker) == "affirm":
                say(dispatcher, goal_views.simple("followup.unparsed" if not intent_of(tracker) == "affirm" else "followup.ask_when"))
                return [expect(Expecting.FOLLOWUP_WHEN)]
            say(dispatcher, goal_views.simple("followup.ask_when"))
            return [expect(Expecting.FOLLOWUP_WHEN)]
        try:
            store = get_store()
            goal = _followup_goal(store, tracker)
            store.add_followup(tracker.sender_id, when, goal_id=goal["id"] if goal else None,
                               channel=channel_of(tracker))
            if zone:
                store.set_timezone(tracker.sender_id, zone)
        except StoreUnavailable:
            say(dispatcher, host().store_unavailable())
            return []
        say(dispatcher, goal_views.followup_confirmation(when, zone, goal["text"] if goal else None))
        return [expect(None)]


def _followup_goal(store: Any, tracker: Tracker) -> Optional[Dict[str, Any]]:
    goals = store.list_goals(tracker.sender_id)
    last_id = tracker.get_slot("last_goal_id")
    for goal in goals:
        if last_id is not None and goal["id"] == int(last_id) and goal["status"] == "active":
            return goal
    return pick_goal(goals, text_of(tracker))


def goal_named(dispatcher: CollectingDispatcher, tracker: Tracker, store: Any,
               which_goal_path: str) -> Optional[Dict[str, Any]]:
    """The goal this message is about; otherwise says there are none or asks which one."""
    text = text_of(tracker)
    goals = store.list_goals(tracker.sender_id)
    if not goals:
        say(dispatcher, goal_views.goal_list(goals))
        return None
    goal = pick_goal(goals, text) or _by_words(store, tracker.sender_id, text)
    if goal is None:
        say(dispatcher, goal_views.goal_choice(which_goal_path, goals))
    return goal


class ActionDropGoal(Action):
    """Drops a goal only when the message names it (or there is one and the reading is
    sure); otherwise asks with buttons. The change can be undone (action_undo)."""

    def name(self) -> Text:
        return "action_drop_goal"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        from bot.understanding import control, goal_change

        try:
            store = get_store()
            goals = store.list_goals(tracker.sender_id)
            if not goals:
                say(dispatcher, goal_views.goal_list(goals))
                return []
            goal = goal_change.target(text_of(tracker), goals, confidence_of(tracker))
            if goal is None:
                say(dispatcher, control.drop_question(goals))
                return []
            change = control.change_record(goal, "dropped", now_utc())
            store.set_status(tracker.sender_id, goal["id"], "dropped")
        except StoreUnavailable:
            say(dispatcher, host().store_unavailable())
            return []
        say(dispatcher, goal_views.simple("drop.done", number=goal["number"], text=goal["text"]))
        return [SlotSet("last_goal_change", change)]


class ActionFollowupDue(Action):
    """A check-in pushed by the scheduler (trigger_intent followup_due)."""

    def name(self) -> Text:
        return "action_followup_due"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        from bot.followups import checkin_for_followup

        followup_id = next((e.get("value") for e in (tracker.latest_message or {}).get("entities") or []
                            if e.get("entity") == "followup_id"), None)
        try:
            reply = checkin_for_followup(tracker.sender_id, followup_id)
        except StoreUnavailable:
            return []
        if reply is not None:
            say(dispatcher, reply)
        return []


# Which field an edit request changes, and where its new value starts. Checked in order:
# the specific words (first step, measure) before the generic ones (deadline, rename).
_EDIT_FIELDS = [
    ("first_step", re.compile(r"\bfirst step\b.*?(?:\bto\b|:|\bis now\b|\bis\b)\s*(?P<value>.+)$", re.I)),
    ("measure", re.compile(r"\bmeasure\b.*?(?:\bto\b|:|\bis now\b|\bis\b)\s*(?P<value>.+)$", re.I)),
    ("deadline", re.compile(r"\b(?:deadline|date|due|postpone|push|move|extend|bring)\b(?P<value>.*)$", re.I)),
    ("text", re.compile(r"\b(?:rename|reword|rewrite|change|should say|say)\b.*?\b(?:to|as|say|instead)\b\s*(?P<value>.+)$", re.I)),
]


def edit_request(text: str, zone: Optional[str]) -> Optional[Dict[str, Any]]:
    """The fields an edit message sets, e.g. {"deadline": date, "deadline_text": "friday"}."""
    from bot.timeparse import parse_deadline

    for field, pattern in _EDIT_FIELDS:
        match = pattern.search(text)
        if not match:
            continue
        value = match.group("value").strip(" .:,")
        if field == "deadline":
            value = re.sub(r"^(?:(?:of|for|on)\s+)?(?:my\s+)?(?:goal\s*\d+(?:'s)?\s*)?(?:back\s+|forward\s+)?"
                           r"(?:to|until|till|by|is now|:)?\s*", "", value, flags=re.I)
            deadline = parse_deadline(value, now_utc(), zone) or parse_deadline(text, now_utc(), zone)
            return {"deadline": deadline, "deadline_text": value} if deadline else None
        if field == "text":
            value = re.sub(r"^goal\s*\d+\s*(?:to|as)?\s*", "", value, flags=re.I)
        return {field: value} if value else None
    return None


class ActionEditGoal(Action):
    """Changes one goal's wording, measure, first step or deadline."""

    def name(self) -> Text:
        return "action_edit_goal"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        from bot.understanding import control, goal_change

        try:
            store = get_store()
            goals = store.list_goals(tracker.sender_id)
            if not goals:
                say(dispatcher, goal_views.goal_list(goals))
                return []
            # Only a goal the message names (or the only one, surely meant) is changed.
            goal = goal_change.target(text_of(tracker), goals, confidence_of(tracker))
            if goal is None:
                say(dispatcher, goal_views.goal_choice("edit.which_goal", goals))
                return []
            fields = edit_request(text_of(tracker), person_timezone(tracker))
            if not fields:
                say(dispatcher, goal_views.simple("edit.what", number=goal["number"]))
                return []
            change = control.change_record(goal, "edited", now_utc())
            store.update_goal(tracker.sender_id, goal["id"], **fields)
        except StoreUnavailable:
            say(dispatcher, host().store_unavailable())
            return []
        field = next(iter(fields))
        shown = goal_views.show_date(fields[field]) if field == "deadline" else fields[field]
        say(dispatcher, goal_views.edited(goal["number"], field, shown))
        return [SlotSet("last_goal_change", change)]
