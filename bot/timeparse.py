"""Turn a person's words about time ("on friday", "in two weeks", "end of the month") into
a follow-up time or a goal deadline, in their own time zone.

Pure functions: the caller passes ``now`` so results are reproducible and testable.
The heavy lifting is done by ``dateparser``; this module only cleans the phrase first
(fillers such as "remind me", "check in", "on", "by") and fills the gaps dateparser leaves
("next monday", "tonight", "end of the month", "the 5th", a bare "at 9").
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone as dt_timezone
from typing import Optional, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_HOUR = 9  # a day without a time means the start of the working day
PARTS_OF_DAY = {"morning": "9:00", "afternoon": "14:00", "evening": "18:00", "night": "20:00"}
TONIGHT = time(19, 0)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b")

# Words around the time phrase that carry no date information.
_FILLERS = [
    r"(?:can|could|would|will) you", r"please", r"remind me(?: to)?", r"check(?:ing)?[- ]in",
    r"follow(?:ing)?[- ]up", r"ping me", r"ask me", r"get back to me", r"talk(?: again)?",
    r"with me", r"again", r"let'?s", r"about (?:it|this|that)", r"i(?:'d| would) like",
    r"how about", r"maybe", r"say", r"sometime", r"i will", r"i'll", r"do it", r"have it",
    r"done", r"finish(?:ed)?", r"achieve(?:d)?", r"reach(?:ed)?", r"it",
]
_PREPOSITIONS = r"\b(?:on|by|before|until|till|around|for|no later than|latest|at)\b"
_NUMBER_WORDS = {
    "a couple of": "2", "a couple": "2", "couple of": "2", "a few": "3", "few": "3",
    "a fortnight": "2 weeks", "fortnight": "2 weeks", "a week": "1 week", "a month": "1 month",
    "an hour": "1 hour", "half an hour": "30 minutes", "a day": "1 day",
}
# Evidence that a phrase names a time of day, not just a day.
_TIME_RE = re.compile(
    r"\d{1,2}[:.]\d{2}|\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)|\bnoon\b|\bmidnight\b|"
    r"\b(?:hours?|hrs?|minutes?|mins?)\b"
)
# Evidence that a search hit really is about time (search_dates also finds "may", "second").
_DATE_WORD_RE = re.compile(
    r"\d|today|tomorrow|tonight|week|month|year|day|hour|minute|noon|midnight|"
    + _WEEKDAY
    + r"|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec"
)


def _zone(tz: Optional[str]) -> ZoneInfo:
    if tz:
        try:
            return ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo("UTC")


def _aware_utc(now: datetime) -> datetime:
    if now.tzinfo is None:
        return now.replace(tzinfo=dt_timezone.utc)
    return now.astimezone(dt_timezone.utc)


def clean(text: str) -> str:
    """Lower-case the phrase and drop the words around the time expression."""
    s = (text or "").lower().replace("\u2019", "'")
    s = re.sub(r"[,;!?\"()]", " ", s)
    s = re.sub(r"\.(?=\s|$)", " ", s)  # sentence full stops, not "9.30" or "a.m."
    for phrase, replacement in _NUMBER_WORDS.items():
        s = re.sub(rf"\b{phrase}\b", replacement, s)
    s = re.sub(r"\bwithin\b", "in", s)
    # "at 9" alone is read by dateparser as a month; make it an hour. Hours 1-7 without
    # am/pm almost always mean the afternoon in a working conversation.
    s = re.sub(
        r"\bat\s+(\d{1,2})\b(?![:.]\d|\s*(?:am|pm|a\.m|p\.m|o'?clock))",
        lambda m: f" {int(m.group(1)) + 12 if 1 <= int(m.group(1)) <= 7 else m.group(1)}:00",
        s,
    )
    s = re.sub(r"\b(\d{1,2})\s*o'?clock\b", r"\1:00", s)
    for filler in _FILLERS:
        s = re.sub(rf"\b{filler}\b", " ", s)
    s = re.sub(_PREPOSITIONS, " ", s)
    s = re.sub(rf"\b(?:next|this|coming|the coming)\s+{_WEEKDAY}\b", r"\1", s)
    return re.sub(r"\s+", " ", s).strip()


def _end_of(unit: str, which: str, today: date) -> Optional[date]:
    """Last day of this/next week (Friday), month, quarter or year."""
    nxt = which == "next"
    if unit == "week":
        friday = today + timedelta(days=(4 - today.weekday()) % 7)
        return friday + timedelta(days=7) if nxt else friday
    if unit == "month":
        y, m = (today.year + (today.month == 12), today.month % 12 + 1) if nxt else (
            today.year, today.month)
        return date(y, m, calendar.monthrange(y, m)[1])
    if unit == "quarter":
        q_end_month = ((today.month - 1) // 3 + 1) * 3
        y, m = today.year, q_end_month
        if nxt:
            y, m = (y + 1, 3) if m == 12 else (y, m + 3)
        return date(y, m, calendar.monthrange(y, m)[1])
    if unit == "year":
        return date(today.year + nxt, 12, 31)
    return None


def _special_day(s: str, today: date) -> Optional[date]:
    """Day phrases dateparser does not know."""
    m = re.search(r"\b(?:the )?end of (?:the |this |(next) )?(week|month|quarter|year)\b", s)
    if m:
        return _end_of(m.group(2), "next" if m.group(1) else "this", today)
    m = re.search(rf"\b{_WEEKDAY} next week\b|\bnext week {_WEEKDAY}\b", s)
    if m:
        day = WEEKDAYS.index(m.group(1) or m.group(2))
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=day)
    # "the 11th", "friday the 11th" (dateparser reads "friday 11th" as November), never
    # "the 11th of january" or "11th june", which dateparser reads right.
    m = re.search(rf"(?:\b{_WEEKDAY}\s+)?\b(?:the )?(\d{{1,2}})(?:st|nd|rd|th)\b"
                  rf"(?: of (?:the |this )?month)?(?!\s+(?:of\s+)?{_MONTH})", s)
    if m and not re.search(rf"\b{_MONTH}", s):
        weekday = WEEKDAYS.index(m.group(1)) if m.group(1) else None
        day = int(m.group(2))
        y, mo = today.year, today.month
        first = None
        for _ in range(12):  # the next month with that day (and that weekday, if named)
            if day <= calendar.monthrange(y, mo)[1] and date(y, mo, day) >= today:
                found = date(y, mo, day)
                first = first or found
                if weekday is None or found.weekday() == weekday:
                    return found
            y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
        return first
    return None


def _dateparser(s: str, local_now: datetime, zone: ZoneInfo) -> Optional[Tuple[datetime, str]]:
    """(naive local datetime, matched text) from dateparser, or None.

    dateparser treats RELATIVE_BASE as wall-clock time for relative phrases ("in 2
    days") but as UTC when it rolls a bare time of day ("15:00") forward, so with a
    non-UTC TIMEZONE "at 3" could land on the wrong day. Parsing on a wall clock labelled
    UTC keeps both consistent; an explicit zone in the text ("9am est") is applied here.
    """
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates
    from dateparser.timezone_parser import pop_tz_offset_from_string

    wall_zone = None
    without_tz, explicit = pop_tz_offset_from_string(s)
    if explicit is not None and _TIME_RE.search(without_tz):  # "cat", "eat" are zones too
        wall_zone = dt_timezone(explicit.utcoffset(None))
        s = without_tz.strip()
    base = local_now.astimezone(wall_zone) if wall_zone else local_now
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base.replace(tzinfo=None),
        "TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DAY_OF_MONTH": "first",
    }
    try:
        found = DateDataParser(languages=["en"], settings=settings).get_date_data(s).date_obj
        matched = s
        if found is None:
            hits = search_dates(s, languages=["en"], settings=settings) or []
            hits = [(t, d) for t, d in hits if _DATE_WORD_RE.search(t)]
            if not hits:
                return None
            matched, found = hits[0]
    except Exception:  # dateparser raises assorted errors on odd input; treat as "no date"
        return None
    found = found.replace(tzinfo=None)  # wall-clock time
    if wall_zone is not None:
        found = found.replace(tzinfo=wall_zone).astimezone(zone).replace(tzinfo=None)
    return found, matched


def _resolve(text: str, now: datetime, tz: Optional[str]) -> Optional[Tuple[datetime, bool, str]]:
    """(aware local datetime, whether a time of day was given, cleaned text)."""
    zone = _zone(tz)
    local_now = _aware_utc(now).astimezone(zone)
    s = clean(text)
    if not s:
        return None
    s = re.sub(r"\btonight\b|\bthis evening\b", f"today {TONIGHT:%H:%M}", s)
    s = re.sub(r"\b(?:the )?end of (?:the )?(?:work(?:ing)? )?day\b", "today 17:00", s)
    s = re.sub(
        r"\b(?:in the )?(morning|afternoon|evening|night)\b",
        lambda m: PARTS_OF_DAY[m.group(1)],
        s,
    )
    special = _special_day(s, local_now.date())
    if special is not None:
        rest = _TIME_RE.search(s)
        found = datetime.combine(special, time(DEFAULT_HOUR))
        if rest:
            parsed = _dateparser(rest.group(0), local_now, zone)
            if parsed:
                found = datetime.combine(special, parsed[0].time())
        matched = s
    else:
        parsed = _dateparser(s, local_now, zone)
        if parsed is None:
            return None
        found, matched = parsed
    time_given = bool(_TIME_RE.search(matched))
    if not time_given:
        found = datetime.combine(found.date(), time(DEFAULT_HOUR))
    return found.replace(tzinfo=zone), time_given, s


def parse_when(text: str, now: datetime, timezone: Optional[str] = None) -> Optional[datetime]:
    """When to follow up: an aware UTC datetime in the future, or None.

    ``text`` is read in the person's IANA ``timezone`` (UTC if missing or unknown); a day
    without a time of day means 09:00 local.
    """
    now_utc = _aware_utc(now)
    resolved = _resolve(text, now_utc, timezone)
    if resolved is None:
        return None
    local, _, cleaned = resolved
    when = local.astimezone(dt_timezone.utc)
    if when <= now_utc and f"today {TONIGHT:%H:%M}" in cleaned:
        # "tonight" said after the evening started: an hour from now, if still today.
        later = now_utc + timedelta(hours=1)
        if later.astimezone(local.tzinfo).date() == now_utc.astimezone(local.tzinfo).date():
            return later
    return when if when > now_utc else None


def parse_deadline(text: str, now: datetime, timezone: Optional[str] = None) -> Optional[date]:
    """A goal's deadline as a local date (today or later), or None."""
    now_utc = _aware_utc(now)
    resolved = _resolve(text, now_utc, timezone)
    if resolved is None:
        return None
    day = resolved[0].date()
    today = now_utc.astimezone(_zone(timezone)).date()
    return day if day >= today else None
