"""Folding text before the safety lexicon reads it: the same words however they are typed.

Lowercase, NFKC (full-width letters), accents stripped ("suicídio" -> "suicidio"),
zero-width, direction and other format characters removed, look-alike letters from other
scripts and leetspeak inside words folded ("k1ll", Cyrillic "о" -> "kill", "o"), letters
typed with spaces between them joined ("k i l l"), straight quotes, single spaces, and
the contractions and typos of safety_lexicon.yml expanded ("dont" -> "don't").
"""
import re
import unicodedata
from functools import lru_cache
from typing import Dict, Pattern, Tuple

from bot.content import load

# Metadata key the channels (never the sender) set to the untruncated text of a long
# message, so safety reads all of it.
FULL_TEXT_KEY = "coach_full_text"

# Typographic quotes and primes people type on phones, mapped to the plain ones patterns use.
_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u02bc": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
})
# Cyrillic and Greek letters that look like Latin ones (Unicode's confusables, the
# lowercase letters people actually use to dodge filters).
_CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "ӏ": "l", "ո": "n", "ս": "u",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
})
# Leetspeak, only inside a word that also has letters ("k1ll", "su1c1de", "d!e"), so
# numbers ("20 tylenol") and prices stay as they are.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                       "@": "a", "$": "s", "!": "i", "|": "l"})
_LEET_WORD = re.compile(r"(?<![\w@$!|])(?=[\w@$!|]*[a-z])(?=[\w@$!|]*[013457@$!|][\w@$!|]*[a-z]|[a-z][\w@$!|]*[013457@$!|])[\w@$!|]+")
# Four or more single letters with single spaces between them: "k i l l m y s e l f".
_SPACED = re.compile(r"\b(?:[a-z] ){3,}[a-z]\b")


@lru_cache(maxsize=None)
def _replacements() -> Tuple[Pattern, Dict[str, str]]:
    words = {str(k): str(v) for k, v in load("safety_lexicon")["normalise"]["replacements"].items()}
    # Longest first, so "kill my self" style phrases win over their parts.
    alternation = "|".join(re.escape(k) for k in sorted(words, key=len, reverse=True))
    # Whole words only: an apostrophe counts as part of a word, so "i'm" stays as it is.
    return re.compile(rf"(?<![\w'])(?:{alternation})(?![\w'])"), words


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _unleet(match: "re.Match") -> str:
    word = match.group(0)
    if sum(ch.isalpha() for ch in word) < 2:
        return word  # "h-1b", "4k", "b2b": codes, not leetspeak
    # A trailing "!" is punctuation, not a letter: "help!" stays "help!".
    core = word.rstrip("!")
    return core.translate(_LEET) + word[len(core):]


def fold(text: str) -> str:
    """The text as the lexicon reads it (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    # Control and format characters (zero-width, RTL override) would split words.
    text = "".join(ch for ch in text
                   if ch.isspace() or not unicodedata.category(ch).startswith("C"))
    text = _strip_accents(text.lower()).translate(_CONFUSABLES)
    text = " ".join(text.split())
    text = _LEET_WORD.sub(_unleet, text)
    text = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = _kilometres(text)
    pattern, words = _replacements()
    return " ".join(pattern.sub(lambda m: words[m.group(0)], text).split())


_KMS = re.compile(r"\b(\d[\d,.]*\s*)kms\b|\bkms\b(?=\s*(?:per|an hour|a day|/|away|from|to|of|each))")


def _kilometres(text: str) -> str:
    """"kms" is "kill myself" in chat slang, but kilometres after a number or in a
    message about distances ("20 kms from the office")."""
    if "kilomet" in text:
        return re.sub(r"\bkms\b", "km", text)
    return _KMS.sub(lambda m: (m.group(1) or "") + "km", text)


# The old name: the rest of the code and the tests call it normalise.
normalise = fold
