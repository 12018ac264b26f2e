"""The coach's words: never directive, always one open question, and a bank big enough.

Checks every string in data/content/coach.yml and many rendered messages (every slot,
topic, retry and commitment band, with awkward sample answers)."""
import itertools

import pytest

from bot.content import load
from bot.personas import coach
from bot.reply import TECHNIQUES
from bot.topics import topic_values
from tests.nondirective import assert_coach_message
from tests.nondirective import forbidden_in as _forbidden_in

BANK_TECHNIQUES = {"powerful_question", "socratic_question", "scaling_question",
                   "goal_setting", "accountability"}
# Answers that would trip a naive reflection: directives, questions, emoji, length.
SAMPLE_ANSWERS = [
    None,
    "I should delegate more and I need to make sure the team is ready",
    "What should I do? I have to try to start by doing this myself!!",
    "I'm not sure \U0001F600 my boss\x07 thinks I must change",
    " ".join(["word"] * 40) + "?",
    "fine",
]
CONTENT = load("coach")


def _strings(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def _all_entries():
    outside = [entry for spec in CONTENT["outside"].values() for entry in spec["questions"]]
    return (CONTENT["questions"] + CONTENT["topic_questions"]
            + CONTENT["dont_know_questions"] + outside)


# ---- the YAML itself ---------------------------------------------------------------------

def test_no_string_in_the_library_is_directive():
    strings = list(_strings(CONTENT))
    assert len(strings) > 500
    assert [s for s in strings if _forbidden_in(s)] == []


def test_forbidden_phrase_check_catches_directives():
    assert _forbidden_in("Maybe you should try to delegate.") == ["you should", "try to"]
    with pytest.raises(AssertionError):
        assert_coach_message("You need to delegate. What else?")
    with pytest.raises(AssertionError):
        assert_coach_message("Why? What else?")
    with pytest.raises(AssertionError):
        assert_coach_message("Is that right?")


def test_every_question_entry_is_one_open_question():
    for entry in _all_entries():
        assert_coach_message(coach._fill(entry["text"], "delegation", 5))


def test_statements_carry_no_question_mark():
    retry = CONTENT["retry"]
    statements = (CONTENT["reflections"] + [t for texts in retry.values() for t in texts]
                  + CONTENT["summary"]["intro"] + list(CONTENT["summary"]["lines"].values()))
    for spec in CONTENT["outside"].values():
        statements += spec.get("lead_ins", []) + spec.get("lead_ins_no_answer", [])
    for text in statements:
        assert "?" not in text, text
    for text in CONTENT["reflections"] + retry["resume_reflections"]:
        assert "{answer}" in text
    for spec in CONTENT["outside"].values():
        assert all("{answer}" in text for text in spec.get("lead_ins", []))


def test_ids_are_unique_across_the_library():
    ids = [entry["id"] for entry in _all_entries()]
    assert len(ids) == len(set(ids))


def test_bank_entries_are_well_tagged():
    topics = set(topic_values())
    for entry in coach.bank() + CONTENT["dont_know_questions"]:
        assert entry["slot"] in coach.GROW_SLOTS, entry
        assert entry["stage"] == coach.STAGE_OF[entry["slot"]], entry
        assert entry["topic"] is None or entry["topic"] in topics, entry
        assert entry["technique"] in BANK_TECHNIQUES, entry
        if entry["slot"] == "grow_commitment_followup" and entry in coach.bank():
            assert entry["band"] in ("low", "middle", "high", "any"), entry
    for entry in CONTENT["dont_know_questions"]:
        assert entry["topic"] is None
    for spec in CONTENT["outside"].values():
        for entry in spec["questions"]:
            assert entry["technique"] in TECHNIQUES["coach"], entry


def test_generic_bank_has_at_least_twelve_per_stage():
    for stage in coach.STAGES:
        generic = [e for e in CONTENT["questions"] if e["stage"] == stage and e["topic"] is None]
        assert len(generic) >= 12, stage


def test_every_slot_has_questions_and_dont_know_angles():
    for slot in coach.GROW_SLOTS:
        assert len([e for e in CONTENT["questions"] if e["slot"] == slot]) >= 4, slot
        assert len([e for e in CONTENT["dont_know_questions"] if e["slot"] == slot]) >= 2, slot
        assert slot in CONTENT["fallbacks"]
    will = [e["slot"] for e in CONTENT["questions"] if e["stage"] == "will"]
    assert {"grow_first_step", "grow_deadline", "grow_obstacle", "grow_commitment"} <= set(will)


def test_commitment_followups_cover_every_band():
    followups = [e for e in CONTENT["questions"] if e["slot"] == "grow_commitment_followup"]
    for band in ("low", "middle", "high", "any"):
        assert len([e for e in followups if e["band"] == band]) >= 2, band
    assert all(e["technique"] == "scaling_question" for e in CONTENT["questions"]
               if e["slot"] == "grow_commitment")


def test_a_confidence_scaling_question_exists():
    assert any("confident" in e["text"] and e["technique"] == "scaling_question"
               for e in coach.bank())


def test_every_topic_has_three_questions_on_different_slots():
    for topic in topic_values():
        entries = [e for e in CONTENT["topic_questions"] if e["topic"] == topic]
        assert len(entries) >= 3, topic
        assert len({e["slot"] for e in entries}) >= 3, topic


def test_topic_questions_differ_between_topics():
    texts = [e["text"] for e in CONTENT["topic_questions"]]
    assert len(texts) == len(set(texts))


def test_lexicon_words_are_strings():
    # YAML reads bare yes/no/on as booleans; the engine compares strings.
    lexicon = CONTENT["lexicon"]
    for key in ("dont_know", "vague", "light", "vague_deadline", "not_a_number_after"):
        assert all(isinstance(word, str) for word in lexicon[key]), key


# ---- rendered messages -------------------------------------------------------------------

@pytest.mark.parametrize("slot", coach.GROW_SLOTS)
def test_every_rendered_question_is_non_directive(slot):
    topics = [None] + topic_values()
    scores = [None, 1, 4, 5, 7, 8, 10] if slot == "grow_commitment_followup" else [None]
    seed = 0
    for topic, retry, answer, score in itertools.product(topics, coach.RETRIES,
                                                         SAMPLE_ANSWERS, scores):
        seed += 1
        reply, _ = coach.ask(slot, topic, [], previous_answer=answer, retry=retry,
                             commitment=score, seed=seed)
        assert reply.persona == "coach"
        assert_coach_message(reply.text)


def test_exhausted_bank_still_renders_a_question():
    every_id = [e["id"] for e in coach.bank() + CONTENT["dont_know_questions"]]
    for slot, retry in itertools.product(coach.GROW_SLOTS, coach.RETRIES):
        reply, question_id = coach.ask(slot, "delegation", every_id, "I will", retry, 3)
        assert question_id is None
        assert_coach_message(reply.text)


def test_rendered_summaries_end_with_the_check_in_question():
    full = {"grow_goal": "I should delegate the weekly report",
            "grow_measure": "I need to leave at six twice a week",
            "grow_first_step": "Ask Sam on Monday?", "grow_deadline": "friday",
            "grow_commitment": "about an 8", "grow_obstacle": "I must not take it back"}
    samples = [full, {"grow_goal": "Delegate more"}, {}, {**full, "grow_commitment": "high"},
               {**full, "grow_commitment": 7, "grow_deadline": "  "}]
    for seed, slots in enumerate(samples * 3):
        reply = coach.summary(slots, seed=seed)
        assert reply.technique == "summary" and reply.persona == "coach"
        assert_coach_message(reply.text)


@pytest.mark.parametrize("kind", coach.OUTSIDE_KINDS)
def test_rendered_outside_replies_are_non_directive(kind):
    for seed, (topic, text) in enumerate(itertools.product([None] + topic_values(),
                                                           SAMPLE_ANSWERS + [""])):
        reply, question_id = coach.outside_grow(kind, topic, text, [], seed=seed)
        assert reply.persona == "coach" and question_id
        assert_coach_message(reply.text)
