"""parse_when / parse_deadline with a fixed clock and explicit time zones."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from bot.timeparse import clean, parse_deadline, parse_when

UTC = timezone.utc
# Wednesday 26 November 2025, 14:30 in Berlin (UTC+1 in winter).
NOW = datetime(2025, 11, 26, 13, 30, tzinfo=UTC)
BERLIN = "Europe/Berlin"


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("on friday", utc(2025, 11, 28, 8, 0)),  # 09:00 Berlin
        ("Can you check in with me on Friday?", utc(2025, 11, 28, 8, 0)),
        ("check in on Friday about the deck", utc(2025, 11, 28, 8, 0)),
        ("in two weeks", utc(2025, 12, 10, 8, 0)),
        ("remind me in a fortnight", utc(2025, 12, 10, 8, 0)),
        ("tomorrow at 9", utc(2025, 11, 27, 8, 0)),
        ("tomorrow at 9pm", utc(2025, 11, 27, 20, 0)),
        ("remind me tomorrow morning", utc(2025, 11, 27, 8, 0)),
        ("next monday", utc(2025, 12, 1, 8, 0)),
        ("next friday at 10:30", utc(2025, 11, 28, 9, 30)),
        ("friday next week", utc(2025, 12, 5, 8, 0)),
        ("in 3 days", utc(2025, 11, 29, 8, 0)),
        ("in a couple of days", utc(2025, 11, 30 - 2, 8, 0)),
        ("2026-12-01", utc(2026, 12, 1, 8, 0)),
        ("1 December", utc(2025, 12, 1, 8, 0)),
        ("tonight", utc(2025, 11, 26, 18, 0)),  # 19:00 Berlin
        ("at 3", utc(2025, 11, 26, 14, 0)),  # a bare afternoon hour: 15:00 today
        ("in 2 hours", utc(2025, 11, 26, 15, 30)),  # exact, not moved to 09:00
        ("next week", utc(2025, 12, 3, 8, 0)),
        ("the 5th", utc(2025, 12, 5, 8, 0)),
        ("end of the month", utc(2025, 11, 30, 8, 0)),
        ("9am utc", utc(2025, 11, 27, 9, 0)),  # an explicit zone wins
        ("tomorrow 9am est", utc(2025, 11, 27, 14, 0)),
        ("talk to the cat on friday", utc(2025, 11, 28, 8, 0)),  # "cat" is no zone here
    ],
)
def test_parse_when_in_berlin(text, expected):
    when = parse_when(text, NOW, BERLIN)
    assert when == expected
    assert when.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "text", ["2025-11-01", "yesterday", "today", "blah blah", "", "may I ask something"]
)
def test_parse_when_rejects_past_and_nonsense(text):
    assert parse_when(text, NOW, BERLIN) is None


def test_same_weekday_means_next_week():
    assert parse_when("wednesday", NOW, BERLIN) == utc(2025, 12, 3, 8, 0)


def test_tonight_after_the_evening_started():
    evening = utc(2025, 11, 26, 19, 30)  # 20:30 Berlin
    assert parse_when("tonight", evening, BERLIN) == evening + timedelta(hours=1)
    late = utc(2025, 11, 26, 22, 30)  # 23:30 Berlin: no evening left
    assert parse_when("tonight", late, BERLIN) is None


def test_time_zone_changes_the_answer():
    # 20:00 UTC is already 05:00 the next day in Tokyo.
    now = utc(2025, 11, 26, 20, 0)
    assert parse_when("tomorrow at 9", now, "Asia/Tokyo") == utc(2025, 11, 28, 0, 0)
    assert parse_when("tomorrow at 9", now, None) == utc(2025, 11, 27, 9, 0)
    assert parse_when("tomorrow at 9", now, "America/New_York") == utc(2025, 11, 27, 14, 0)
    # An unknown zone falls back to UTC rather than failing.
    assert parse_when("tomorrow at 9", now, "Not/AZone") == utc(2025, 11, 27, 9, 0)


def test_daylight_saving_is_respected():
    # New York switches to summer time on Sunday 8 March 2026.
    before = utc(2026, 3, 5, 15, 0)
    assert parse_when("tomorrow at 9", before, "America/New_York") == utc(2026, 3, 6, 14, 0)
    assert parse_when("next monday", before, "America/New_York") == utc(2026, 3, 9, 13, 0)


def test_results_depend_only_on_the_given_now():
    old = utc(2020, 1, 1, 12, 0)  # a Wednesday
    assert parse_when("in 3 days", old, None) == utc(2020, 1, 4, 9, 0)
    assert parse_when("in 3 days", old, None) == parse_when("in 3 days", old, None)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("by friday", date(2025, 11, 28)),
        ("end of the month", date(2025, 11, 30)),
        ("by the end of the week", date(2025, 11, 28)),
        ("by the end of next month", date(2025, 12, 31)),
        ("end of the quarter", date(2025, 12, 31)),
        ("end of the year", date(2025, 12, 31)),
        ("in 6 weeks", date(2026, 1, 7)),
        ("within 3 months", date(2026, 2, 26)),
        ("by 2026-03-01", date(2026, 3, 1)),
        ("today", date(2025, 11, 26)),
    ],
)
def test_parse_deadline(text, expected):
    assert parse_deadline(text, NOW, BERLIN) == expected


@pytest.mark.parametrize("text", ["last week", "2025-01-01", "yesterday", "whenever"])
def test_parse_deadline_rejects_past_and_nonsense(text):
    assert parse_deadline(text, NOW, BERLIN) is None


def test_deadline_uses_the_local_date():
    late_utc = utc(2025, 11, 26, 23, 30)  # already the 27th in Tokyo
    assert parse_deadline("tomorrow", late_utc, "Asia/Tokyo") == date(2025, 11, 28)
    assert parse_deadline("tomorrow", late_utc, None) == date(2025, 11, 27)


def test_clean_strips_fillers():
    assert clean("Can you check in with me on Friday?") == "friday"
    assert clean("Remind me by the end of the month, please.") == "the end of the month"
    assert clean("tomorrow at 9") == "tomorrow 9:00"


@pytest.mark.parametrize("text, expected", [
    # A weekday with a day of the month: dateparser alone read "friday the 11th" as 3 November.
    ("Can you check in with me on Friday the 11th to see how it went?", datetime(2026, 12, 11, 9, tzinfo=UTC)),
    ("friday the 11th at 3pm", datetime(2026, 12, 11, 15, tzinfo=UTC)),
    ("monday the 11th", datetime(2027, 1, 11, 9, tzinfo=UTC)),  # the next 11th that is a Monday
    ("the 2nd", datetime(2027, 1, 2, 9, tzinfo=UTC)),
    # A month named: dateparser's reading, not the day-of-month rule.
    ("by june 3rd", datetime(2027, 6, 3, 9, tzinfo=UTC)),
    ("march the 5th", datetime(2027, 3, 5, 9, tzinfo=UTC)),
    ("the 11th of january", datetime(2027, 1, 11, 9, tzinfo=UTC)),
])
def test_a_day_of_the_month_with_or_without_its_weekday(text, expected):
    assert parse_when(text, datetime(2026, 12, 3, 14, 0, tzinfo=UTC)) == expected
