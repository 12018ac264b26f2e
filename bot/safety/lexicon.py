"""The crisis lexicon of data/content/safety_lexicon.yml, compiled once.

Every pattern reads folded text (bot/safety/text.py). Look-alike idioms are cut out of
the text before the crisis patterns run, so "this deadline is killing me" is not a crisis
but "this deadline is killing me and I've started cutting myself again" still is.
"""
import re
from functools import lru_cache
from typing import Dict, List, Pattern, Tuple

from bot.content import load
from bot.safety.text import fold

# Most urgent first: the reply follows the most urgent category found.
CATEGORIES = ("attempt", "means_preparation", "plan_intent", "active_ideation", "self_harm",
              "abuse", "passive_wish", "hopelessness")
_MACRO = re.compile(r"\{([A-Z]+)\}")


def data() -> Dict:
    return load("safety_lexicon")


def compile_pattern(pattern: str) -> Pattern:
    """Expand {MACRO}s, then compile; an unknown macro is a content error, so fail loudly."""
    macros = data()["macros"]

    def expand(match: "re.Match") -> str:
        name = match.group(1)
        if name not in macros:
            raise KeyError(f"safety lexicon: unknown macro {{{name}}} in {pattern!r}")
        return macros[name]

    return re.compile(_MACRO.sub(expand, pattern))


@lru_cache(maxsize=None)
def crisis_patterns() -> Dict[str, List[Tuple[Pattern, str]]]:
    """Per category, (compiled pattern, example) pairs; examples keep the lexicon testable."""
    groups = data()["crisis"]
    return {category: [(compile_pattern(e["pattern"]), e["example"]) for e in groups[category]]
            for category in CATEGORIES}


@lru_cache(maxsize=None)
def exclusion_patterns() -> List[Tuple[Pattern, str]]:
    return [(compile_pattern(e["pattern"]), e["example"]) for e in data()["exclusions"]]


@lru_cache(maxsize=None)
def _listed(name: str) -> List[Pattern]:
    return [compile_pattern(p) for p in data()[name]]


@lru_cache(maxsize=None)
def _classifier_cues() -> Pattern:
    return compile_pattern(data()["classifier_cues"])


def without_lookalikes(clean: str) -> str:
    """Cut out idiom spans and leave a clause marker, so the rest is still checked."""
    for pattern, _ in exclusion_patterns():
        clean = pattern.sub(" | ", clean)
    return clean


@lru_cache(maxsize=4096)
def classifier_text(text: str) -> str:
    """What the risk classifier reads: the text with its look-alike idioms cut out ("this
    deadline is killing me" leaves nothing; "I'm not suicidal, I just wish I'd never been
    born" leaves the wish), or the text itself when it holds none."""
    rest = _cleaned(text)  # cached: the crisis patterns have read it already
    if "|" in text:
        cut = any(pattern.search(fold(text)) for pattern, _ in exclusion_patterns())
    else:
        cut = "|" in rest  # each idiom is replaced by " | "
    if not cut:
        return text
    return rest if re.search(r"[^\W\d_]", rest) else ""


def is_lookalike(text: str) -> bool:
    clean = fold(text)
    return any(pattern.search(clean) for pattern, _ in exclusion_patterns())


@lru_cache(maxsize=None)
def _combined() -> Dict[str, Pattern]:
    """One regular expression per category: one pass instead of one per pattern."""
    return {category: re.compile("|".join(f"(?:{p.pattern})" for p, _ in patterns))
            for category, patterns in crisis_patterns().items()}


@lru_cache(maxsize=4096)
def _cleaned(text: str) -> str:
    return without_lookalikes(fold(text))


@lru_cache(maxsize=4096)
def _categories(text: str) -> Tuple[str, ...]:
    clean = _cleaned(text)
    return tuple(category for category, pattern in _combined().items() if pattern.search(clean))


def categories_in(text: str) -> List[str]:
    """Every crisis category the text holds, most urgent first (cached: the recent
    messages are read again on every turn)."""
    return list(_categories(text))


@lru_cache(maxsize=4096)
def low_mood(text: str) -> bool:
    clean = _cleaned(text)
    return any(pattern.search(clean) for pattern in _listed("low_mood"))


@lru_cache(maxsize=4096)
def window_cues(text: str) -> int:
    """How many of the cues that mean little alone ("i have a plan", "and a date") the text holds."""
    clean = _cleaned(text)
    return sum(1 for pattern in _listed("window_cues") if pattern.search(clean))


@lru_cache(maxsize=None)
def _explicit_cues() -> Pattern:
    return compile_pattern(data()["explicit_cues"])


@lru_cache(maxsize=None)
def _harm_cues() -> Pattern:
    return compile_pattern(data()["harm_cues"])


def has_harm_words(text: str) -> bool:
    """Whether the text holds a word of harm itself (dying, killing, hurting, means, abuse),
    narrower than has_distress_cue."""
    return bool(_harm_cues().search(fold(text)))


def has_explicit_words(text: str) -> bool:
    """Whether the text holds an explicit word of suicide, dying or self-harm."""
    return bool(_explicit_cues().search(fold(text)))


def has_distress_cue(text: str) -> bool:
    """Whether the text holds any word of harm, death or despair: the classifier's guess
    counts only then."""
    return bool(_classifier_cues().search(fold(text)))
