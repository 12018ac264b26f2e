"""The reading of one message: what kind of move it is and what it carries."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Optional, Tuple

ACTS = ("answer", "question", "request", "control", "correction", "complaint", "feeling",
        "insight", "plan", "filler", "social")
CONTROLS = ("switch_coach", "switch_mentor", "compare", "schedule_checkin", "list_goals",
            "keep_working", "start_over", "stop", "delete_data", "export_data", "change_topic",
            # Also: "undo" (put back the last goal change); and, named by the intent in the
            # parse data only, "drop_goal" and "edit_goal".
            "undo", "drop_goal", "edit_goal")


@dataclass(frozen=True)
class Reading:
    """One reading of a message.

    act:          one of ACTS.
    control:      one of CONTROLS when act == "control", else None.
    details:      {"money": [{"amount", "currency", "text"}], "times": [{"kind", "text", ...}],
                   "people": [{"relation", "text", "name"?}], "events": [{"event", "text"}]}
                   (keys present only when something was found).
    feeling_words: emotion words the person named, in order.
    new_topic:    for "forget X, I want to talk about Y": the text Y.
    situation:    the message with control framing stripped ("compare coach and mentor on: Y" -> Y).
    confidence:   0-1, how sure the act/control reading is; below 0.6 the dialogue should ask.
    """
    act: str
    control: Optional[str] = None
    details: Dict[str, Any] = field(default_factory=dict)
    feeling_words: Tuple[str, ...] = ()
    new_topic: Optional[str] = None
    situation: Optional[str] = None
    confidence: float = 0.5

    def as_dict(self) -> Dict[str, Any]:
        data = asdict(self)
        data["feeling_words"] = list(self.feeling_words)
        return data

    @classmethod
    def from_dict(cls, data: Optional[Dict[str, Any]]) -> Optional["Reading"]:
        if not data:
            return None
        return cls(act=data.get("act", "answer"), control=data.get("control"),
                   details=dict(data.get("details") or {}),
                   feeling_words=tuple(data.get("feeling_words") or ()),
                   new_topic=data.get("new_topic"), situation=data.get("situation"),
                   confidence=float(data.get("confidence", 0.5)))
