"""Which of a topic's advice items fit what the person said (mentor.yml, topics.*.advice).

An item is {id, text, cues?}. Cues are words or short phrases of the situations the item
fits ("give feedback", "remote", "first-time manager"). Ranking, most fitting first:
  1. items whose cues the person's words match, by score: a cue in the latest message
     counts LATEST_WEIGHT, one only in an earlier recent message counts 1 (the latest
     words say most about the situation; earlier ones keep it when the person only says
     "more advice");
  2. items without cues: they hold in any situation of the topic;
  3. items tagged for situations the person never mentioned (no step about receiving
     feedback for someone who has to give it, while a general step is left).
Ties keep file order, so the same words always get the same items.
"""
import re
from functools import lru_cache
from typing import Dict, Iterable, List, Pattern, Sequence

LATEST_WEIGHT = 2
# Endings a cue word may take in the text: "deadline" matches "deadlines", "miss" "missing".
_ENDINGS = "(?:s|es|ed|ing|er|ers)?"
_E_ENDINGS = "(?:s|d|r|rs)?"  # "manage": manages, managed, manager, managers


def _word(word: str) -> str:
    escaped = re.escape(word)
    if not word[-1:].isalpha():
        return escaped
    if word.endswith("e") and len(word) > 2:
        # "manage" -> "managing", "give" -> "giving"
        return f"(?:{escaped}{_E_ENDINGS}|{re.escape(word[:-1])}ing)"
    return escaped + _ENDINGS


@lru_cache(maxsize=None)
def cue_pattern(cue: str) -> Pattern[str]:
    """Whole words, any of a few endings, spaces and hyphens interchangeable."""
    words = [w for w in re.split(r"[\s\-]+", cue.lower().replace("\u2019", "'")) if w]
    return re.compile(r"(?<![\w'])" + r"[\s\-]+".join(_word(w) for w in words) + r"(?![\w'])")


def _clean(text: str) -> str:
    return (text or "").lower().replace("\u2019", "'")


def matched_cues(item: Dict, text: str) -> List[str]:
    """The item's cues found in one text (for tests and measurements)."""
    clean = _clean(text)
    return [cue for cue in item.get("cues") or [] if cue_pattern(cue).search(clean)]


def score(item: Dict, texts: Sequence[str]) -> int:
    """Cue fit over the recent texts (oldest first): LATEST_WEIGHT in the last, 1 before.
    Words already matched by one cue don't count again for another ("micromanage" and
    "micromanages" both finding "micromanages" is one signal, not two)."""
    if not texts:
        return 0
    cleaned = [_clean(text) for text in texts]
    taken: List[set] = [set() for _ in cleaned]  # character positions counted, per text
    total = 0
    for cue in item.get("cues") or []:
        pattern = cue_pattern(cue)
        # The latest text first: a cue found there counts more.
        for index in reversed(range(len(cleaned))):
            match = pattern.search(cleaned[index])
            if match is None:
                continue
            span = set(range(match.start(), match.end()))
            if not span & taken[index]:
                taken[index] |= span
                total += LATEST_WEIGHT if index == len(cleaned) - 1 else 1
            break
    return total


def rank(items: Sequence[Dict], texts: Sequence[str]) -> List[Dict]:
    """All items, most fitting first (see the module docstring)."""
    def key(indexed):
        position, item = indexed
        fit = score(item, texts)
        tier = 0 if fit else (1 if not item.get("cues") else 2)
        return tier, -fit, position
    return [item for _, item in sorted(enumerate(items), key=key)]


def pick(items: Sequence[Dict], texts: Sequence[str], given: Iterable[str],
         count: int) -> List[Dict]:
    """The `count` best-fitting items whose id is not in `given`."""
    skip = set(given)
    return [item for item in rank(items, texts) if item["id"] not in skip][:count]
