"""Gives a person's own words back in the second person, ready to sit inside a sentence.

"I'm stuck with my reports" becomes "you're stuck with your reports". A reflection is a
statement, so question marks inside the words are dropped: the coach's message must keep
exactly one "?", its own. Emoji and control characters are dropped too (plain text only).
"""
import re
import unicodedata
from typing import List

MAX_WORDS = 20
ELLIPSIS = "..."

# First person -> second person. "we", "our" and "us" stay: they include the speaker's
# team, which the coach can give back unchanged.
_SWAPS = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "i'm": "you're", "im": "you're", "i've": "you've", "i'll": "you'll", "i'd": "you'd",
}
# Verb forms that agree with "I" and must change next to it ("I am" -> "you are").
_AGREE = {"am": "are", "was": "were"}
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
_TRAILING = ".,;:!?-\u2013\u2014 "
# Unicode categories that are not plain text: controls, formats (zero-width joiners),
# private use, surrogates, unassigned, and symbols (emoji, skin tones).
_DROP_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "So", "Sk"}


def clean(text: str) -> str:
    """Plain text on one line: no control characters, emoji or runs of spaces."""
    text = re.sub(r"[\r\n\t]+", " ", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROP_CATEGORIES
                   and not 0xFE00 <= ord(ch) <= 0xFE0F)
    return re.sub(r"\s{2,}", " ", text).strip()


def _swap(text: str) -> str:
    words = list(_WORD.finditer(text))
    lowered = [m.group().lower().replace("\u2019", "'") for m in words]
    out: List[str] = []
    pos = 0
    for index, match in enumerate(words):
        out.append(text[pos:match.start()])
        word, low = match.group(), lowered[index]
        before = lowered[index - 1] if index else ""
        after = lowered[index + 1] if index + 1 < len(lowered) else ""
        new = _SWAPS.get(low)
        if new is None and low in _AGREE and "i" in (before, after):
            new = _AGREE[low]
        if new is None:
            new = word
        elif word[0].isupper() and _starts_sentence(text, match.start()):
            new = new[0].upper() + new[1:]
        out.append(new)
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?"


def _lower_first(text: str) -> str:
    """Lower-case the first letter so the words can follow "You said"; acronyms stay."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and not (len(first) > 1 and first.isupper()):
        return text[0].lower() + text[1:]
    return text


def reflect(text: str, max_words: int = MAX_WORDS, lower_first: bool = True) -> str:
    """The person's words in the second person, without trailing punctuation, at most
    max_words words (cut at a word boundary, marked with "..."); empty if nothing is left."""
    text = clean(text).replace("\u2019", "'")
    text = re.sub(r"\s*\?+\s*", ", ", text)  # a reflection states, it never asks
    text = re.sub(r"(,\s*){2,}", ", ", text).strip(_TRAILING)
    if not re.search(r"[A-Za-z0-9]", text):
        return ""
    text = _swap(text)
    words = text.split()
    if len(words) > max_words:
        text = " ".join(words[:max_words]).rstrip(_TRAILING) + ELLIPSIS
    if lower_first:
        text = _lower_first(text)
    return text
