"""Advice that fits the situation: cue matching, ranking, no repeats, the end of the list."""
import pytest

from bot.content import load
from bot.personas import advice_picker, mentor

GIVING = "I have to give feedback to a colleague who keeps missing deadlines"
RECEIVING = "I got harsh feedback from my manager and I don't know how to take it"
RECEIVING_IDS = {"receive_thanks", "ask_for_it", "use_it", "disagree_later"}
GIVING_IDS = {"sbi", "within_48_hours", "four_to_one", "pattern_and_consequence"}
ITEMS = [
    {"id": "general", "text": "holds anywhere"},
    {"id": "remote", "text": "for remote people", "cues": ["remote", "time zone"]},
    {"id": "first_time", "text": "for new managers", "cues": ["first-time manager"]},
    {"id": "salary", "text": "for pay", "cues": ["salary", "raise"]},
]


def _ids(items):
    return [item["id"] for item in items]


def _feedback():
    return load("mentor")["topics"]["feedback"]["advice"]


# --- matching -----------------------------------------------------------------------------

@pytest.mark.parametrize("cue, text", [
    ("deadline", "she keeps missing deadlines"),
    ("manage", "he is managing the launch"),
    ("micromanage", "my boss micromanages me"),
    ("first-time manager", "I'm a first time manager"),
    ("one-on-one", "our one-on-ones keep moving"),
    ("don't agree", "I don\u2019t agree with it"),
])
def test_cues_match_common_word_forms(cue, text):
    assert advice_picker.cue_pattern(cue).search(text.lower().replace("\u2019", "'"))


@pytest.mark.parametrize("cue, text", [
    ("raise", "we praised the team"),
    ("late", "my colleague was elated"),
    ("team", "the steam engine"),
])
def test_cues_match_whole_words_only(cue, text):
    assert not advice_picker.cue_pattern(cue).search(text)


def test_the_latest_message_counts_more_than_earlier_ones():
    assert advice_picker.score(ITEMS[1], ["we work remote"]) == advice_picker.LATEST_WEIGHT
    assert advice_picker.score(ITEMS[1], ["we work remote", "more advice"]) == 1
    assert advice_picker.score(ITEMS[0], ["we work remote"]) == 0


def test_one_phrase_found_by_two_cues_counts_once():
    item = {"id": "x", "text": "t", "cues": ["micromanage", "micromanages"]}
    assert advice_picker.score(item, ["my boss micromanages me"]) == advice_picker.LATEST_WEIGHT


# --- ranking ------------------------------------------------------------------------------

def test_fitting_items_first_then_general_then_other_situations():
    ranked = advice_picker.rank(ITEMS, ["we're remote and I want a raise"])
    assert _ids(ranked) == ["remote", "salary", "general", "first_time"]


def test_ties_keep_file_order_and_the_pick_is_deterministic():
    texts = ["nothing that matches"]
    assert _ids(advice_picker.rank(ITEMS, texts)) == ["general", "remote", "first_time", "salary"]
    picks = {tuple(_ids(advice_picker.pick(_feedback(), [GIVING], [], 4))) for _ in range(20)}
    assert len(picks) == 1


def test_giving_and_receiving_feedback_get_different_advice():
    giving = set(_ids(advice_picker.pick(_feedback(), [GIVING], [], 4)))
    receiving = set(_ids(advice_picker.pick(_feedback(), [RECEIVING], [], 4)))
    assert giving == GIVING_IDS, "nothing about receiving feedback for someone who gives it"
    assert receiving == RECEIVING_IDS
    assert not giving & receiving


@pytest.mark.parametrize("topic, text, expected", [
    ("managing_up", "my boss takes credit for my work", "credit_conversation"),
    ("meetings", "my manager keeps cancelling our one-on-ones", "cancelled_one_on_ones"),
    ("promotion", "my manager won't discuss my promotion", "manager_avoids_it"),
    ("negotiation", "I have a job offer and want to negotiate the package", "job_offer"),
    ("negotiation", "can I negotiate a better title instead of money?", "title_scope"),
    ("leadership", "I'm a first-time manager of my former peers", "former_peers"),
    ("remote_work", "I just joined a remote team and feel isolated", "social_chat"),
    ("delegation", "my team is remote, in another time zone", "remote_handover"),
])
def test_the_first_item_fits_the_situation(topic, text, expected):
    items = load("mentor")["topics"][topic]["advice"]
    assert advice_picker.pick(items, [text], [], 4)[0]["id"] == expected


# --- no repeats and the end of the list ---------------------------------------------------

def test_asking_again_gives_items_not_yet_given_then_says_all_were_given():
    first = mentor.advise("feedback", GIVING)
    assert first.more and len(first.given) == mentor.ADVICE_PER_TURN
    second = mentor.advise("feedback", "more advice", [GIVING], first.given)
    new = [key for key in second.given if key not in first.given]
    assert len(new) == mentor.ADVICE_PER_TURN and not second.more
    assert "haven't given you yet" in second.replies[0].text
    assert not any(key.split(".")[1] in second.replies[0].text for key in first.given)
    # The last batch says so, and offers no "More advice" button.
    assert "last of my steps" in second.replies[1].text
    assert "More advice" not in [b["title"] for b in second.replies[1].buttons]
    third = mentor.advise("feedback", "more advice", [GIVING], second.given)
    assert len(third.replies) == 1 and third.replies[0].technique == "guidance"
    assert "all 8" in third.replies[0].text and third.given == second.given
    assert "More advice" not in [b["title"] for b in third.replies[0].buttons]


def test_the_second_batch_does_not_repeat_the_first_texts():
    first = mentor.advise("feedback", GIVING)
    second = mentor.advise("feedback", "what else?", [GIVING], first.given)
    first_steps = set(first.replies[0].text.splitlines()[1:])
    second_steps = {line.split(". ", 1)[1] for line in second.replies[0].text.splitlines()[1:]}
    assert not {line.split(". ", 1)[1] for line in first_steps} & second_steps


def test_items_given_on_another_topic_do_not_count():
    first = mentor.advise("negotiation", "how do I ask for a raise?")
    other = mentor.advise("feedback", GIVING, given=first.given)
    assert other.given[:len(first.given)] == first.given
    assert "haven't given you yet" not in other.replies[0].text


def test_more_advice_names_a_different_person_to_talk_to():
    first = mentor.advise("feedback", GIVING)
    second = mentor.advise("feedback", "more advice", [GIVING], first.given)
    assert first.replies[1].text != second.replies[1].text


def test_a_button_press_is_not_quoted_back():
    turn = mentor.advise("feedback", '/ask_advice{"topic": "feedback"}')
    assert "You said" not in turn.replies[0].text and "/ask_advice" not in turn.replies[0].text
