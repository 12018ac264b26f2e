"""Details a message carries: money, dates and durations, people, events, feeling words.

Pure functions over text; the word lists live in data/understanding/details.yml.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict, List, Optional

import yaml

from bot.paths import PROJECT_ROOT

DATA_DIR = PROJECT_ROOT / "data" / "understanding"


@lru_cache(maxsize=None)
def load(name: str) -> Any:
    with open(DATA_DIR / f"{name}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# --- money ---------------------------------------------------------------------------
_SYMBOLS = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR"}
_CURRENCY_WORDS = [
    (r"us ?dollars?|usd|bucks|dollars?", "USD"), (r"pounds?( sterling)?|gbp|quid", "GBP"),
    (r"euros?|eur", "EUR"), (r"cad|canadian dollars?", "CAD"), (r"aud|australian dollars?", "AUD"),
    (r"rupees?|inr", "INR"), (r"yen|jpy", "JPY"), (r"chf|swiss francs?", "CHF"),
]
_CURRENCY_CODE_RE = r"(?:usd|gbp|eur|cad|aud|inr|chf|jpy)"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"k|K|m|M|mm|bn|b|grand|thousand|million|billion|mil"
_MONEY_RE = re.compile(
    r"(?P<pre>[$£€¥₹]|\b" + _CURRENCY_CODE_RE + r"\s?)?"
    r"(?P<num>" + _NUM + r")"
    r"(?:\s?(?P<scale>" + _SCALE + r")\b)?"
    r"(?:\s?(?P<word>" + "|".join(p for p, _ in _CURRENCY_WORDS) + r")\b)?",
    re.IGNORECASE,
)
_MULTIPLIERS = {"k": 1_000, "grand": 1_000, "thousand": 1_000, "m": 1_000_000, "mm": 1_000_000,
                "mil": 1_000_000, "million": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000,
                "billion": 1_000_000_000}
# Words that say a bare number (no symbol, no currency word) is money.
_MONEY_CONTEXT = re.compile(
    r"\b(salary|salaries|offer|offered|pay|paid|paying|earn|earning|earns|make|making|raise|bonus|"
    r"budget|comp|compensation|package|base|equity|per year|a year|/yr|annual|income|rate|price|cost|"
    r"costs|charge|fee|revenue|deal|savings|debt|loan|rent|mortgage)\b", re.IGNORECASE)
_NOT_MONEY_AFTER = re.compile(r"\s*(steps|runs?|race|followers|users|lines|words|miles|km|people|"
                              r"employees|views|subscribers|downloads|rows|records|tickets)\b", re.I)


def _currency_of(pre: Optional[str], word: Optional[str]) -> Optional[str]:
    if pre:
        pre = pre.strip()
        if pre in _SYMBOLS:
            return _SYMBOLS[pre]
        return pre.upper()
    if word:
        for pattern, code in _CURRENCY_WORDS:
            if re.fullmatch(pattern, word, re.IGNORECASE):
                return code
    return None


def find_money(text: str) -> List[Dict[str, Any]]:
    found = []
    has_context = bool(_MONEY_CONTEXT.search(text))
    for match in _MONEY_RE.finditer(text):
        pre, num, scale, word = match.group("pre"), match.group("num"), match.group("scale"), match.group("word")
        if _NOT_MONEY_AFTER.match(text, match.end()):
            continue
        scale_l = (scale or "").lower()
        if scale_l in ("m", "b") and not (pre or word or has_context):
            continue  # "5m" alone is more often metres or minutes
        if not (pre or word):
            if not scale:
                # a bare number counts only with thousands in a money context ("95,000 base")
                value = float(num.replace(",", ""))
                if not (has_context and value >= 1000):
                    continue
            elif not has_context:
                # "148k" alone is money (salaries, budgets); "ran 5k" is not
                value = float(num.replace(",", "")) * _MULTIPLIERS.get(scale_l, 1)
                if scale_l not in ("k", "grand") or value < 20_000:
                    continue
        amount = float(num.replace(",", "")) * _MULTIPLIERS.get(scale_l, 1)
        amount = int(amount) if amount == int(amount) else round(amount, 2)
        # the text as the person wrote it, without trailing spaces
        found.append({"amount": amount, "currency": _currency_of(pre, word),
                      "text": match.group(0).strip()})
    return found


# --- dates and durations -----------------------------------------------------------------
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                 "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3,
                 "several": 3, "fifteen": 15, "eighteen": 18, "twenty": 20, "thirty": 30}
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30, "quarter": 91, "year": 365}
_COUNT = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True)) + r")"
_DURATION_RE = re.compile(
    r"\b(?P<prep>in|within|for|over|after|about|around|another|next|past|last)?\s*"
    r"(?P<count>" + _COUNT + r")[\s-]+(?P<unit>days?|weeks?|fortnights?|months?|quarters?|years?)\b",
    re.IGNORECASE)
_MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_WEEKDAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DATE_RE = re.compile(
    r"\b(?:(?P<prep>by|before|until|till|on|in|at|from|due|around|end of|next|this|the end of)\s+)?"
    r"(?P<when>"
    r"(?:next|this|last)\s+(?:week|month|quarter|year|" + _WEEKDAYS + r")"
    r"|(?:the\s+)?end\s+of\s+(?:the\s+)?(?:week|month|quarter|year|" + _MONTHS + r")"
    r"|(?:q[1-4])(?:\s+\d{4})?"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"(?:\s+\d{4})?"
    r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|" + _MONTHS + r"(?:\s+\d{4})?"
    r"|" + _WEEKDAYS +
    r"|tomorrow|tonight|today|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r")\b",
    re.IGNORECASE)
# "may" is a verb far more often than a month; count it only after a preposition or with a day.
_MAY_VERB = re.compile(r"^may$", re.IGNORECASE)


def _count_value(count: str) -> float:
    key = count.lower()
    if key in _NUMBER_WORDS:
        return _NUMBER_WORDS[key]
    return float(key)


def find_times(text: str, now: Optional[datetime] = None) -> List[Dict[str, Any]]:
    from bot.timeparse import parse_deadline  # dateparser, loaded on first use

    now = now or datetime.now(timezone.utc)
    found: List[Dict[str, Any]] = []
    taken = []
    for match in _DURATION_RE.finditer(text):
        count = _count_value(match.group("count"))
        unit = match.group("unit").lower().rstrip("s")
        prep = (match.group("prep") or "").lower() or None
        item = {"kind": "duration", "text": match.group(0).strip(), "amount": count, "unit": unit,
                "days": int(round(count * _UNIT_DAYS[unit]))}
        if prep in ("in", "within", "after", "next"):
            item["relation"] = "from_now"
        elif prep in ("past", "last", "for"):
            item["relation"] = "span"
        found.append(item)
        taken.append(match.span())
    for match in _DATE_RE.finditer(text):
        if any(s <= match.start() < e or s < match.end() <= e for s, e in taken):
            continue
        when, prep = match.group("when"), (match.group("prep") or "").lower()
        if _MAY_VERB.match(when) and not prep:
            continue
        if when.lower() in ("march",) and not prep:
            continue
        item = {"kind": "date", "text": match.group(0).strip()}
        if prep in ("by", "before", "until", "till", "due"):
            item["relation"] = "deadline"
        try:
            resolved = parse_deadline(match.group(0), now)
        except Exception:  # dateparser can raise on odd input; the text is still useful
            resolved = None
        if resolved:
            item["date"] = resolved.isoformat()
        found.append(item)
        taken.append(match.span())
    found.sort(key=lambda item: text.lower().find(item["text"].lower()))
    return found


# --- people ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _relation_patterns():
    rows = []
    for relation, phrases in load("details")["relations"].items():
        for phrase in phrases:
            rows.append((phrase.lower(), relation))
    rows.sort(key=lambda row: len(row[0]), reverse=True)
    return [(re.compile(r"\b" + re.escape(p) + r"\b", re.IGNORECASE), p, r) for p, r in rows]


_NAME_RE = re.compile(
    r"\b(?:with|to|from|and|told|asked|named|called|tell|ask|about|for|by|manager|report|boss|"
    r"colleague|peer|coworker|partner)\s+([A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\b"
    r"|^([A-Z][a-z]{2,})\s+(?:said|told|asked|keeps|is|was|has|wants|thinks|won't|doesn't|didn't|never|always)\b"
    r"|\b([A-Z][a-z]{2,})(?:'s)?\s+(?:said|told|asked|keeps|wants|thinks|won't|doesn't|didn't|never|always)\b")


def find_people(text: str) -> List[Dict[str, Any]]:
    found: List[Dict[str, Any]] = []
    spans = []
    for pattern, phrase, relation in _relation_patterns():
        for match in pattern.finditer(text):
            if any(s <= match.start() < e for s, e in spans):
                continue
            spans.append(match.span())
            found.append({"relation": relation, "text": match.group(0), "_at": match.start()})
    not_names = {w.lower() for w in load("details")["not_names"]}
    for match in _NAME_RE.finditer(text):
        name = next(g for g in match.groups() if g)
        if name.lower() in not_names:
            continue
        start = match.start(match.lastindex)
        # a relation right before the name belongs to it ("my manager Priya")
        owner = next((p for p in found if p["_at"] < start and "name" not in p
                      and text[p["_at"] + len(p["text"]): start].strip() in ("", ",")), None)
        if owner:
            owner["name"] = name
        elif not any(p.get("name") == name for p in found):
            found.append({"relation": "named", "text": name, "name": name, "_at": start})
    found.sort(key=lambda p: p["_at"])
    for person in found:
        person.pop("_at")
    return found


# --- events ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _event_patterns():
    return [(event, [re.compile(p, re.IGNORECASE) for p in patterns])
            for event, patterns in load("details")["events"].items()]


_GOAL_FRAMING = re.compile(r"\b(i (want|need|hope|aim|would like|'d like)|i'm (aiming|hoping|going for|up for)|"
                           r"how (do|can|could|should) i|how to|my goal|chances? (of|for|at)|shot at|"
                           r"apply(ing)? for|case for|ready for|get|getting|go for|going for)\b[^.]{0,30}$",
                           re.IGNORECASE)
_HAPPENED = re.compile(r"\b(just|recently|finally|was|were|got|been|have been|i've been|i was|"
                       r"i got|i'm being|am being|yesterday|last (week|month)|happened)\b[^.]{0,15}$",
                       re.IGNORECASE)


def find_events(text: str) -> List[Dict[str, Any]]:
    found = []
    for event, patterns in _event_patterns():
        for pattern in patterns:
            match = pattern.search(text)
            if not match:
                continue
            before = text[: match.start()]
            item = {"event": event, "text": match.group(0).strip()}
            # "I was just promoted" happened; "how do I get promoted" is wanted.
            if _HAPPENED.search(before) or re.search(r"\b(got|was|been|were) (just )?$", before, re.I):
                item["status"] = "happened"
            elif _GOAL_FRAMING.search(before):
                item["status"] = "wanted"
            found.append(item)
            break
    found.sort(key=lambda e: text.lower().find(e["text"].lower()))
    return found


# --- feelings ----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _feeling_re():
    words = sorted((w.lower() for w in load("details")["feelings"]), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def feeling_words_in(text: str) -> List[str]:
    seen: List[str] = []
    for match in _feeling_re().finditer(text):
        word = match.group(1).lower()
        # "down"/"low"/"lost"/"content" are feelings only after a feeling verb
        if word in ("down", "low", "lost", "content", "stress", "worry", "calm", "stuck", "torn"):
            before = text[: match.start()].lower()
            if not re.search(r"\b(feel|feeling|felt|i'm|i am|im|been|so|really|very|quite|a bit|kinda|pretty)\s+$", before):
                continue
        if word not in seen:
            seen.append(word)
    return seen


def extract_details(text: str, now: Optional[datetime] = None) -> Dict[str, Any]:
    """All details of a message; keys only for what was found."""
    details: Dict[str, Any] = {}
    money = find_money(text)
    if money:
        details["money"] = money
    times = find_times(text, now)
    if times:
        details["times"] = times
    people = find_people(text)
    if people:
        details["people"] = people
    events = find_events(text)
    if events:
        details["events"] = events
    return details
