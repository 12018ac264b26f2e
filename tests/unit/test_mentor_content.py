"""The mentor's content library is complete for every topic and internally consistent."""
import re

import pytest

from bot.content import load
from bot.personas import advice_picker, mentor, roleplay
from bot.reply import TECHNIQUES
from bot.topics import topic_label, topic_values

KINDS = {"book", "course", "community", "podcast", "article"}
ADVICE_ITEMS = 8
EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")
MARKUP = re.compile(r"<[a-z/][^>]*>|\*\*|__|^#", re.M)


@pytest.fixture(scope="module")
def content():
    return load("mentor")


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def test_every_topic_has_content(content):
    assert set(topic_values()) <= set(content["topics"])


@pytest.mark.parametrize("topic", topic_values())
def test_topic_has_all_parts(content, topic):
    entry = content["topics"][topic]
    assert len(entry["advice"]) == ADVICE_ITEMS
    assert all(len(item["text"].split()) >= 8 for item in entry["advice"]), "steps must be concrete"
    assert len(entry["resources"]) >= 3
    for item in entry["resources"]:
        assert item.get("title"), item
        assert item.get("author") or item.get("source"), item
        assert item["kind"] in KINDS, item
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", entry["story"].strip()) if s]
    assert 3 <= len(sentences) <= 5, entry["story"]
    assert re.search(r"\b(I|my|me)\b", entry["story"]), "stories are told in the first person"
    assert "lesson" in entry["story"].lower()
    assert 2 <= len(entry["introductions"]) <= 3
    assert entry["assignment"].strip()
    assert entry["goal"]["measure"] and entry["goal"]["first_step"]


@pytest.mark.parametrize("topic", topic_values())
def test_advice_items_have_ids_and_cues_that_match(content, topic):
    items = content["topics"][topic]["advice"]
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z0-9_]+", i) for i in ids)
    assert set(items[0]) <= {"id", "text", "cues"}
    tagged = [item for item in items if item.get("cues")]
    # Most items name the situations they fit; a few hold for any situation of the topic.
    assert len(tagged) >= ADVICE_ITEMS // 2, topic
    for item in tagged:
        assert all(isinstance(cue, str) and cue.strip() for cue in item["cues"]), item["id"]
        assert len(item["cues"]) == len(set(item["cues"])), item["id"]
        for cue in item["cues"]:
            assert advice_picker.cue_pattern(cue).search(cue.lower()), (topic, cue)


def test_every_topic_tells_apart_the_situations_of_its_items(content):
    """For each tagged item, its own cues put it in the top four."""
    for topic, entry in content["topics"].items():
        for item in entry["advice"]:
            if item.get("cues"):
                situation = " and ".join(item["cues"][:3])
                top = advice_picker.pick(entry["advice"], [situation], [], 4)
                assert item in top, (topic, item["id"], situation)


def test_no_two_topics_share_advice(content):
    seen = {}
    for topic, entry in [*content["topics"].items(), ("general", content["general"])]:
        for item in entry["advice"]:
            key = item["text"].strip().lower()
            assert key not in seen, f"{topic} repeats advice from {seen.get(key)}"
            seen[key] = topic


def test_general_answers_are_complete(content):
    """What the mentor says when the area stays unknown: 4-6 steps for most situations,
    real resources, a story and an assignment."""
    general = content["general"]
    assert 4 <= len(general["advice"]) <= 6
    assert all(not item.get("cues") and len(item["text"].split()) >= 8 for item in general["advice"])
    assert len({item["id"] for item in general["advice"]}) == len(general["advice"])
    assert len(general["resources"]) >= 3
    for item in general["resources"]:
        assert item["kind"] in KINDS and (item.get("author") or item.get("source")), item
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", general["story"].strip()) if s]
    assert 3 <= len(sentences) <= 5 and "lesson" in general["story"].lower()
    assert general["assignment"].strip() and general["introduction"].strip()


def test_managing_up_is_a_complete_topic(content):
    assert "managing_up" in topic_values() and topic_label("managing_up") == "managing up"
    entry = content["topics"]["managing_up"]
    titles = {(item["title"], item.get("author") or item.get("source")) for item in entry["resources"]}
    assert ("Managing Up", "Mary Abbajay") in titles
    assert ("HBR Guide to Managing Up and Across", "Harvard Business Review Press") in titles
    assert 3 <= len(entry["resources"]) <= 5
    assert roleplay.has_scenario("managing_up")
    coach_topics = {q["topic"] for q in load("coach")["topic_questions"]}
    assert "managing_up" in coach_topics
    clarify_topics = {b["topic"] for b in content["clarify"]["buttons"]}
    assert "managing_up" in clarify_topics and clarify_topics <= set(topic_values())


def test_resources_are_not_repeated_within_a_topic(content):
    for topic, entry in content["topics"].items():
        titles = [item["title"] for item in entry["resources"]]
        assert len(titles) == len(set(titles)), topic


def test_all_resources_helper_lists_every_resource_with_topic(content):
    items = mentor.all_resources()
    assert len(items) == sum(len(e["resources"]) for e in content["topics"].values())
    assert all(item["topic"] in content["topics"] for item in items)


def test_introduction_says_simulation_and_not_professional_advice(content):
    text = content["introduction"].lower()
    assert "simulat" in text and "not a person" in text
    for field in ("legal", "medical", "financial"):
        assert field in text


@pytest.mark.parametrize("name", ["mentor", "mentor_roleplay", "mentor_plan_review"])
def test_texts_are_plain(name):
    for text in _strings(load(name)):
        assert not EMOJI.search(text), text
        assert not MARKUP.search(text), text


@pytest.mark.parametrize("name", ["mentor", "mentor_roleplay", "mentor_plan_review"])
def test_yaml_lists_hold_only_strings(name):
    """Unquoted YAML words like on/no/yes turn into booleans and break matching."""
    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                assert not isinstance(value, bool), f"unquoted boolean in {name}"
                walk(value)
    walk(load(name))


@pytest.mark.parametrize("topic", topic_values())
def test_every_engine_reply_uses_a_mentor_technique(topic):
    replies = [*mentor.advice(topic, "my manager keeps cancelling"),
               *mentor.resources(topic, ""), mentor.story(topic),
               mentor.introductions(topic), mentor.assignment(topic),
               mentor.goal_setting("do better at this", topic),
               mentor.continue_on_topic(topic)]
    expected = ["advice", "introduction", "resource", "story", "introduction", "assignment",
                "guidance", "guidance"]
    assert [r.technique for r in replies] == expected
    for reply in replies:
        assert reply.persona == "mentor"
        assert reply.technique in TECHNIQUES["mentor"]
        assert "{" not in reply.text and "}" not in reply.text, reply.text


def test_roleplay_scenarios_are_complete():
    data = load("mentor_roleplay")
    required = {"ask", "evidence", "acknowledge", "specific", "next_step", "polite", "stretch"}
    assert {"raise", "negative_feedback", "say_no", "difficult_conversation",
            "recognition"} <= set(data["scenarios"])
    for key, scenario in data["scenarios"].items():
        assert required <= set(scenario["try_next"]), key
        assert set(scenario["key"]) <= set(scenario["pushback"]), key
        assert scenario["pushback"]["rude"], key
        assert scenario["prefix"].startswith("(as ") and scenario["prefix"].endswith(") ")
        assert len(scenario["stages"]) >= data["turns"] - 1, key
