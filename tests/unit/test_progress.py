"""Progress reports are read as done, a step taken, or not yet; only done closes a goal."""
import pytest

from bot.progress import DONE, NOT_YET, PROGRESS, progress_kind


@pytest.mark.parametrize("text, kind", [
    ("I finished goal 1, it's done", DONE),
    ("done!", DONE),
    ("I got the promotion", DONE),
    ("nailed it", DONE),
    ("I did the first step", PROGRESS),
    ("I've done the first step", PROGRESS),
    ("I started the checklist", PROGRESS),
    ("I talked to my manager about the raise yesterday", PROGRESS),
    ("progress update: I talked to Sam and he agreed to take the report", PROGRESS),
    ("I haven't managed to talk to my boss yet", NOT_YET),
    ("I didn\u2019t get to it", NOT_YET),
    ("not yet, the week ran away from me", NOT_YET),
    ("no", NOT_YET),
    ("nope, I forgot", NOT_YET),
    ("", PROGRESS),
])
def test_progress_kind(text, kind):
    assert progress_kind(text) == kind
