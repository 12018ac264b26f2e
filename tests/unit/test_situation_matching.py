"""The mentor's situation matcher (bot/personas/situations.py) against descriptions
written independently of the library (tests/data/situation_descriptions.yml). The eval
half is never used to build or tune the matcher; this test is its measurement:

    .venv/bin/python -m pytest tests/unit/test_situation_matching.py -q
"""
from collections import Counter

import pytest
import yaml

from bot.paths import PROJECT_ROOT
from bot.personas import situations

DESCRIPTIONS = PROJECT_ROOT / "tests" / "data" / "situation_descriptions.yml"
# Issue 19's target is 0.85. The matcher reached 0.649 on the sealed eval half; on 3 Dec
# 2026 (written phrasings in forum style, the words people use, an "outside" class, who is
# involved) it measured 0.792, 0.821, then 0.810 as committed (three looks in all), so the
# issue stays open and this floor keeps it from getting worse.
TARGET_TOP1 = 0.85
FLOOR_TOP1 = 0.80
REQUIRED = (
    "report_missing_deadlines rude_high_performer conflict_between_reports "
    "own_conflict_with_colleague managing_former_peers first_time_manager asking_for_headcount "
    "promotion_case_self promotion_case_for_report imposter_after_promotion laid_off_severance "
    "laying_people_off job_search_interviews evaluating_offer resigning_well relocating_abroad "
    "side_business learning_technical_skill returning_from_leave burnout_overload "
    "manager_takes_credit micromanaging_manager new_manager_doesnt_know_work "
    "hard_feedback_senior_peer managing_stakeholders saying_no prioritising remote_team "
    "delegation public_speaking salary_negotiation time_management giving_feedback_report "
    "receiving_feedback career_change networking confidence_speaking_up running_meetings "
    "work_life_balance managing_up underperformer_improvement_plan hiring "
    "new_job_first_90_days peer_takes_credit difficult_client reorg_team_morale "
    "passed_over_promotion finding_mentor_sponsor quit_toxic_workplace "
    "influence_without_authority presenting_to_executives career_plateau internal_transfer "
    "managing_older_reports recovering_from_mistake leadership").split()


def _data():
    with open(DESCRIPTIONS, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _items(split):
    return [item for item in _data()["items"] if item["split"] == split]


def _top1(items):
    hits = Counter()
    for item in items:
        hits[situations.best(item["text"]) == item["situation"]] += 1
    return hits[True] / max(1, len(items))


def test_library_has_every_required_situation():
    ids = [s["id"] for s in situations.library()]
    assert len(ids) == len(set(ids))
    assert not set(REQUIRED) - set(ids)
    assert len(ids) >= 55


def test_the_test_set_names_only_known_situations():
    known = set(situations.by_id())
    assert {item["situation"] for item in _data()["items"]} <= known
    assert len(_data()["items"]) >= 300


def test_top1_accuracy_on_the_eval_half():
    items = _items("eval")
    accuracy = _top1(items)
    print(f"top-1 on the eval half: {accuracy:.3f} over {len(items)} descriptions "
          f"(target {TARGET_TOP1})")
    assert accuracy >= FLOOR_TOP1


@pytest.mark.parametrize("text, expected", [
    ("One of my team members keeps missing deadlines", "report_missing_deadlines"),
    ("my best engineer is brilliant but rude in meetings", "rude_high_performer"),
    ("I need to ask my director for two more engineers for my team", "asking_for_headcount"),
    ("I got promoted two months ago and feel like a fraud", "imposter_after_promotion"),
    ("I got laid off yesterday and have a severance agreement to sign within 21 days",
     "laid_off_severance"),
    ("my manager presented my analysis to the VP as his own", "manager_takes_credit"),
])
def test_the_issue_examples_find_their_situation(text, expected):
    match = situations.match(text)
    assert match.best == expected
    assert match.verdict == "sure"


def test_the_people_involved_weigh_in():
    # The same complaint about deadlines: someone you manage vs yourself.
    assert situations.best("my report keeps missing deadlines") == "report_missing_deadlines"
    assert situations.best("I keep missing my own deadlines and procrastinate") == "time_management"
    assert situations.roles_in("my boss and one of my direct reports") == ["report", "manager"]


def test_outside_the_library_is_said_honestly():
    for text in ("what is the best pizza in town", "my landlord won't return my deposit"):
        assert situations.match(text).verdict == "none"


def test_a_weak_match_names_two_situations():
    match = situations.match("I need help with something at work")
    assert match.verdict != "sure"
    assert len(match.two) == 2


def test_excluded_situations_are_not_offered():
    match = situations.match("I want to become a data analyst", exclude=["career_change"])
    assert "career_change" not in match.two


def test_everyday_life_is_outside_but_a_question_about_work_is_not():
    for text in ("how do I make lasagne for eight people", "my cat keeps scratching the sofa"):
        assert situations.match(text).verdict == "none"
    for text in ("what's your advice on leadership?", "what's your advice on feedback?"):
        assert situations.match(text).verdict != "none"


def test_naming_people_and_nothing_about_them_is_not_sure():
    match = situations.match("my colleague and my boss")
    assert match.verdict == "unsure" and len(match.two) == 2
    assert situations.match("my boss micromanages me").verdict == "sure"
