"""Crisis lexicon, safety check and scope referrals (bot/safety/, data/content/safety*.yml)."""
from pathlib import Path

import pytest
import yaml

from bot import safety
from bot.content import load

CASES = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "data" / "safety_cases.yml").read_text("utf-8"))
MAX_FALSE_ALARM_RATE = 0.10


def _texts(replies):
    return [reply.text for reply in replies]


def _all_text(replies):
    return "\n".join(_texts(replies))


# --- normalise -------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("I\u2019m  FINE", "i'm fine"),
    ("\u201cdont\u201d   worry", '"don\'t" worry'),
    ("im gonna kms", "i'm going to kill myself"),
    ("i wanna go", "i want to go"),
    ("ki\u200bll my self\x07", "kill myself"),
    ("line one\nline\ttwo", "line one line two"),
    ("\uff4b\uff49\uff4c\uff4c", "kill"),  # full-width letters, folded by NFKC
    ("I can't", "i can't"),  # already contracted: left alone
])
def test_normalise(raw, expected):
    assert safety.normalise(raw) == expected


def test_normalise_leaves_words_that_only_contain_a_replacement():
    assert safety.normalise("Timber and skills") == "timber and skills"


# --- the lexicon is self-consistent ----------------------------------------------------

def test_lexicon_has_every_category():
    assert set(safety.crisis_patterns()) == set(safety.CATEGORIES)
    assert all(safety.crisis_patterns()[category] for category in safety.CATEGORIES)


@pytest.mark.parametrize("kind, pattern, example", [
    (kind, pattern, example)
    for kind, entries in safety.crisis_patterns().items() for pattern, example in entries])
def test_each_crisis_pattern_matches_its_example(kind, pattern, example):
    assert pattern.search(safety.normalise(example)), pattern.pattern
    assert safety.detect_crisis(example)
    assert kind in safety.categories_in(example)


@pytest.mark.parametrize("pattern, example", safety.exclusion_patterns())
def test_each_exclusion_matches_its_example_and_clears_it(pattern, example):
    assert pattern.search(safety.normalise(example)), pattern.pattern
    assert not safety.detect_crisis(example)


def test_unknown_macro_is_a_content_error():
    from bot.safety.lexicon import compile_pattern

    with pytest.raises(KeyError):
        compile_pattern(r"\b{NOPE} x")


# --- detection on held-out cases -------------------------------------------------------

def test_case_file_is_big_enough():
    assert len(CASES["crises"]) >= 45
    assert len(CASES["lookalikes"]) >= 45


@pytest.mark.parametrize("text", CASES["crises"])
def test_crisis_is_detected(text):
    assert safety.detect_crisis(text)


@pytest.mark.parametrize("text", CASES["deliberately_flagged"])
def test_hyperbole_we_choose_to_flag(text):
    assert safety.detect_crisis(text)


def test_false_alarms_on_lookalikes_stay_under_ten_percent():
    alarms = [text for text in CASES["lookalikes"] if safety.detect_crisis(text)]
    rate = len(alarms) / len(CASES["lookalikes"])
    print(f"\nfalse alarms: {len(alarms)}/{len(CASES['lookalikes'])} ({rate:.1%}): {alarms}")
    assert rate < MAX_FALSE_ALARM_RATE, alarms


@pytest.mark.parametrize("text", [
    "this deadline is killing me",
    "I could die of embarrassment",
    "career suicide",
    "hang in there",
    "I'm dead tired",
])
def test_lookalike_alone_is_clear_but_not_with_a_crisis_after_it(text):
    assert not safety.detect_crisis(text)
    assert safety.detect_crisis(f"{text} and honestly I want to die")
    assert safety.detect_crisis(f"{text}. i've been cutting again")


def test_a_denial_does_not_hide_a_crisis_next_to_it():
    assert not safety.detect_crisis("I would never hurt myself")
    assert safety.detect_crisis("I would never hurt myself but I wish I was dead")
    assert safety.detect_crisis("I'm not sure I won't hurt myself")


@pytest.mark.parametrize("text, kind", [
    ("I want to kill myself", "active_ideation"),
    ("everyone would be better off without me", "hopelessness"),
    ("I've been cutting again", "self_harm"),
    ("I took too many pills", "attempt"),
    ("my dad beats me when he's drunk", "abuse"),
    ("I've been stockpiling my sleeping pills", "means_preparation"),
    ("I wish I was dead", "passive_wish"),
    ("let's review my promotion plan", None),
])
def test_crisis_kind(text, kind):
    assert safety.crisis_kind(text) == kind


@pytest.mark.parametrize("text", ["", "   ", "hello", "I want to get better at delegation"])
def test_ordinary_messages_are_not_crises(text):
    assert not safety.detect_crisis(text)


# --- crisis replies --------------------------------------------------------------------

def test_crisis_replies_give_help_and_ask_if_safe():
    replies = safety.crisis_replies()
    text = _all_text(replies)
    for number in ("988", "116 123", "112", "911"):
        assert number in text
    assert "Samaritans" in text
    assert "not a crisis service" in text
    assert "emergency" in text
    last = replies[-1].text
    assert last.endswith("?") and "safe right now" in last.lower()
    assert replies[-1].buttons, "quick answers make the question easy to answer"
    # Only the safety question is asked: no coaching or GROW question sneaks in.
    assert all("?" not in reply.text for reply in replies[:-1])
    assert last.count("?") == 1


def test_every_safety_reply_is_host_safety_and_plain_text():
    replies = list(safety.crisis_replies())
    for answer in ("yes", "no", "I was joking", "can we talk about my deck", "I want to die"):
        replies += safety.safety_check(answer, 0)[0]
    replies += [safety.scope_reply(kind) for kind in safety.SCOPE_KINDS]
    for reply in replies:
        assert reply.metadata == {"persona": "host", "technique": "safety"}
        assert reply.text.strip() == reply.text and reply.text
        assert not any(mark in reply.text for mark in ("**", "<", "#", "](")), reply.text
        assert all(ord(ch) < 0x2000 for ch in reply.text), "no emoji or fancy symbols"


# --- safety check ----------------------------------------------------------------------

@pytest.mark.parametrize("answer", [
    "yes", "Yes.", "yeah", "yes I am", "yes, thank you",
    "yes I'm safe", "I'm safe now", "I am ok, I'm not going to hurt myself",
    "yes, I'm safe, I was just venting", "Yes, I'm safe",
])
def test_clear_safety_resolves(answer):
    # "no, I'm fine" used to close the check here; an independent reviewer showed that "im
    # fine" alone is not a clear "I'm safe", so it is asked again (next test).
    replies, resolved, count = safety.safety_check(answer, 0)
    assert resolved
    assert count == 0
    text = _all_text(replies)
    assert "whenever you're ready" in text and "988" in text


@pytest.mark.parametrize("answer", [
    "you misunderstood", "I was joking", "it was just an expression",
    "lol I was kidding, I'm safe",
])
def test_first_misunderstanding_does_not_resolve(answer):
    replies, resolved, count = safety.safety_check(answer, 0)
    assert not resolved
    assert count == 1
    text = _all_text(replies)
    assert text.startswith("Thank you")
    assert "I ask because" in text
    assert text.endswith("are you safe right now?")


def test_misunderstood_then_safe_resolves():
    _, resolved, count = safety.safety_check("you misunderstood me", 0)
    assert not resolved and count == 1
    replies, resolved, count = safety.safety_check("I'm safe", count)
    assert resolved and count == 0


def test_misunderstood_and_safe_on_the_second_time_resolves():
    _, resolved, count = safety.safety_check("I was kidding, I'm safe", 1)
    assert resolved and count == 0


def test_misunderstood_again_without_saying_safe_asks_once_more():
    replies, resolved, count = safety.safety_check("it was a figure of speech", 1)
    assert not resolved and count == 2
    assert replies[-1].text.endswith("are you safe right now?")
    assert "I ask because" not in _all_text(replies)


@pytest.mark.parametrize("answer", [
    "no", "No.", "nope", "not really", "No, I'm not safe", "I don't know", "idk",
    "I'm not ok",
])
def test_not_safe_restates_helplines_and_asks_again(answer):
    replies, resolved, count = safety.safety_check(answer, 0)
    assert not resolved and count == 0
    text = _all_text(replies)
    for number in ("988", "116 123", "112", "911"):
        assert number in text
    assert replies[-1].text.endswith("are you safe right now?")


def test_new_crisis_expression_restates_helplines():
    replies, resolved, count = safety.safety_check("I just want to disappear forever", 1)
    assert not resolved and count == 1
    assert "116 123" in _all_text(replies)
    assert replies[-1].text.endswith("are you safe right now?")


def test_safe_but_in_crisis_is_not_resolved():
    _, resolved, _ = safety.safety_check("I'm fine, I just want to die", 0)
    assert not resolved


@pytest.mark.parametrize("answer", [
    "can we get back to my presentation", "what is the difference between coaching and mentoring",
    "no worries", "thanks",
])
def test_off_topic_keeps_the_check_open_gently(answer):
    replies, resolved, count = safety.safety_check(answer, 0)
    assert not resolved and count == 0
    assert len(replies) == 1
    assert "988" not in replies[0].text
    assert replies[0].text.endswith("are you safe right now?")


# --- scope -----------------------------------------------------------------------------

# The case file names the four old kinds; each is now split by the professional who helps.
REFERRAL_KINDS = {"therapy": {"therapy", "grief_trauma"}, "medical": {"medication", "diagnosis"},
                  "legal": {"contract_law", "immigration"}, "financial": {"investment", "tax"}}


@pytest.mark.parametrize("kind, text", [
    (kind, text) for kind, texts in CASES["scope"].items() for text in texts])
def test_scope_positive(kind, text):
    assert safety.classify_scope(text) in REFERRAL_KINDS[kind]


@pytest.mark.parametrize("text", CASES["not_scope"])
def test_scope_negative(text):
    assert safety.classify_scope(text) is None


def test_scope_cases_are_enough():
    assert all(len(texts) >= 4 for texts in CASES["scope"].values())
    assert sum(len(texts) for texts in CASES["scope"].values()) >= 8
    assert len(CASES["not_scope"]) >= 8


@pytest.mark.parametrize("kind, referral", [
    ("therapy", "therapist"), ("medication", "doctor or pharmacist"), ("diagnosis", "doctor"),
    ("contract_law", "employment lawyer"), ("immigration", "immigration adviser"),
    ("tax", "accountant"), ("investment", "financial adviser"), ("grief_trauma", "grief counsellor"),
])
def test_scope_reply_refers_and_keeps_the_door_open(kind, referral):
    reply = safety.scope_reply(kind)
    assert referral in reply.text
    assert "can't" in reply.text or "won't" in reply.text
    assert "work on" in reply.text or "working on" in reply.text or "work side" in reply.text


def test_therapy_reply_says_a_coach_is_not_a_therapist():
    assert "A coach is not a therapist" in safety.scope_reply("therapy").text


def test_scope_reply_rejects_unknown_kind():
    with pytest.raises(ValueError):
        safety.scope_reply("astrology")


def test_a_request_with_no_professional_gets_the_general_line_not_the_therapy_refusal():
    reply = safety.scope_reply(None)
    assert "therapist" not in reply.text and "outside what I'm for" in reply.text


def test_every_scope_kind_has_patterns_and_a_reply():
    data = load("safety")
    assert set(data["scope"]) == set(safety.SCOPE_KINDS)
    assert set(data["replies"]["scope"]) == set(safety.SCOPE_KINDS) | {"general"}


def test_every_crisis_case_holds_a_classifier_cue_and_work_talk_does_not():
    """The classifier's crisis guess counts only with a cue word: no known crisis may
    lack one, and plain work talk it once flagged at 0.98 must."""
    import yaml

    def text(case):
        return case if isinstance(case, str) else case["text"]

    cases = yaml.safe_load(open("tests/data/safety_cases.yml"))["crises"] + \
        yaml.safe_load(open("tests/data/crisis_fresh.yml"))["crises"]
    assert [text(c) for c in cases if not safety.has_distress_cue(text(c))] == []
    for work_talk in ("honestly I can't pin it down", "right now I do everything myself and stay late",
                      "I feel overwhelmed by my workload"):
        assert not safety.has_distress_cue(work_talk)


def test_the_fast_risk_score_equals_the_pipelines_probability():
    from bot.safety import classifier
    from bot.safety.text import fold

    texts = ["I want to get better at delegating", "i dont want to be here anymore",
             "ich will nicht mehr", "the pills are on the table", "", "ok", "k1ll"]
    fitted = classifier.model()
    for text in texts:
        expected = fitted.predict_proba([fold(text)])[0, 1]
        assert abs(classifier._scorer()(fold(text)) - expected) < 1e-9, text


def test_every_training_corpus_parses_and_is_labelled():
    import yaml as yaml_

    from bot.safety import classifier

    files = classifier.corpus_files()
    assert files
    for path in files:
        corpus = yaml_.safe_load(path.read_text(encoding="utf-8"))
        assert corpus["crisis"] and corpus["not_crisis"], path.name
        assert all(item["text"].strip() for item in corpus["crisis"] + corpus["not_crisis"]), path.name


@pytest.mark.parametrize("answer", ["im fine", "no, I'm fine", "i'm safe i think", "I'm ok",
                                    "safe enough", "fine, i guess"])
def test_fine_alone_or_hedged_is_asked_again(answer):
    replies, resolved, _ = safety.safety_check(answer, 0)
    assert not resolved and "are you safe right now?" in replies[-1].text, answer


def test_an_ingestion_in_the_answer_puts_the_emergency_number_first():
    replies, resolved, _ = safety.safety_check("yes i'm safe, i already took them though", 0,
                                               region="us")
    assert not resolved and replies[0].text.startswith("Please call 911 now")


@pytest.mark.parametrize("zone, line", [("Europe/Dublin", "Pieta"), ("Europe/Madrid", "024"),
                                        ("Europe/Paris", "3114"), ("Europe/Berlin", "0800 111 0 111"),
                                        ("Europe/Rome", "Telefono Amico"), ("Europe/Lisbon", "213 544 545"),
                                        ("America/Sao_Paulo", "188")])
def test_national_crisis_lines(zone, line):
    replies = safety.crisis_replies(("active_ideation",), safety.region_for(zone))
    assert line in "\n".join(r.text for r in replies)


@pytest.mark.parametrize("text", ["I don't know", "idk", "honestly I can't pin it down",
                                  "he would name me when he presents my work",
                                  "I might take it back when I'm stressed", "I guess so",
                                  "I tend to do everything myself because I worry others won't do it right"])
def test_ordinary_coaching_answers_are_not_crises(text):
    assert safety.assess(text).level == safety.NONE, text


# --- the check: a clear "I'm safe" closes, with what the person is doing beside it ------

@pytest.mark.parametrize("answer", [
    "I'm ok, not in danger", "no I'm not going to hurt myself", "no, i'm not going to do anything",
    "i'm okay. not in any danger", "yes i'm safe, i'm on the sofa watching tv with my flatmate",
    "I'm safe, my neighbour is driving me to the doctor", "i'm safe, i'm not going to act on it",
    "i'm fine and safe, my mum is on her way over", "no, i won't do anything to myself. i'm safe",
    "yes, safe. I put the knives in the car boot and gave my brother the keys",
    "sí, estoy a salvo, mi hermana está conmigo", "sim, estou segura, minha irmã está aqui",
    "ja, ich bin sicher, meine freundin ist bei mir",
])
def test_a_clear_safe_with_what_the_person_is_doing_closes_the_check(answer):
    replies, resolved, count = safety.safety_check(answer, 0)
    assert resolved and count == 0, answer


@pytest.mark.parametrize("answer", [
    "yes I have a plan", "yeah, until tonight", "yes. i've made my decision",
    "I'm fine, I've already decided how I'll do it", "I've decided",
])
def test_plan_time_or_decision_escalates(answer):
    replies, resolved, _ = safety.safety_check(answer, 0)
    assert not resolved
    assert "988" in _all_text(replies), answer


@pytest.mark.parametrize("answer", [
    "i'm safe, i'll be gone soon anyway", "i'm safe but i'm not going to be here much longer",
    "i'm safe, i just want it to end", "i'm safe, tomorrow i'm not so sure",
    "i'm not going to hurt myself today", "estoy bien por ahora", "ok fine im safe happy now",
    "yes i'm safe, i've got everything i need in the drawer", "i'm safe, i bought what i need",
    "I'm safe, but I don't see a way forward", "i'm safe. for tonight at least",
])
def test_a_safe_with_something_worrying_beside_it_stays_open(answer):
    replies, resolved, _ = safety.safety_check(answer, 0)
    assert not resolved and "are you safe right now?" in replies[-1].text, answer


# --- the classifier reads past a look-alike idiom, never a fragment of one -------------

def test_an_idiom_does_not_hide_a_wish_to_be_dead():
    # A denial pattern ("I'm not suicidal") is a look-alike; what follows it is still read.
    assert safety.assess("i'm not suicidal, i just wish i had never been born, honestly").crisis


@pytest.mark.parametrize("text", ["I don't see the point of this weekly status meeting",
                                  "my car battery is dead, can i jump start it myself"])
def test_what_is_left_of_an_idiom_must_convince_on_its_own(text):
    assert not safety.assess(text).crisis, text


@pytest.mark.parametrize("answer", ["i'm safe, he's asleep", "i'm okay, he went out for now",
                                    "i'm safe, i locked myself in the bathroom", "i'm safe, he's not home yet"])
def test_safety_that_lasts_while_someone_is_away_is_asked_again(answer):
    _, resolved, _ = safety.safety_check(answer, 0)
    assert not resolved, answer


@pytest.mark.parametrize("answer", ["I'm with my partner now, I'm okay", "yes I'm safe, the urge is gone",
                                    "No, I won't hurt myself. My mom is on her way over"])
def test_ok_beside_reassurance_closes(answer):
    assert safety.safety_check(answer, 0)[1], answer


def test_training_negatives_the_lexicon_reads_as_crises_are_left_out():
    # The lexicon starts the protocol on them whatever the classifier says.
    from bot.safety import classifier
    assert all(label or not safety.categories_in(text) for text, label in classifier.training_rows())


@pytest.mark.parametrize("answer", ["yes i'm safe, can we get back to my presentation",
                                    "i'm not in danger from anyone else", "i'm safe, i only took a few",
                                    "I'm not going to hurt myself while the kids are here"])
def test_a_deflection_a_time_or_a_dose_beside_safe_is_asked_again(answer):
    _, resolved, _ = safety.safety_check(answer, 0)
    assert not resolved, answer


def test_explicit_words_need_less_of_the_classifier():
    from bot.safety import classifier
    assert classifier.EXPLICIT_THRESHOLD < classifier.THRESHOLD
    assert safety.has_distress_cue("wanna die fr") and safety.lexicon.has_explicit_words("wanna die fr")
    assert not safety.lexicon.has_explicit_words("this deadline is killing me")


# --- graded reading of the classifier ----------------------------------------------------

@pytest.mark.parametrize("text, p, expected", [
    ("I feel like such a burden to everyone", 0.95, "crisis"),  # a word of harm, sure: the protocol
    ("I feel like such a burden to everyone", 0.6, "ask"),      # likely: ask first
    ("I feel like such a burden to everyone", 0.3, None),
    ("I've gone quiet in every meeting lately", 0.95, "ask"),   # a broad cue only: ask first
    ("Saturday then. I just wanted someone to know", 0.99, "crisis"),  # no cue: only surer still
    ("Saturday then. I just wanted someone to know", 0.93, "ask"),
    ("honestly I want to die", 0.4, "crisis"),                # an explicit word: the protocol at once
])
def test_the_classifier_asks_first_unless_sure(monkeypatch, text, p, expected):
    from bot.safety import classifier
    monkeypatch.setattr(classifier, "probability", lambda rest, fitted=None: p)
    assert classifier.tier(text) == expected


def test_a_likely_reading_is_a_direct_question_naming_both_dangers(monkeypatch):
    from bot.safety import classifier, lexicon, replies, risk
    monkeypatch.setattr(lexicon, "categories_in", lambda text: [])
    monkeypatch.setattr(classifier, "tier", lambda text: classifier.ASK)
    reading = risk.assess_text("he's just a lot")
    assert (reading.level, reading.source) == (safety.CONCERN, "classifier")
    question = replies.concern(likely=True)
    assert "ending your life" in question.text and "someone is hurting you" in question.text
    assert replies.asked_as_likely(question.text) and not replies.asked_as_likely(replies.concern().text)
    assert "rather ask" in replies.concern_no("us", likely=True).text
    assert "988" in replies.concern(likely=True, region="us").text
