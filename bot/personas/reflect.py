"""Gives a person's own words back from the coach's side, ready to sit inside a sentence.

"I'm stuck with my reports" becomes "you're stuck with your reports", "our dad's 70th"
becomes "your dad's 70th" and "I just told you" becomes "you just told me": first and second
person swap in one pass, so a word is never swapped twice. Names the caller knows (from the
reading of the message) come back capitalised. A reflection is a statement, so question
marks inside the words are dropped: the coach's message must keep exactly one "?", its own.
Emoji and control characters are dropped too (plain text only).

Nothing here is ever cut off with "...": a long text is shortened at a clause boundary, or
given back whole (summaries); choosing a few key words is bot/personas/listen.py's job.
"""
import re
import unicodedata
from typing import Iterable, List, Optional

MAX_WORDS = 20

# The person's first person -> the coach's second person. "we", "our" and "us" include the
# speaker, so they become "you"/"your" too ("our dad's 70th" -> "your dad's 70th").
_TO_YOU = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "i'm": "you're", "im": "you're", "i've": "you've", "i'll": "you'll", "i'd": "you'd",
    "we": "you", "us": "you", "our": "your", "ours": "yours", "ourselves": "yourselves",
    "we're": "you're", "we've": "you've", "we'll": "you'll", "we'd": "you'd",
}
# The person's "you" is the coach: "I just told you" -> "you just told me".
_TO_ME = {
    "your": "my", "yours": "mine", "yourself": "myself", "you're": "I'm", "youre": "I'm",
    "you've": "I've", "you'll": "I'll", "you'd": "I'd",
}
# Verb forms that agree with the swapped pronoun and must change next to it.
_AGREE_WITH_YOU = {"am": "are", "was": "were"}      # "I am" -> "you are"
_AGREE_WITH_I = {"are": "am", "were": "was"}        # "you are" -> "I am"
# Words after which "you" starts a clause, so it becomes "I" rather than "me".
_CLAUSE_STARTERS = {"and", "but", "so", "because", "that", "if", "when", "while", "though",
                    "although", "unless", "until", "since", "or", "then", "as", "where",
                    "whether", "before", "after", "once"}
# Words that follow a subject "you" ("you would", "you never", "you said"): then it is "I".
_AFTER_SUBJECT = {"would", "will", "can", "could", "should", "shall", "might", "may", "must",
                  "are", "were", "have", "had", "do", "did", "don't", "didn't", "won't",
                  "can't", "never", "always", "just", "really", "already", "said", "told",
                  "asked", "know", "think", "thought", "keep", "kept", "want", "wanted",
                  "seem", "seemed", "sound", "sounded", "get", "got", "mean", "meant",
                  "need", "needed", "say", "ask", "tell", "aren't", "weren't", "haven't",
                  "wouldn't", "couldn't", "shouldn't", "also", "still", "even"}
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
_TRAILING = ".,;:!?-\u2013\u2014 "
# Unicode categories that are not plain text: controls, formats (zero-width joiners),
# private use, surrogates, unassigned, and symbols (emoji, skin tones).
_DROP_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "So", "Sk"}
# Where a long text may be shortened without cutting a thought in half.
_CLAUSE_BREAK = re.compile(r"(?<=[.;:!,])\s+|\s+(?=(?:and|but|because|so|although|though|"
                           r"while|which)\b)")


def clean(text: str) -> str:
    """Plain text on one line: no control characters, emoji or runs of spaces."""
    text = re.sub(r"[\r\n\t]+", " ", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROP_CATEGORIES
                   and not 0xFE00 <= ord(ch) <= 0xFE0F)
    return re.sub(r"\s{2,}", " ", text).strip()


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?"


def _starts_clause(text: str, start: int, before_word: str) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?,;:" or before_word in _CLAUSE_STARTERS


def second_person(text: str, names: Iterable[str] = ()) -> str:
    """The person's words as the coach gives them back: pronouns swapped both ways in one
    pass, verbs agreeing, known names capitalised."""
    known = {name.lower(): name[:1].upper() + name[1:] for name in names if name}
    words = list(_WORD.finditer(text))
    lowered = [m.group().lower().replace("\u2019", "'") for m in words]
    swapped: List[str] = [""] * len(words)  # what each pronoun became, for agreement
    out: List[str] = []
    pos = 0
    for index, match in enumerate(words):
        out.append(text[pos:match.start()])
        word, low = match.group(), lowered[index]
        before = lowered[index - 1] if index else ""
        after = lowered[index + 1] if index + 1 < len(lowered) else ""
        new: Optional[str] = _TO_YOU.get(low) or _TO_ME.get(low)
        if low == "you":
            subject = after in _AFTER_SUBJECT or (
                _starts_clause(text, match.start(), before) and after not in _CLAUSE_STARTERS
                and bool(after))
            new = "I" if subject else "me"
        if new is None and low in _AGREE_WITH_YOU and (before in ("i", "we") or after in ("i", "we")):
            new = _AGREE_WITH_YOU[low]
        if new is None and low in _AGREE_WITH_I and "I" in (swapped[index - 1] if index else "",):
            new = _AGREE_WITH_I[low]
        if new is None and low in known:
            new = known[low]
        if new is None:
            new = word
        elif new[0].islower() and word[0].isupper() and _starts_sentence(text, match.start()):
            new = new[0].upper() + new[1:]
        swapped[index] = new
        out.append(new)
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _lower_first(text: str, names: Iterable[str] = ()) -> str:
    """Lower-case the first letter so the words can follow "You said"; acronyms, names and
    "I" stay."""
    first = text.split(" ", 1)[0]
    bare = first.strip(_TRAILING).lower()
    keep = {name.lower() for name in names} | {"i", "i'm", "i've", "i'll", "i'd"}
    if first[:1].isupper() and not (len(first) > 1 and first.isupper()) and bare not in keep:
        return text[0].lower() + text[1:]
    return text


def plain(text: str) -> str:
    """Clean, statement-only text: no question marks, no trailing punctuation."""
    text = clean(text).replace("\u2019", "'")
    text = re.sub(r"\s*\?+\s*", ", ", text)  # a reflection states, it never asks
    text = re.sub(r"\.{2,}|\u2026", ", ", text)  # the person's own trailing dots
    text = re.sub(r"(,\s*){2,}", ", ", text)
    return text.strip(_TRAILING)


def shorten(text: str, max_words: int) -> str:
    """The leading clauses of text that fit in max_words words; the whole text when even
    the first clause is longer. Never marked with "...", never cut inside a clause."""
    if len(text.split()) <= max_words:
        return text
    clauses = [c for c in _CLAUSE_BREAK.split(text) if c]
    kept: List[str] = []
    for clause in clauses:
        if len(" ".join(kept + [clause]).split()) > max_words:
            break
        kept.append(clause)
    return " ".join(kept).strip(_TRAILING) if kept else text


def reflect(text: str, max_words: int = MAX_WORDS, lower_first: bool = True,
            names: Iterable[str] = ()) -> str:
    """The person's words in the second person, without trailing punctuation, shortened to
    whole clauses within max_words words when possible; empty if nothing is left."""
    names = list(names)
    text = plain(text)
    if not re.search(r"[A-Za-z0-9]", text):
        return ""
    text = shorten(second_person(text, names), max_words)
    if lower_first:
        text = _lower_first(text, names)
    return text
