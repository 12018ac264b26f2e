"""The definition of a non-directive coach message (README, "The coach"), shared by unit and e2e tests."""
import re

FORBIDDEN = ["you should", "you need to", "i recommend", "i suggest", "my advice", "try to",
             "make sure", "start by", "consider reading", "the best way is", "do this",
             "you must", "you have to", "i'd advise"]
# A question opening with one of these invites a yes or a no, not reflection.
YES_NO_OPENERS = {"do", "does", "did", "is", "are", "am", "was", "were", "can", "could",
                  "would", "will", "should", "shall", "have", "has", "had"}


def forbidden_in(text):
    low = text.lower().replace("\u2019", "'")
    return [phrase for phrase in FORBIDDEN if phrase in low]


def assert_coach_message(text):
    assert not forbidden_in(text), f"directive phrase in {text!r}"
    assert text.endswith("?"), f"does not end in a question: {text!r}"
    assert text.count("?") == 1, f"more than one question mark: {text!r}"
    question = re.split(r"(?<=[.:])\s+|\n", text)[-1]
    assert question.split()[0].lower() not in YES_NO_OPENERS, f"yes/no question: {text!r}"
