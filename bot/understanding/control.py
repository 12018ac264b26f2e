"""What the bot does for a control request or a repair the reading found (pure; the thin
actions in actions/understanding.py dispatch it). Lines in data/content/understanding.yml."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Dict, List, Mapping, Optional

from bot.content import load
from bot.reply import Reply, button

# Goal changes ("drop", "edit") can be undone for this long.
UNDO_MINUTES = 30
# Slots a fresh start or a change of topic clears (answers and goals in the store stay).
CONVERSATION_SLOTS = ("requested_slot", "expecting", "offer", "grow_retry", "grow_last_answer",
                      "grow_last_slot", "grow_explore", "roleplay_state", "practice_state",
                      "pending_progress", "situation_texts")


def _lines() -> Dict[str, Any]:
    return load("understanding")


def _host(text: str, technique: str = "fallback", buttons: Optional[List[Dict[str, str]]] = None) -> Reply:
    return Reply(text=text, persona="host", technique=technique, buttons=buttons or [])


@dataclass
class Outcome:
    replies: List[Reply] = field(default_factory=list)
    clear: List[str] = field(default_factory=list)   # slots to empty
    end_form: bool = False
    start_from: Optional[str] = None                  # begin GROW (coach) from this opening


def start_over(grow_slots: List[str]) -> Outcome:
    return Outcome([_host(_lines()["start_over"])], list(grow_slots) + list(CONVERSATION_SLOTS) + ["topic"],
                   end_form=True)


def change_topic(new_topic: Optional[str], persona: Optional[str], grow_slots: List[str]) -> Outcome:
    lines = _lines()["change_topic"]
    clear = list(grow_slots) + list(CONVERSATION_SLOTS) + ["topic"]
    if not new_topic:
        return Outcome([_host(lines["without_topic"])], clear, end_form=True)
    if persona == "coach":
        # The coach's first GROW question follows this line.
        return Outcome([_host(lines["with_topic"].format(topic=new_topic))], clear, end_form=True,
                       start_from=new_topic)
    return Outcome([_host(lines["with_topic_open"].format(topic=new_topic))], clear, end_form=True)


def repair(act: str, in_grow: bool) -> Outcome:
    lines = _lines()[act]
    if in_grow:
        return Outcome([_host(lines["in_grow"])])
    buttons = []
    if act == "complaint":
        buttons = [button(title, payload) for title, payload in lines["buttons"].values()]
    return Outcome([_host(lines["text"], buttons=buttons)])


# --- undo --------------------------------------------------------------------------------
UNDO_FIELDS = ("text", "status", "measure", "first_step", "deadline", "deadline_text", "commitment")


def change_record(goal: Mapping[str, Any], kind: str, now: datetime) -> Dict[str, Any]:
    """What the `last_goal_change` slot keeps of a goal before a change, so it can be undone."""
    return {"goal_id": goal["id"], "number": goal.get("number"), "kind": kind,
            "at": now.isoformat(), "before": {k: goal.get(k) for k in UNDO_FIELDS}}


def undoable(record: Optional[Mapping[str, Any]], now: datetime) -> Optional[Mapping[str, Any]]:
    """The recorded change if it is still recent enough to undo."""
    if not isinstance(record, Mapping) or "before" not in record or "at" not in record:
        return None
    try:
        at = datetime.fromisoformat(record["at"])
    except (TypeError, ValueError):
        return None
    if now - at > timedelta(minutes=UNDO_MINUTES):
        return None
    return record


def undo_nothing() -> Reply:
    return _host(_lines()["undo"]["nothing"].format(minutes=UNDO_MINUTES), "goals")


def undo_done(number: Any, text: str) -> Reply:
    return _host(_lines()["undo"]["restored"].format(number=number, text=text), "goals")


# --- asking before a change -------------------------------------------------------------------
def drop_question(goals: List[Mapping[str, Any]]) -> Reply:
    """Asks before dropping: one button per active goal and one to keep them all."""
    lines = _lines()["drop_confirm"]
    active = [g for g in goals if g.get("status") == "active"] or list(goals)
    if len(active) == 1:
        goal = active[0]
        text = lines["ask"].format(number=goal["number"], text=goal["text"])
    else:
        text = lines["ask_which"] + "\n" + "\n".join(f"{g['number']}. {g['text']}" for g in active)
    buttons = [button(lines["drop_button"].format(number=g["number"]), f"drop goal {g['number']}")
               for g in active]
    buttons.append(button(lines["keep_button"], "/deny"))
    return _host(text, "goals", buttons)


def edit_question(goals: List[Mapping[str, Any]]) -> Reply:
    lines = _lines()["edit_confirm"]
    active = [g for g in goals if g.get("status") == "active"] or list(goals)
    text = lines["ask_which"] + "\n" + "\n".join(f"{g['number']}. {g['text']}" for g in active)
    buttons = [button(lines["edit_button"].format(number=g["number"], text=g["text"][:30]),
                      f"goal {g['number']}") for g in active]
    return _host(text, "goals", buttons)
