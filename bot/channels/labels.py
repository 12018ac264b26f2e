"""Says who is speaking in chat apps that cannot show message metadata (Slack, Teams).

Formats live in data/content/channels.yml. A message without our metadata (none is
expected, but a Rasa default action could produce one) is shown as the host's.
"""
from typing import Any, Dict, Mapping, Optional

from bot.content import load


def _formats() -> Dict[str, Any]:
    return load("channels")


def speaker(metadata: Optional[Mapping[str, Any]]) -> str:
    speakers = _formats()["speakers"]
    return speakers.get((metadata or {}).get("persona"), speakers["host"])


def technique_words(metadata: Optional[Mapping[str, Any]]) -> str:
    """"powerful_question" -> "powerful question"; empty when unknown."""
    return str((metadata or {}).get("technique") or "").replace("_", " ")


def labelled(channel: str, text: Optional[str], metadata: Optional[Mapping[str, Any]]) -> str:
    """The message text with the speaker's name (and, for Teams, the technique)."""
    return _formats()[channel]["text"].format(
        speaker=speaker(metadata), technique=technique_note(channel, metadata) or "",
        text=(text or "").strip())


def technique_note(channel: str, metadata: Optional[Mapping[str, Any]]) -> Optional[str]:
    """The small technique line for channels that show it apart from the text."""
    words = technique_words(metadata)
    template = _formats()[channel].get("technique")
    return template.format(technique=words) if words and template else None
