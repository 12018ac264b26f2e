"""The coach-or-mentor recommender against realistic situations (tests/data)."""
from pathlib import Path

import pytest
import yaml

from bot.content import load
from bot.personas.recommend import Recommendation, clarify, reason_text, recommend, stem

CASES = yaml.safe_load((Path(__file__).parent.parent / "data" / "recommend_cases.yml")
                       .read_text(encoding="utf-8"))["cases"]


def _texts(case):
    return case.get("texts") or [case["text"]]


def test_case_file_covers_both_roles_and_ambiguity():
    roles = [case["role"] for case in CASES]
    assert roles.count("coach") >= 6
    assert roles.count("mentor") >= 6
    assert roles.count(None) >= 3


@pytest.mark.parametrize("case", CASES, ids=lambda case: _texts(case)[-1][:50])
def test_recommends_expected_role(case):
    result = recommend(_texts(case))
    assert isinstance(result, Recommendation)
    assert result.role == case["role"], result.scores
    assert result.reply.persona == "host"
    assert result.reply.technique == "recommendation"


@pytest.mark.parametrize("case", [c for c in CASES if c["role"]], ids=lambda c: _texts(c)[-1][:40])
def test_recommendation_gives_reason_and_offers_both_roles(case):
    result = recommend(_texts(case))
    role, other = result.role, ("mentor" if result.role == "coach" else "coach")
    assert reason_text(result.reason_key) in result.reply.text
    assert role in result.reply.text
    payloads = [b["payload"] for b in result.reply.buttons]
    assert payloads == [f"/request_{role}", f"/request_{other}"]
    assert role in result.reply.buttons[0]["title"].lower()


@pytest.mark.parametrize("case", [c for c in CASES if not c["role"]],
                         ids=lambda c: _texts(c)[-1][:40])
def test_unclear_situations_get_one_clarifying_question(case):
    result = recommend(_texts(case))
    assert result.reason_key is None
    assert result.reply.text == clarify().text
    assert result.reply.text.count("?") == 1 and result.reply.text.endswith("?")


def test_empty_history_asks():
    assert recommend([]).role is None


def test_recent_messages_outweigh_older_ones():
    # Equally strong pulls either way: whichever was said last decides.
    skill = "I need to get better at presentations before the board meeting next week."
    career = "I'd like to learn from someone who has been there about my career."
    assert recommend([skill]).scores["coach"] == recommend([career]).scores["mentor"]
    assert recommend([skill, career]).role == "mentor"
    assert recommend([career, skill]).role == "coach"


def test_inflections_match():
    assert stem("delegating") == stem("delegated") == stem("delegates") == stem("delegate")
    assert stem("meetings") == stem("meeting")
    assert stem("planning") == stem("plan")
    assert recommend(["I'm terrible at delegating tasks to my reports."]).role == "coach"


def test_cues_match_whole_words_only():
    # "network" inside "networked-storage" style compounds still splits on the hyphen, but
    # "careerist" or "industrious" must not count as career or industry cues.
    assert recommend(["I am industrious and a bit of a careerist."]).role is None


def test_naming_the_roles_is_not_a_cue():
    assert recommend(["Should I pick the coach or the mentor?"]).role is None


def test_every_cue_group_has_a_reason_and_weights():
    roles = load("recommend")["roles"]
    for role in ("coach", "mentor"):
        for key, group in roles[role].items():
            assert reason_text(key) == group["reason"]
            assert group["cues"], key
            assert all(weight in (1, 2, 3) for weight in group["cues"].values()), key
    assert reason_text("no_such_reason") is None
