"""Renders goals, check-ins and data answers as host Replies (words from goals.yml)."""
from datetime import date, datetime
from typing import Any, Dict, List, Mapping, Optional
from zoneinfo import ZoneInfo

from bot.content import load
from bot.reply import Reply, button


def _text(path: str, **values: Any) -> str:
    node: Any = load("goals")
    for key in path.split("."):
        node = node[key]
    return node.format(**values) if values else node


def _date(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value.strftime("%a %d %b %Y") if isinstance(value, (date, datetime)) else str(value)


def show_date(value: Any) -> str:
    return _date(value)


def edited(number: int, field: str, value: Any) -> Reply:
    label = load("goals")["edit"]["fields"].get(field, field)
    return Reply(_text("edit.done", number=number, field=label, value=value), "host", "goals")


def goal_list(goals: List[Mapping[str, Any]]) -> Reply:
    if not goals:
        return Reply(_text("list.empty"), "host", "goals")
    lines = [_text("list.header")]
    for goal in goals:
        deadline = _text("list.deadline", date=_date(goal["deadline"])) if goal.get("deadline") else ""
        status = load("goals")["list"]["status"].get(goal["status"], goal["status"])
        lines.append(_text("list.line", number=goal["number"], text=goal["text"], status=status, deadline=deadline))
        if goal.get("last_progress"):
            lines.append(_text("list.progress", progress=goal["last_progress"]))
    return Reply("\n".join(lines), "host", "goals")


def goal_choice(path: str, goals: List[Mapping[str, Any]]) -> Reply:
    """Asks which goal, with one quick reply per goal."""
    buttons = [button(f"{g['number']}. {g['text'][:40]}", str(g["number"])) for g in goals]
    listing = "\n".join(f"{g['number']}. {g['text']}" for g in goals)
    return Reply(f"{_text(path)}\n{listing}", "host", "goals", buttons=buttons)


def simple(path: str, **values: Any) -> Reply:
    technique = "data" if path.startswith(("delete", "export")) else "goals"
    return Reply(_text(path, **values), "host", technique)


def followup_confirmation(when: datetime, zone: Optional[str], goal_text: Optional[str]) -> Reply:
    zone_name = zone or "UTC"
    local = when.astimezone(ZoneInfo(zone_name))
    shown = local.strftime("%A %d %B %Y at %H:%M")
    if goal_text:
        return Reply(_text("followup.confirm_goal", when=shown, zone=zone_name, text=goal_text), "host", "goals")
    return Reply(_text("followup.confirm", when=shown, zone=zone_name), "host", "goals")


def checkin(persona: str, step: str) -> Reply:
    if persona == "mentor":
        return Reply(_text("checkin.mentor", step=step), "mentor", "guidance")
    return Reply(_text("checkin.coach", step=step), "coach", "accountability")


def delete_confirmation() -> Reply:
    return Reply(_text("delete.confirm"), "host", "data",
                 buttons=[button("Yes, delete everything", "/affirm"), button("No, keep it", "/deny")])


def deletion_done(counts: Dict[str, int]) -> Reply:
    return Reply(_text("delete.done", **counts), "host", "data")
