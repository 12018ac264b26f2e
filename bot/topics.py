"""The topic vocabulary (data/content/topics.yml): canonical values and display labels."""
from typing import Dict, List, Optional, Tuple

from bot.content import load

# Appended to a topic value in the EntityRuler pattern id of a generic phrase, so the
# normaliser can tell "my manager" (generic) from "takes credit for my work" (specific).
GENERIC_MARK = "#generic"
# The entity role a generic mention gets (bot/nlu/topic_normalizer.py).
GENERIC_ROLE = "generic"


def topic_values() -> List[str]:
    return list(load("topics")["topics"])


def topic_label(value: Optional[str]) -> str:
    """A human label ("public speaking") for a canonical value; empty for none."""
    if not value:
        return ""
    entry: Dict = load("topics")["topics"].get(value)
    return entry["label"] if entry else value.replace("_", " ")


def topic_phrases() -> Dict[str, List[str]]:
    """Specific phrases: each one names its topic on its own."""
    return {value: entry["phrases"] for value, entry in load("topics")["topics"].items()}


def generic_phrases() -> Dict[str, List[str]]:
    """Phrases that name a topic only when nothing more specific is said ("my boss")."""
    return {value: entry.get("generic_phrases", [])
            for value, entry in load("topics")["topics"].items()}


def pattern_id(value: str, generic: bool = False) -> str:
    return value + GENERIC_MARK if generic else value


def parse_pattern_id(pattern: str) -> Tuple[str, bool]:
    """(topic value, whether the phrase was generic) from an EntityRuler pattern id."""
    if pattern.endswith(GENERIC_MARK):
        return pattern[: -len(GENERIC_MARK)], True
    return pattern, False


def topic_in(text: str) -> Optional[str]:
    """The topic a text names with a specific phrase (the earliest mention), else one it
    names with a generic phrase, else None. For text that did not go through the NLU
    pipeline, such as the situation the web page's Compare control sends."""
    import re

    lowered = " ".join((text or "").lower().replace("\u2019", "'").split())
    for phrases in (topic_phrases(), generic_phrases()):
        found = []
        for value, words in phrases.items():
            for phrase in words:
                match = re.search(r"(?<![a-z'])" + re.escape(phrase.lower()) + r"(?![a-z'])", lowered)
                if match:
                    found.append((match.start(), -len(phrase), value))
        if found:
            return min(found)[2]
    return None
