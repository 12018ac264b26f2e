"""The one shape every bot message takes before an action dispatches it."""
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

PERSONAS = ("coach", "mentor", "host")

TECHNIQUES = {
    "coach": {"powerful_question", "reflection", "socratic_question", "scaling_question",
              "goal_setting", "accountability", "summary"},
    "mentor": {"advice", "resource", "story", "introduction", "assignment", "guidance",
               "role_play", "feedback"},
    "host": {"explanation", "recommendation", "greeting", "goals", "data", "safety",
             "fallback",
             # Practise coaching (bot/practice): the round's brief and the coachee's lines,
             # and the feedback at the end.
             "practice", "practice_feedback"},
}


@dataclass
class Reply:
    """A bot message: its text, who says it and with which technique."""

    text: str
    persona: str
    technique: str
    buttons: List[Dict[str, str]] = field(default_factory=list)
    # More metadata for this message, e.g. a practise round's `practice_label`.
    extra: Dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.persona not in TECHNIQUES:
            raise ValueError(f"unknown persona {self.persona!r}")
        if self.technique not in TECHNIQUES[self.persona]:
            raise ValueError(f"technique {self.technique!r} is not a {self.persona} technique")

    @property
    def metadata(self) -> Dict[str, Any]:
        return {**self.extra, "persona": self.persona, "technique": self.technique}

    def as_message(self) -> Dict[str, Any]:
        """Keyword arguments for rasa_sdk's dispatcher.utter_message."""
        message: Dict[str, Any] = {"text": self.text, "metadata": self.metadata}
        if self.buttons:
            message["buttons"] = self.buttons
        return message


def button(title: str, payload: Optional[str] = None) -> Dict[str, str]:
    """A quick reply; the payload is what the person 'says' when pressing it."""
    return {"title": title, "payload": payload or title}
