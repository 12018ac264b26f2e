"""The person's own details in a message: money, durations and dates, people counts, names,
the roles they mention and events that already happened (promoted, laid off, an offer).

Kept as the person wrote them (strings), for quoting back; bot.understanding.details gives
the same details normalised (amounts, days, dates, relations) for the reading. Written by
the mentor's engineer as bot/personas/details.py (which still re-exports it), moved here so
understanding has one home.

The mentor puts them back into its advice ("148k", "six weeks", "Priya", "you've already
been promoted"), so they are kept as the person wrote them. No Rasa imports.
"""
import re
from typing import Dict, List

NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                "fifteen|twenty|thirty|a couple of|a few|several|a|an")
_UNITS = "days?|weeks?|months?|years?|quarters?|hours?"

MONEY = re.compile(
    r"(?<![\w.])(?:[$€£]\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|thousand|million)?"
    r"|\d[\d,]*(?:\.\d+)?\s?(?:k|m)\b"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d[\d,]*(?:\.\d+)?\s?(?:thousand|million|dollars|euros|pounds|usd|eur|gbp)\b"
    r"|\d{5,7}\b)", re.I)
DURATION = re.compile(
    rf"\b(?:(?:in|within|for|by|over|next|the next|about|around)\s+)?"
    rf"(?:\d+|{NUMBER_WORDS})\s+(?:{_UNITS})(?:\s+(?:ago|from now|left|notice))?\b", re.I)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december")
DEADLINE = re.compile(
    r"\b(?:by|before|until|due|on)\s+(?:next\s+|this\s+)?(?:monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|tomorrow|the end of (?:the |this |next )?(?:week|month|quarter|year)|"
    r"end of (?:the |this |next )?(?:week|month|quarter|year)|q[1-4]|"
    rf"(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?|the \d{{1,2}}(?:st|nd|rd|th)? of (?:{_MONTHS}))\b",
    re.I)
# A span that already passed or is a stretch of time, not time left: "in the last six weeks",
# "for the past two months", "three times in two months", "6k in three months", "eight years
# at the company", "on my team 14 months".
_PAST_BEFORE = re.compile(r"\b(?:the|last|past|previous|for the last|for the past|"
                          r"in the last|in the past|over the last|over the past)\s+$", re.I)
_TALLY_BEFORE = re.compile(r"(?:\b(?:times|twice|once)|\d[km]?|%)\s+(?:in|over)\s+$", re.I)
_TENURE_AFTER = re.compile(r"^\s+(?:at|with|in|on)\s+(?:the|this|my|our|that)\b|^\s+(?:now|already|"
                           r"straight|running|in a row|of\b)", re.I)
# Time still to run: "21 days to sign", "two weeks left", "in the next six weeks".
_LEFT_AFTER = re.compile(r"^\s+(?:to\s+\w+|left|remaining|from now|notice|away|to go)\b", re.I)
_FUTURE_LEAD = re.compile(r"^(?:in|within|by|next|the next)\s+", re.I)
COUNT = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:more\s+|new\s+|extra\s+)?"
    r"(?:engineers?|people|hires?|developers?|designers?|analysts?|heads?|roles?|reports?)\b",
    re.I)
EVENTS = {
    "promoted": re.compile(r"\b(?:got|was|been|i'?ve been|just got|recently)\s+promoted\b|"
                           r"\bpromoted\s+(?:\w+\s+){0,2}(?:ago|last)\b|\bsince my promotion\b", re.I),
    "laid_off": re.compile(r"\b(?:laid off|made redundant|let go|got fired|was fired|been fired|"
                           r"lost my job|terminated|position was eliminated|role was cut)\b", re.I),
    "offer": re.compile(r"\b(?:got|have|received|accepted)\s+(?:an?|the|two)\s+(?:job\s+)?offers?\b",
                        re.I),
}
# Capitalised words that are not people's names.
_NOT_NAMES = {
    "i", "i'm", "i've", "i'd", "i'll", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "vp", "ceo", "cto", "cfo",
    "hr", "pip", "ok", "okay", "my", "the", "we", "he", "she", "they", "it", "what", "how",
    "should", "can", "hi", "hello", "thanks", "ip", "q1", "q2", "q3", "q4", "slack", "zoom",
    "linkedin", "python", "sql", "aws", "google", "amazon", "microsoft", "english", "but",
    "and", "so", "if", "when", "also", "then", "any", "our", "his", "her", "their", "is",
    "do", "does", "did", "was", "am", "are", "yes", "no", "not", "just", "now", "today",
    "tomorrow", "yesterday", "why", "who", "which", "where", "a", "an", "in", "on", "at",
    "for", "to", "of", "with", "this", "that", "these", "those", "there", "here", "me",
}
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{2,})\b")


# Words just before a figure that make it the person's ask rather than where they are now.
_ASK = re.compile(r"(?:want|ask(?:ing)? for|asking|target|aim(?:ing)? for|counter(?: with)?|"
                  r"propose|request(?:ing)?|go for|hoping for|name)\s+(?:\w+\s+){0,2}$", re.I)


def money(text: str) -> List[str]:
    """Figures as written; the one the person is asking for first."""
    found = [(0 if _ASK.search((text or "")[max(0, m.start() - 40):m.start()]) else 1,
              position, m.group(0).strip())
             for position, m in enumerate(MONEY.finditer(text or ""))]
    return [value for _, _, value in sorted(found)]


_LEAD = re.compile(r"^(?:in|within|for|by|over|next|the next|about|around)\s+", re.I)


def _spans(text: str, with_kind: bool = False):
    """Duration spans; with_kind, (span, kind) where kind is "left" (time still to run),
    "past" (a period already passed), "ago" or "other" (a stretch of time: tenure, "for
    two weeks")."""
    text = text or ""
    found = []
    for m in DURATION.finditer(text):
        span = m.group(0).strip()
        # "a day" / "an hour" alone are rarely the person's deadline.
        if re.fullmatch(r"(?:(?:in|for|within)\s+)?(?:a|an)\s+\w+", span, re.I):
            continue
        before, after = text[max(0, m.start() - 20):m.start()], text[m.end():m.end() + 30]
        if span.lower().endswith(" ago"):
            kind = "ago"
        elif _PAST_BEFORE.search(before):
            kind = "past"
        elif re.match(r"(?:in|over)\s", span, re.I) and _TALLY_BEFORE.search(
                before + span.split()[0] + " "):
            kind = "other"
        elif _LEFT_AFTER.match(after) or re.search(r"\s(?:left|from now|notice)$", span, re.I):
            kind = "left"
        elif _TENURE_AFTER.match(after):
            kind = "other"
        elif _FUTURE_LEAD.match(span) or re.search(r"\b(?:next|within|have|got|only)\s+$",
                                                   before, re.I):
            kind = "left"
        else:
            kind = "other"
        found.append((span, kind) if with_kind else span)
    return found


def durations(text: str) -> List[str]:
    """Time still to run, without the preposition ("within 21 days" -> "21 days", "21 days
    to sign" -> "21 days"), then deadlines ("by Friday"). Time already passed ("two months
    ago", "in the last six weeks") and stretches of time ("eight years at the company")
    are not durations: see since() and periods()."""
    found = [_LEAD.sub("", d) for d, kind in _spans(text, True) if kind == "left"]
    found += [m.group(0).strip() for m in DEADLINE.finditer(text or "")]
    return found


def periods(text: str) -> List[str]:
    """Periods already passed: "missed three deadlines in the last six weeks" -> "six weeks"."""
    return [_LEAD.sub("", d) for d, kind in _spans(text, True) if kind == "past"]


def since(text: str) -> List[str]:
    """Time already passed: "promoted two months ago" -> "two months"."""
    return [re.sub(r"\s+ago$", "", _LEAD.sub("", d), flags=re.I) for d, kind in _spans(text, True)
            if kind == "ago"]


def counts(text: str) -> List[str]:
    return [m.group(0).strip() for m in COUNT.finditer(text or "")]


def names(text: str) -> List[str]:
    """Capitalised words inside a sentence that aren't common words: likely names."""
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text or ""):
        words = sentence.split()
        for position, word in enumerate(words):
            clean = re.sub(r"[^\w'-]", "", word)
            clean = re.sub(r"'s$", "", clean)
            if (position > 0 and re.fullmatch(r"[A-Z][a-z]{2,}", clean)
                    and clean.lower() not in _NOT_NAMES and clean not in found):
                found.append(clean)
    return found


def events(text: str) -> List[str]:
    return [event for event, pattern in EVENTS.items() if pattern.search(text or "")]


def extract(text: str) -> Dict[str, List[str]]:
    """Every detail kind with what was found (kinds with nothing are left out)."""
    found = {"money": money(text), "duration": durations(text), "since": since(text),
             "period": periods(text),
             "count": counts(text),
             "name": names(text), "event": events(text)}
    return {kind: values for kind, values in found.items() if values}


def merge(old: Dict[str, List[str]], new: Dict[str, List[str]]) -> Dict[str, List[str]]:
    """Details over a conversation: the newest value of a kind comes first."""
    merged = {kind: list(values) for kind, values in (old or {}).items()}
    for kind, values in new.items():
        merged[kind] = values + [v for v in merged.get(kind, []) if v not in values]
    return merged
