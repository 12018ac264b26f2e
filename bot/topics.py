"""The topic vocabulary (data/content/topics.yml): canonical values and display labels."""
from typing import Dict, List, Optional

from bot.content import load


def topic_values() -> List[str]:
    return list(load("topics")["topics"])


def topic_label(value: Optional[str]) -> str:
    """A human label ("public speaking") for a canonical value; empty for none."""
    if not value:
        return ""
    entry: Dict = load("topics")["topics"].get(value)
    return entry["label"] if entry else value.replace("_", " ")


def topic_phrases() -> Dict[str, List[str]]:
    return {value: entry["phrases"] for value, entry in load("topics")["topics"].items()}
