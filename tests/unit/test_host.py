"""The neutral host voice: what it says, with which buttons, and that nothing is left unfilled."""
import re

import pytest

from bot.content import load
from bot.personas import host
from bot.reply import TECHNIQUES, Reply

ALL_TECHNIQUES = sorted(t for techniques in TECHNIQUES.values() for t in techniques)


def _sentences(text):
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def _every_reply():
    """One call of every public host function, with representative arguments."""
    replies = [*host.greeting(returning=False), *host.greeting(returning=True),
               host.capabilities(), host.difference(), host.difference(detail=True),
               host.role_comparison("and what about training?"),
               host.role_comparison("what's a facilitator?"),
               host.role_comparison("is a consultant the same thing?"),
               host.role_comparison("should I see a therapist instead?"),
               host.explain_technique(None, None),
               host.switch_announcement("coach", "delegation"),
               host.switch_announcement("mentor", None),
               host.auto_role_announcement("coach", "set_goal"),
               host.auto_role_announcement("mentor", "ask_advice"),
               host.auto_role_announcement("mentor", "network"),
               host.auto_role_announcement("coach", "something_unknown"),
               host.compare_intro("My manager keeps rewriting my reports."), host.compare_intro(""),
               host.compare_outro(), host.fallback(), host.goodbye(), host.thanks(),
               host.bot_challenge(), host.empty_input(), host.truncated_note(2000),
               host.action_server_down(), host.store_unavailable(), host.stop_confirmation(),
               host.affirm_ack(), host.deny_ack()]
    replies += [host.explain_technique(t, None) for t in ALL_TECHNIQUES]
    return replies


def test_first_greeting_explains_both_roles_in_two_sentences_and_offers_a_choice():
    replies = host.greeting(returning=False)
    assert all(r.technique == "greeting" for r in replies)
    choice = replies[-1]
    explanation = [s for s in _sentences(choice.text) if not s.endswith("?")]
    assert len(explanation) == 2
    coach_line, mentor_line = explanation
    assert "coach" in coach_line.lower() and "question" in coach_line.lower()
    assert "own answers" in coach_line.lower()
    assert "mentor" in mentor_line.lower() and "advice" in mentor_line.lower()
    assert "experience" in mentor_line.lower()
    assert choice.text.endswith("?")
    assert [(b["title"], b["payload"]) for b in choice.buttons] == [
        ("Coach me", "/request_coach"), ("Mentor me", "/request_mentor"),
        ("Help me choose", "/ask_which_style")]


def test_returning_greeting_is_a_short_welcome_back():
    replies = host.greeting(returning=True)
    assert len(replies) == 1
    assert "welcome back" in replies[0].text.lower()
    assert len(replies[0].text) < 120


def test_capabilities_cover_what_the_bot_does():
    text = host.capabilities().text.lower()
    for needle in ("coach", "mentor", "goal", "check in", "switch", "each would answer",
                   "export", "delete"):
        assert needle in text
    assert 3 <= len(text.splitlines()) <= 8


def test_difference_short_offers_more_and_detail_is_fuller():
    short, detail = host.difference(), host.difference(detail=True)
    assert short.technique == detail.technique == "explanation"
    assert short.text.endswith("?")  # the offer of more
    for aspect in ("Role:", "Goals:", "Duration:", "Style:", "Expertise:", "Techniques:"):
        assert aspect in short.text and aspect in detail.text
    assert "non-directive" in short.text and "directive" in short.text
    for aspect in ("Focus:", "Structure:", "Connections:", "Best for:"):
        assert aspect not in short.text and aspect in detail.text
    assert len(detail.text.splitlines()) > len(short.text.splitlines())


def test_role_comparison_answers_training():
    reply = host.role_comparison("and what about training?")
    assert reply is not None and reply.technique == "explanation"
    text = reply.text
    assert "trainer" in text.lower()
    # Seed table: a trainer has subject matter expertise, sets goals, is not open-ended;
    # a coach brings no subject expertise and sets no goals.
    assert "Brings subject-matter expertise: trainer yes, coach no, mentor yes." in text
    assert "Sets the goals for the relationship: trainer yes, coach no, mentor sometimes." in text
    assert "Open-ended: trainer no, coach yes, mentor yes." in text
    assert "Builds personal bonds: trainer no, coach yes, mentor yes." in text


def test_role_comparison_answers_facilitator():
    reply = host.role_comparison("what's a facilitator?")
    assert reply is not None
    assert "Works with groups: facilitator yes, coach sometimes, mentor no." in reply.text
    assert "Sets up the process: facilitator yes, coach yes, mentor no." in reply.text


def test_role_comparison_consultant_and_counsellor():
    consultant = host.role_comparison("How is a consultant different?")
    assert consultant and "consultant" in consultant.text
    for text in ("Isn't this just counselling?", "Should I see a therapist?"):
        reply = host.role_comparison(text)
        assert reply is not None and "professional" in reply.text
        assert "How it compares" not in reply.text


@pytest.mark.parametrize("text", ["what's the difference between coaching and mentoring?",
                                  "hello", "I want to get better at delegating", ""])
def test_role_comparison_none_without_other_roles(text):
    assert host.role_comparison(text) is None


def test_role_comparison_whole_words_only():
    assert host.role_comparison("I'm constrained by my schedule") is None


@pytest.mark.parametrize("technique", ALL_TECHNIQUES)
def test_explain_technique_names_every_technique(technique):
    reply = host.explain_technique(technique, None)
    item = load("host")["techniques"]["items"][technique]
    none_text = host.explain_technique(None, None).text
    assert reply.text != none_text
    assert item["name"] in reply.text
    assert len(_sentences(reply.text)) == 1
    assert reply.persona == "host" and reply.technique == "explanation"


def test_explain_technique_says_who_used_it():
    assert host.explain_technique("scaling_question", "coach").text.startswith("The coach's")
    assert host.explain_technique("role_play", "mentor").text.startswith("The mentor's")
    # A stale persona slot does not mislabel a technique that belongs to the other role.
    assert host.explain_technique("advice", "coach").text.startswith("The mentor's")
    assert "Socratic" in host.explain_technique("socratic_question", "coach").text


@pytest.mark.parametrize("technique", [None, "", "lecture", "made_up"])
def test_explain_technique_without_a_known_technique(technique):
    assert "no technique" in host.explain_technique(technique, "coach").text.lower()


def test_switch_announcement_names_role_and_topic():
    to_mentor = host.switch_announcement("mentor", "public_speaking")
    assert "mentor" in to_mentor.text and "public speaking" in to_mentor.text
    to_coach = host.switch_announcement("coach", None)
    assert "coach" in to_coach.text and "questions" in to_coach.text
    assert len(to_coach.text.splitlines()) == 1


def test_auto_role_announcement_says_why_and_how_to_change():
    reply = host.auto_role_announcement("coach", "set_goal")
    assert reply.technique == "recommendation"
    assert "coach" in reply.text and "goal" in reply.text
    assert "'switch to mentor'" in reply.text
    networked = host.auto_role_announcement("mentor", "network")
    assert "network" in networked.text and "'switch to coach'" in networked.text


def test_compare_frames_the_situation():
    intro = host.compare_intro("My manager keeps rewriting my reports.")
    assert "My manager keeps rewriting my reports." in intro.text
    long_intro = host.compare_intro("word " * 200)
    assert len(long_intro.text) < 400
    outro = host.compare_outro()
    assert "coach" in outro.text and "mentor" in outro.text


def test_fallback_offers_choices():
    reply = host.fallback()
    assert reply.technique == "fallback"
    assert {b["payload"] for b in reply.buttons} == {"/request_coach", "/request_mentor",
                                                     "/ask_difference"}


def test_specific_lines():
    assert "bot" in host.bot_challenge().text.lower()
    assert "simulation" in host.bot_challenge().text.lower()
    assert "1500" in host.truncated_note(1500).text
    for reply in (host.action_server_down(), host.store_unavailable()):
        assert "nothing you said is lost" in reply.text
        assert "coach" not in reply.text.lower() and "mentor" not in reply.text.lower()


def test_all_host_texts_are_filled_and_plain():
    for reply in _every_reply():
        assert isinstance(reply, Reply)
        assert reply.persona == "host"
        assert reply.text.strip()
        assert not re.search(r"[{}<>*#_`]", reply.text), reply.text
        assert "  " not in reply.text
        for b in reply.buttons:
            assert b["title"].strip() and b["payload"].startswith("/")


def test_every_content_string_is_used_without_stray_braces():
    """Any brace in host.yml must be one of the placeholders host.py fills."""
    allowed = {"{situation}", "{limit}", "{topic}", "{role}", "{other}", "{reason}", "{does}",
               "{owner}", "{name}", "{meaning}", "{dimension}", "{values}", "{value}",
               "{goal}", "{more}", "{count}",
               # why-explanations and recaps (explain_why, recap)
               "{who}", "{label}", "{words}", "{text}"}

    def strings(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)
        elif isinstance(node, str):
            yield node

    for text in strings(load("host")):
        assert set(re.findall(r"\{[^}]*\}", text)) <= allowed, text


def test_explain_techniques_names_each_speaker_once():
    both = host.explain_techniques([("reflection", "coach"), ("advice", "mentor"), ("advice", "mentor")])
    assert both.persona == "host" and both.technique == "explanation"
    assert "coach's" in both.text and "mentor's" in both.text
    assert both.text.count("mentor's") == 1
    assert host.explain_techniques([(None, None)]).text == host.explain_technique(None, None).text


def test_returning_greeting_names_the_newest_active_goal():
    [reply] = host.greeting(True, ["speak up in meetings", "get better at delegating"])
    assert '"get better at delegating"' in reply.text and "1 more" in reply.text
    assert reply.text.endswith("?") and reply.technique == "greeting"
    [single] = host.greeting(True, ["negotiate a raise"])
    assert "more" not in single.text.replace("more;", "")
    assert host.greeting(True, [])[0].text == load("host")["greeting"]["returning"]
    assert len(host.greeting(False, ["ignored"])) == 2
