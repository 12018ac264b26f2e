"""The person's details the mentor puts back into its advice (bot/personas/details.py)."""
from bot.personas import details


def test_money_as_written_and_the_ask_first():
    assert details.money("I'm at 120k and want 148k") == ["148k", "120k"]
    assert details.money("they offered $95,000 plus a bonus") == ["$95,000"]
    assert details.money("about €60k") == ["€60k"]
    assert details.money("I have 3 reports") == []


def test_durations_and_deadlines():
    assert details.durations("the launch is in six weeks") == ["six weeks"]
    assert details.durations("a severance agreement to sign within 21 days") == ["21 days"]
    assert details.durations("I got promoted two months ago") == []
    assert details.since("I got promoted two months ago") == ["two months"]
    assert "by Friday" in details.durations("it's due by Friday")


def test_names_are_capitalised_words_inside_a_sentence():
    assert details.names("Should I talk to Maria directly or via her manager?") == ["Maria"]
    assert details.names("I told my manager on Monday. Then HR called.") == []


def test_events_that_already_happened():
    assert details.events("I got promoted two months ago") == ["promoted"]
    assert details.events("I got laid off yesterday") == ["laid_off"]
    assert details.events("I have an offer from a startup") == ["offer"]
    assert details.events("how do I get promoted") == []


def test_counts_and_merging():
    assert details.counts("we need two more engineers") == ["two more engineers"]
    merged = details.merge({"money": ["95,000"]}, {"money": ["148k"], "name": ["Priya"]})
    assert merged == {"money": ["148k", "95,000"], "name": ["Priya"]}
