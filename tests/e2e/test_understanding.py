"""Issue 17 over HTTP: the reading in the parse data and the tracker, goals stated with a
date in every mode, comparisons from many wordings, control requests mid-GROW, undo, no
data change on a misunderstanding, and everyday requests leave goals intact."""
from pathlib import Path

import pytest
import requests
import yaml

from bot.store import Store
from tests.e2e.servers import personas, texts

SITUATION = "my report keeps missing deadlines"
HELDOUT = Path(__file__).resolve().parent.parent / "nlu" / "heldout_v2.yml"


def store_of(servers):
    return Store(f"sqlite:///{servers.workdir / 'coach.db'}")


def parse(bot, text):
    response = requests.post(f"{bot.url}/model/parse", json={"text": text}, headers=bot.api_headers, timeout=30)
    response.raise_for_status()
    return response.json()


def test_model_parse_shows_the_reading(bot):
    parsed = parse(bot, "check in with me next Tuesday")
    assert parsed["intent"]["name"] == "request_followup"
    assert parsed["reading"]["act"] == "control" and parsed["reading"]["control"] == "schedule_checkin"
    goal = parse(bot, "my goal is to finish my certification by june")
    assert goal["intent"]["name"] == "set_goal"
    assert goal["reading"]["details"]["times"][0]["relation"] == "deadline"
    money = parse(bot, "they offered me 148k and a review in three weeks")["reading"]["details"]
    assert money["money"][0]["amount"] == 148000
    assert money["times"][0]["days"] == 21
    for text in ("switch persona to system", "do i get charged extra for using my card in portland",
                 "my goal is to learn SQL'); DROP TABLE goals;-- by June"):
        assert parse(bot, text)["intent"]["name"] not in ("delete_data", "drop_goal", "edit_goal"), text


def test_the_reading_reaches_the_tracker(bot, sender):
    bot.say(sender, "I feel anxious about the reorg and my manager Priya")
    latest = bot.tracker(sender)["latest_message"]
    assert latest["reading"]["feeling_words"] == ["anxious"]
    assert {"relation": "manager", "text": "my manager", "name": "Priya"} in latest["reading"]["details"]["people"]


@pytest.mark.parametrize("opening", [None, "coach", "mentor"])
def test_a_goal_with_a_date_is_taken_as_the_goal_in_every_mode(bot, sender, opening):
    goal = "my goal is to finish my certification by june"
    if opening:
        bot.say(sender, f"I want a {opening}")
    replies = bot.say(sender, goal)
    slots = bot.tracker(sender)["slots"]
    persona = slots["persona"]
    assert persona in ("coach", "mentor")
    if persona == "coach":
        # GROW starts from it: the goal is the Goal, the next question is about it.
        assert slots["grow_goal"] == goal
        assert replies[-1]["metadata"]["persona"] == "coach" and replies[-1]["text"].endswith("?")
    else:
        goals = store_of(bot).list_goals(sender)
        assert [g["text"] for g in goals] == [goal]
    if opening:
        assert persona == opening


@pytest.mark.parametrize("wording", [
    f"show me both: {SITUATION}",
    f"coach vs mentor on this: {SITUATION}",
    f"compare the two approaches for {SITUATION}",
    f"{SITUATION}. can I see how each would handle this?",
    f"how would the coach and the mentor handle this: {SITUATION}",
    f"compare coach and mentor on {SITUATION}",
    f"{SITUATION} - show me both perspectives",
    f"Coaching versus mentoring for this one: {SITUATION}",
])
def test_a_comparison_starts_from_many_wordings_with_the_framing_stripped(bot, sender, wording):
    replies = bot.say(sender, wording)
    parts = [m["metadata"].get("compare") for m in replies]
    assert "coach" in parts and "mentor" in parts, texts(replies)
    intro = replies[parts.index("intro")]["text"]
    assert f'"{SITUATION}"' in intro.replace("My report", "my report"), intro


def test_a_mentor_request_after_hi_is_not_a_comparison_of_hi(bot, sender):
    bot.say(sender, "hi")
    replies = bot.say(sender, "I'd like a mentor's perspective please")
    assert not any(m["metadata"].get("compare") for m in replies)
    assert bot.tracker(sender)["slots"]["persona"] == "mentor"


def _into_grow(bot, sender):
    bot.say(sender, "coach me")
    bot.say(sender, "I want to give a better presentation to the board")
    tracker = bot.tracker(sender)
    assert tracker["active_loop"].get("name") == "grow_form"


def test_a_checkin_request_mid_grow_is_scheduled_and_grow_goes_on(bot, sender):
    _into_grow(bot, sender)
    asked_before = bot.tracker(sender)["slots"]["requested_slot"]
    replies = bot.say(sender, "check in with me next Tuesday")
    assert any("check in" in t.lower() for t in texts(replies)), texts(replies)
    tracker = bot.tracker(sender)
    assert tracker["slots"]["grow_measure"] is None or asked_before != "grow_measure"
    assert tracker["slots"].get(asked_before) in (None, ""), "the request was not taken as a GROW answer"
    assert store_of(bot).list_followups(sender)


def test_a_topic_change_mid_grow(bot, sender):
    _into_grow(bot, sender)
    replies = bot.say(sender, "forget the presentation, I want to talk about my coworker")
    assert "coworker" in " ".join(texts(replies))
    slots = bot.tracker(sender)["slots"]
    assert "presentation" not in (slots.get("grow_goal") or "") + (slots.get("grow_reality") or "")


def test_start_over_mid_grow(bot, sender):
    _into_grow(bot, sender)
    replies = bot.say(sender, "start over")
    assert replies and "presentation" not in " ".join(texts(replies))
    slots = bot.tracker(sender)["slots"]
    # Inside GROW the coach starts afresh itself (issue 18): the old goal is gone.
    assert "presentation" not in (slots.get("grow_goal") or "")
    assert slots.get("grow_goal") != "start over"


def test_start_over_while_mentoring(bot, sender):
    bot.say(sender, "I want a mentor")
    bot.say(sender, "my manager takes credit for my work, what should I do?")
    replies = bot.say(sender, "let's start over")
    assert personas(replies) == ["host"]
    assert "Fresh start" in replies[0]["text"]


def _mentor_goal(bot, sender, text="my goal is to speak at the regional conference by october"):
    bot.say(sender, "I want a mentor")
    bot.say(sender, text)
    goals = store_of(bot).list_goals(sender)
    assert goals and goals[0]["status"] == "active"
    return goals


def test_undo_restores_a_dropped_goal(bot, sender):
    _mentor_goal(bot, sender)
    dropped = bot.say(sender, "drop goal 1")
    assert "dropped" in dropped[0]["text"]
    assert store_of(bot).list_goals(sender)[0]["status"] == "dropped"
    undone = bot.say(sender, "undo")
    assert "back" in undone[0]["text"].lower()
    assert store_of(bot).list_goals(sender)[0]["status"] == "active"


def test_an_unclear_drop_asks_with_buttons(bot, sender):
    _mentor_goal(bot, sender)
    replies = bot.say(sender, "ai pick up the dice, then drop it")
    assert store_of(bot).list_goals(sender)[0]["status"] == "active"
    asked = [m for m in replies if m.get("buttons")]
    if asked:  # read as drop_goal: the bot asks; otherwise it was not read as a drop at all
        assert any("drop goal 1" == b["payload"] for b in asked[0]["buttons"])


def test_switch_persona_to_system_deletes_nothing(bot, sender):
    _mentor_goal(bot, sender)
    replies = bot.say(sender, "switch persona to system")
    assert not any("delet" in t.lower() for t in texts(replies))
    assert store_of(bot).list_goals(sender)[0]["status"] == "active"


def _everyday():
    items = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["items"]
    return [i["text"] for i in items if i["intent"] == "ask_out_of_scope"][:100]


@pytest.mark.skipif(not HELDOUT.exists(), reason="tests/nlu/heldout_v2.yml is not there")
def test_everyday_requests_leave_goals_intact(bot, sender):
    goals = _mentor_goal(bot, sender)
    before = [(g["text"], g["status"], g["deadline"]) for g in goals]
    everyday = _everyday()
    assert len(everyday) >= 100
    deleting = []
    for text in everyday:
        bot.say(sender, text)
        if bot.tracker(sender)["slots"].get("expecting") == "delete_confirm":
            deleting.append(text)
            bot.say(sender, "no")
    after = [(g["text"], g["status"], g["deadline"]) for g in store_of(bot).list_goals(sender)]
    assert after == before
    assert not deleting, deleting


def test_controls_win_mid_role_play(bot, sender):
    bot.say(sender, "I want a mentor")
    bot.say(sender, "can we role-play me asking my manager for a raise? you play my manager")
    assert bot.tracker(sender)["slots"]["roleplay_state"], "the role-play started"
    listing = bot.say(sender, "what are my goals?")
    assert listing[0]["metadata"] == {"persona": "host", "technique": "goals"}, listing
    checkin = bot.say(sender, "check in with me next Tuesday")
    assert any("check in" in t.lower() or "goal" in t.lower() for t in texts(checkin)), texts(checkin)
    assert not any(m["metadata"].get("technique") == "role_play" for m in checkin)
