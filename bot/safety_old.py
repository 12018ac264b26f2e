"""Crisis detection, the safety check that follows it, and scope refusals.

A lexicon check (data/content/safety.yml) that runs on every message, so a crisis is caught
even when the NLU classifier misses it. All wording lives in the YAML file.
"""
import re
import unicodedata
from functools import lru_cache
from typing import Dict, List, Optional, Pattern, Tuple

from bot.content import load
from bot.reply import Reply, button

PERSONA = "host"
TECHNIQUE = "safety"
CRISIS_KINDS = ("direct", "indirect", "self_harm", "method")
SCOPE_KINDS = ("therapy", "medical", "legal", "financial")

# Typographic quotes and primes people type on phones, mapped to the plain ones patterns use.
_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u02bc": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
})
_MACRO = re.compile(r"\{([A-Z]+)\}")


def _data() -> Dict:
    return load("safety")


def _compile(pattern: str) -> Pattern:
    """Expand {MACRO}s, then compile; an unknown macro is a content error, so fail loudly."""
    macros = _data()["macros"]

    def expand(match: "re.Match") -> str:
        name = match.group(1)
        if name not in macros:
            raise KeyError(f"safety.yml: unknown macro {{{name}}} in {pattern!r}")
        return macros[name]

    return re.compile(_MACRO.sub(expand, pattern))


@lru_cache(maxsize=None)
def _replacements() -> Tuple[Pattern, Dict[str, str]]:
    words = {str(k): str(v) for k, v in _data()["normalise"]["replacements"].items()}
    # Longest first, so "kill my self" style phrases win over their parts.
    alternation = "|".join(re.escape(k) for k in sorted(words, key=len, reverse=True))
    # Whole words only: an apostrophe counts as part of a word, so "i'm" stays as it is.
    return re.compile(rf"(?<![\w'])(?:{alternation})(?![\w'])"), words


@lru_cache(maxsize=None)
def crisis_patterns() -> Dict[str, List[Tuple[Pattern, str]]]:
    """Per kind, (compiled pattern, example) pairs; examples keep the lexicon testable."""
    groups = _data()["crisis"]
    return {kind: [(_compile(e["pattern"]), e["example"]) for e in groups[kind]]
            for kind in CRISIS_KINDS}


@lru_cache(maxsize=None)
def exclusion_patterns() -> List[Tuple[Pattern, str]]:
    return [(_compile(e["pattern"]), e["example"]) for e in _data()["exclusions"]]


@lru_cache(maxsize=None)
def _check_patterns() -> Dict[str, List[Pattern]]:
    return {name: [_compile(p) for p in pats] for name, pats in _data()["check"].items()}


@lru_cache(maxsize=None)
def _scope_patterns() -> Dict[str, List[Pattern]]:
    return {kind: [_compile(p) for p in _data()["scope"][kind]] for kind in SCOPE_KINDS}


def normalise(text: str) -> str:
    """Lowercase, NFKC, straight quotes, no control characters, single spaces, and the
    contractions/typos from safety.yml expanded ("dont" -> "don't", "kms" -> "kill myself")."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    # Control and zero-width characters would split words ("ki\u200bll"); whitespace stays.
    text = "".join(ch for ch in text
                   if ch.isspace() or not unicodedata.category(ch).startswith("C"))
    text = " ".join(text.lower().split())
    pattern, words = _replacements()
    return " ".join(pattern.sub(lambda m: words[m.group(0)], text).split())


def _without_lookalikes(clean: str) -> str:
    """Cut out idiom spans ("this deadline is killing me") and leave a clause marker, so
    the rest of the message is still checked on its own."""
    for pattern, _ in exclusion_patterns():
        clean = pattern.sub(" | ", clean)
    return clean


def crisis_kind(text: str) -> Optional[str]:
    """The first crisis kind (direct, indirect, self_harm, method) found, or None."""
    clean = _without_lookalikes(normalise(text))
    for kind, patterns in crisis_patterns().items():
        if any(pattern.search(clean) for pattern, _ in patterns):
            return kind
    return None


@lru_cache(maxsize=None)
def _classifier_cues() -> Pattern:
    return re.compile(_data()["classifier_cues"])


def has_distress_cue(text: str) -> bool:
    """Whether a message holds any word of harm, death or despair (safety.yml's
    classifier_cues): the classifier's crisis guess counts only then."""
    return bool(_classifier_cues().search(normalise(text)))


def detect_crisis(text: str) -> bool:
    return crisis_kind(text) is not None


def _reply(text: str, buttons: Optional[List[Dict[str, str]]] = None) -> Reply:
    return Reply(text.strip(), PERSONA, TECHNIQUE, buttons or [])


def _helplines() -> Reply:
    prose = _data()["replies"]
    lines = [prose["helplines_intro"]] + [f"- {line}" for line in prose["helplines"]]
    return _reply("\n".join(lines))


def _ask(key: str) -> Reply:
    prose = _data()["replies"]
    return _reply(prose[key], [button(title) for title in prose["ask_buttons"]])


def crisis_replies() -> List[Reply]:
    """Stop the session, say what the bot is not, give human help, ask if they are safe."""
    return [_reply(_data()["replies"]["pause"]), _helplines(), _ask("ask")]


def _matches(name: str, clean: str) -> bool:
    return any(pattern.search(clean) for pattern in _check_patterns()[name])


def safety_check(text: str, misunderstood_count: int = 0) -> Tuple[List[Reply], bool, int]:
    """Read one answer while the safety check is open.

    Returns (replies, resolved, new misunderstood_count); the count is reset to 0 once
    resolved, so a later crisis starts afresh. A first "you misunderstood" never resolves:
    a person brushing it off gets one direct question before the check closes.
    """
    prose = _data()["replies"]
    clean = normalise(text)
    if detect_crisis(text):
        return [_reply(prose["crisis_again"]), _helplines(), _ask("ask_again")], False, \
            misunderstood_count
    says_safe = _matches("safe", clean) or _matches("bare_yes", clean)
    if _matches("misunderstood", clean) and not _matches("not_safe", clean):
        if misunderstood_count == 0 or not says_safe:
            key = "misunderstood_first" if misunderstood_count == 0 else "misunderstood_again"
            return [_ask(key)], False, misunderstood_count + 1
        return [_reply(prose["resolved"])], True, 0
    if _matches("not_safe", clean):
        return [_reply(prose["not_safe"]), _helplines(), _ask("ask_again")], False, \
            misunderstood_count
    if _matches("safe", clean):
        return [_reply(prose["resolved"])], True, 0
    if _matches("bare_no", clean):
        return [_reply(prose["not_safe"]), _helplines(), _ask("ask_again")], False, \
            misunderstood_count
    if _matches("bare_yes", clean):
        return [_reply(prose["resolved"])], True, 0
    return [_ask("off_topic")], False, misunderstood_count


def classify_scope(text: str) -> Optional[str]:
    """"therapy", "medical", "legal" or "financial" for a request the bot must refuse."""
    clean = normalise(text)
    for kind, patterns in _scope_patterns().items():
        if any(pattern.search(clean) for pattern in patterns):
            return kind
    return None


def scope_reply(kind: str) -> Reply:
    """A kind refusal with a referral, then what the person can still work on here."""
    texts = _data()["replies"]["scope"]
    if kind not in texts:
        raise ValueError(f"unknown scope kind {kind!r}; expected one of {SCOPE_KINDS}")
    return _reply(texts[kind])
