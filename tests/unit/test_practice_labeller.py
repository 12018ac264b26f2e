"""The practise-coaching labeller: the final sentence's form, the cues, and its precision and
recall on the held-out utterances written independently (tests/data/practice_utterances.yml)."""
from pathlib import Path

import pytest
import yaml

from bot.practice import labeller

HELD_OUT = Path(__file__).resolve().parents[1] / "data" / "practice_utterances.yml"
GATED = ("advice", "open_question")
MINIMUM = 0.85


@pytest.mark.parametrize("text, expected", [
    ("What would you like to get from today?", "open_question"),
    ("how did the call with your sister go", "open_question"),
    ("Tell me more about the new role.", "open_question"),
    ("Could you say a little more about that?", "open_question"),
    ("It sounds like you're exhausted. What would help right now?", "open_question"),
    ("You've said 'stuck' three times, what does stuck feel like?", "open_question"),
    ("Did you speak to her?", "closed_question"),
    ("Is the review next week?", "closed_question"),
    ("How many people report to you?", "closed_question"),
    ("Have you thought about asking your manager?", "leading_question"),
    ("Why not just say no?", "leading_question"),
    ("Don't you think it's time to move on?", "leading_question"),
    ("You'd be better off somewhere else, wouldn't you?", "leading_question"),
    ("What if you delegated the report to Sam?", "leading_question"),
    ("You should ask for the promotion.", "advice"),
    ("Try keeping a list of your wins.", "advice"),
    ("Research shows that goals written down are more likely to happen.", "advice"),
    ("It sounds like the feedback really stung.", "reflection"),
    ("So you want more responsibility but not more hours.", "reflection"),
    ("Let me sum up: you like the work, the hours are too long, and you want to talk to HR.",
     "summary"),
    ("so the weekends are hard how do you get through them", "open_question"),
    ("what gets you out of bed in the morning", "open_question"),
    ("what i'm hearing is that the weekends are hard", "reflection"),
    ("you could ask her first dont you think", "leading_question"),
    ("Okay, so, um, how- how did that go?", "open_question"),
    ("Thanks for coming.", "other"),
    ("", "other"),
])
def test_labels_of_clear_cases(text, expected):
    assert labeller.label(text) == expected


def test_the_final_sentence_decides_a_message_with_a_reflection_and_a_question():
    reading = labeller.read("You're worried the team won't cope. What would tell you they can?")
    assert reading.label == "open_question" and reading.by == "rule"
    assert labeller.label("What a week. You should take tomorrow off.") == "advice"


def test_a_miracle_question_is_open_though_it_starts_with_what_if():
    assert labeller.label("What if you woke up tomorrow and it was solved, what would be different?") \
        == "open_question"


def test_texting_spellings_are_read():
    assert labeller.label("r u ok") == "closed_question"
    assert labeller.label("wouldnt it be easier to quit") == "leading_question"


def test_every_label_has_enough_varied_training_utterances():
    items = labeller.training_items()
    assert len(items) >= 350
    assert len({text.lower() for text, _ in items}) == len(items), "duplicate training utterances"
    for name in labeller.LABELS:
        assert sum(label == name for _, label in items) >= 30, name


def _held_out(split):
    data = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))
    return [item for item in data["items"] if item["split"] == split]


@pytest.mark.skipif(not HELD_OUT.exists(), reason="held-out utterances not written yet")
def test_no_held_out_utterance_is_in_the_training_data():
    training = {" ".join(text.lower().split()) for text, _ in labeller.training_items()}
    held = [" ".join(item["text"].lower().split()) for item in _held_out("dev") + _held_out("eval")]
    overlap = sum(text in training for text in held)
    assert overlap == 0, f"{overlap} held-out utterances are also training utterances"


@pytest.mark.skipif(not HELD_OUT.exists(), reason="held-out utterances not written yet")
def test_precision_and_recall_on_the_eval_half(capsys):
    from sklearn.metrics import classification_report, precision_recall_fscore_support

    items = _held_out("eval")
    assert len(items) >= 200
    truth = [item["label"] for item in items]
    guessed = [labeller.label(item["text"]) for item in items]
    with capsys.disabled():
        print("\nPractise-coaching labeller on the eval half of tests/data/practice_utterances.yml")
        print(classification_report(truth, guessed, labels=list(labeller.LABELS), digits=3,
                                    zero_division=0))
    precision, recall, _, _ = precision_recall_fscore_support(
        truth, guessed, labels=list(GATED), zero_division=0)
    for name, p, r in zip(GATED, precision, recall):
        assert p >= MINIMUM and r >= MINIMUM, f"{name}: precision {p:.3f}, recall {r:.3f}"


@pytest.mark.parametrize("text", ["You should just ask for what you want.", "So you should talk to her.",
                                  "you need to tell him how you feel", "My advice: send the email today."])
def test_a_sentence_that_opens_by_telling_is_advice_whatever_follows(text):
    assert labeller.label(text) == "advice"
