"""The coach engine: non-directive questions for GROW and the coach's replies around it.

Every reply has persona "coach" and ends with exactly one question. All prose lives in
data/content/coach.yml; this module classifies answers, picks unused questions, puts the
person's own words back (reflect.py) and joins the pieces. No Rasa imports: the actions
call these functions and dispatch the Reply.
"""
import random
import re
import unicodedata
from functools import lru_cache
from typing import Any, Dict, List, Mapping, Optional, Pattern, Sequence, Set, Tuple

from bot.content import load
from bot.dialogue import Retry
from bot.personas import listen
from bot.personas.listen import KeyWords
from bot.personas.reflect import clean, reflect
from bot.reply import Reply
from bot.topics import topic_label, topic_values

COACH = "coach"

GROW_SLOTS: List[str] = [
    "grow_goal", "grow_measure", "grow_reality", "grow_options", "grow_first_step",
    "grow_deadline", "grow_commitment", "grow_commitment_followup", "grow_obstacle",
]
STAGE_OF: Dict[str, str] = {
    "grow_goal": "goal", "grow_measure": "goal", "grow_reality": "reality",
    "grow_options": "options", "grow_first_step": "will", "grow_deadline": "will",
    "grow_commitment": "will", "grow_commitment_followup": "will", "grow_obstacle": "will",
}
STAGES = ("goal", "reality", "options", "will")
# How a question may be prefaced (slot grow_retry): bot/dialogue.py, Retry.
RETRIES = (None, *Retry)
# Turns asked through the grow_explore slot: not a GROW answer, a move around it.
EXPLORE_KINDS = ("contract", "stay", "hold", "repair", "readiness_options", "readiness_will",
                 "checkin", "takeaway", "explore_goal", "recap")
OUTSIDE_KINDS = ("opening", "advice_plea", "advice_plea_repeat", "resource_plea",
                 "progress_done", "progress_made", "progress_not_done", "it_depends", "plan_shared",
                 "followup_due")
# Slots whose questions expect a number, so another slot must never borrow them.
_SCALE_SLOTS = {"grow_commitment", "grow_commitment_followup"}
# A bare number is a real answer here (reality has "where are you, 1 to 10" questions).
_NUMBER_OK_SLOTS = {"grow_commitment", "grow_deadline", "grow_reality"}
# The summary walks these slots in order; the others stay in the conversation.
_SUMMARY_SLOTS = ("grow_goal", "grow_measure", "grow_first_step", "grow_deadline",
                  "grow_commitment", "grow_obstacle")
SUMMARY_MAX_WORDS = 15
# Reflected words only. A person's "I should" comes back from reflect() as "you should",
# which would read as the coach's instruction; it is given back as their feeling instead.
# Kept here, not in coach.yml, so the content library holds no directive phrase at all.
_SOFTENING = {
    "you should": "you feel you ought to", "you need to": "you feel you ought to",
    "you have to": "you feel you ought to", "you must": "you feel you ought to",
    "try to": "aim to", "make sure": "ensure", "start by": "begin by", "do this": "do it",
    "the best way is": "the best route is", "consider reading": "consider looking at",
    "i recommend": "I'd propose", "i suggest": "I'd propose", "i'd advise": "I'd propose",
    "my advice": "my view",
}


def _lib() -> Dict[str, Any]:
    return load("coach")


def _lexicon() -> Dict[str, Any]:
    return _lib()["lexicon"]


# ---- reading answers ---------------------------------------------------------------------

def _normalise(text: str) -> str:
    """Lower case, plain apostrophes, letters/digits only, single spaces."""
    text = clean(text).lower().replace("\u2019", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=None)
def _dont_know_pattern() -> Pattern[str]:
    phrases = sorted(_lexicon()["dont_know"], key=len, reverse=True)
    return re.compile(r"(?<![a-z'])(?:" + "|".join(re.escape(p) for p in phrases)
                      + r")(?![a-z'])")


def band_of(score: Optional[int]) -> Optional[str]:
    """Scaling band: 1-4 low, 5-7 middle, 8-10 high; None without a usable number."""
    if score is None or not 1 <= score <= 10:
        return None
    return "low" if score <= 4 else "middle" if score <= 7 else "high"


def classify_answer(text: Optional[str], slot: Optional[str] = None) -> str:
    """"ok", "vague" (no content: "fine", "maybe", only punctuation or emoji), "dont_know"
    or "empty". For grow_commitment only a readable 1-10 number is "ok"; a bare number is
    also fine for grow_deadline and grow_reality, vague elsewhere."""
    visible = [ch for ch in text or "" if not ch.isspace()
               and unicodedata.category(ch) not in ("Cc", "Cf")]
    if not visible:
        return "empty"
    raw = clean(text or "")
    normal = _normalise(raw)
    if not normal:
        return "vague"  # punctuation or emoji only
    lexicon = _lexicon()
    rest, found = _dont_know_pattern().subn(" ", normal)
    empty_words = set(lexicon["light"]) | set(lexicon["vague"])
    if slot == "grow_deadline":
        empty_words |= set(lexicon["vague_deadline"])
    content = [w for w in rest.split() if w not in empty_words and not w.isdigit()]
    numbers = [w for w in rest.split() if w.isdigit()]
    if found and not content:
        return "dont_know"
    if slot == "grow_commitment":
        return "ok" if parse_scale(raw) is not None else "vague"
    if content or (numbers and slot in _NUMBER_OK_SLOTS):
        return "ok"
    # Four or more words are a real answer even when each word is light ("I really want this").
    # (Not for deadlines: "as soon as possible" is still no date.)
    return "ok" if len(rest.split()) >= 4 and slot != "grow_deadline" else "vague"


def is_plea(text: Optional[str]) -> bool:
    """A plea for the answer ("just tell me what to do"), from coach.yml's plea patterns."""
    low = (text or "").lower().replace("\u2019", "'")
    return any(re.search(pattern, low) for pattern in _lexicon().get("plea", []))


@lru_cache(maxsize=None)
def _goal_patterns() -> Tuple[Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in _lexicon()["goal_markers"])


def wanted_part(text: Optional[str]) -> Optional[str]:
    """The words of a goal after its want marker, up to the end of that clause ("I want to
    exercise more, I work from home" -> "want to exercise more"); None without a marker."""
    low = _normalise(text or "")
    raw = clean(text or "").lower().replace("\u2019", "'")
    for pattern in _goal_patterns():
        found = pattern.search(raw) or pattern.search(low)
        if found:
            source = raw if pattern.search(raw) else low
            rest = source[found.start():]
            return re.split(r"[,.;!?]|\b(?:because|since|as|but|and i|so)\b", rest)[0].strip() or None
    return None


def says_carry_on(text: Optional[str], offered: bool = False) -> bool:
    """"No, let's keep going", "nope, keep asking": a refusal (of the mentor, say) that
    asks to go on, and answers nothing (coach.yml's carry_on words). A lone "no" counts
    only when the bot has just offered something; otherwise it is merely vague."""
    words = _normalise(text or "").split()
    lexicon = _lexicon()
    if len(words) == 1 and words[0] in lexicon["carry_on_starts"][:3] and not offered:
        return False
    allowed = set(lexicon["carry_on"]) | set(lexicon["light"]) | set(lexicon["vague"])
    return bool(words) and words[0] in lexicon["carry_on_starts"] and all(w in allowed for w in words)


def describes_situation(text: Optional[str]) -> bool:
    """Whether an opening statement tells what is happening ("my boss takes credit for my
    work") rather than what the person wants ("I want to delegate more") or the area they
    want it in ("public speaking"); coach.yml's lexicon decides (see goal_markers)."""
    low = _normalise(text or "")
    if any(pattern.search(low) for pattern in _goal_patterns()):
        return False
    words = low.split()
    lexicon = _lexicon()
    return bool(set(words) & set(lexicon["situation_subjects"])) \
        or len(words) >= int(lexicon["situation_min_words"])


def parse_scale(text: Optional[str]) -> Optional[int]:
    """The 1-10 number in "7", "7/10", "seven", "about an 8", "10 out of 10"; None when
    there is none or the first number is out of range (0, 11, 80%)."""
    normal = clean(text or "").lower().replace("\u2019", "'")
    # Drop the scale itself, so "on a scale of 1 to 10, a 6" and "7/10" leave one number.
    normal = re.sub(r"\b(?:from|of|between)\s+(?:1|one)\s*(?:to|-|and)\s*(?:10|ten)\b",
                    " ", normal)
    normal = re.sub(r"\s*(?:/|out of|outta)\s*(?:10|ten)\b", " ", normal)
    lexicon = _lexicon()
    words = lexicon["number_words"]
    pronoun_before = set(lexicon["not_a_number_after"])
    tokens = re.findall(r"\d+(?:[.,]\d+)?\s*%?|[a-z]+", normal)
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token[0].isdigit():
            if token.endswith("%") or following in ("percent", "per"):
                return None
            value = int(float(token.replace(",", ".")))
        elif token in words:
            if index and tokens[index - 1] in pronoun_before:
                continue
            if following in ("percent", "hundred"):
                return None
            value = int(words[token])
        else:
            continue
        return value if 1 <= value <= 10 else None
    return None


# ---- building messages -------------------------------------------------------------------

def _soften(words: str) -> str:
    """Reflected words may carry a directive phrase ("I should" -> "you should"); the
    coach gives them back as the person's feeling instead of an instruction."""
    for phrase, replacement in _SOFTENING.items():
        words = re.sub(r"(?<![A-Za-z'])" + re.escape(phrase) + r"(?![A-Za-z'])",
                       replacement, words, flags=re.I)
    return words


def _short(text: Optional[str], names: Sequence[str] = ()) -> Optional[str]:
    """The person's words when they fit a reflection (at most 12 words, a whole clause),
    else None: nothing is ever cut off."""
    words = reflect(text or "", max_words=listen.max_words(), names=names)
    if not words or len(words.split()) > listen.max_words():
        return None
    return _soften(words)


# A greeting before the content ("Hi, I'm back. I had the talk with Raj.") is not what
# the person is reporting: "So your plan is this: hi, you're back." (PCC evaluator).
_SOCIAL_LEAD = re.compile(r"^\s*(?:(?:hi|hello|hey|hiya|morning|good (?:morning|afternoon|evening)|"
                          r"ok(?:ay)?|so|thanks?|thank you)\b[^.!?]{0,30}[.!?]+\s*)+", re.I)


def _reflection(rng: random.Random, answer: Optional[str], templates: Sequence[str],
                max_words: Optional[int] = None) -> Optional[str]:
    """A template filled with the person's words (a resume, a progress report): only when
    the message may be reflected and its words fit whole."""
    answer = _SOCIAL_LEAD.sub("", answer or "") or answer
    if not answer or not listen.reflectable(answer):
        return None
    words = _short(answer)
    if not words:
        return None
    return rng.choice(list(templates)).format(answer=words)


def key_reflection(key: Optional[KeyWords], rng: random.Random) -> Optional[str]:
    """A few key words given back (a feeling, an insight, a value, a metaphor, a
    contradiction), from listening.reflections; None when there is no short phrase."""
    if key is None or not key.phrase:
        return None
    words = _soften(key.phrase)
    template = rng.choice(list(_lib()["listening"]["reflections"][key.kind]))
    return template.format(phrase=words, Phrase=words[:1].upper() + words[1:])


def _with_article(score: Optional[int]) -> str:
    """"an 8", "a 7": the article English needs before a spoken number."""
    if score is None:
        return ""
    return f"{'an' if score in (8, 11, 18) else 'a'} {score}"


def _fill(text: str, topic: Optional[str] = None, score: Optional[int] = None) -> str:
    return text.format(topic=topic_label(topic) if topic else "",
                       score=score if score is not None else "",
                       a_score=_with_article(score),
                       A_score=_with_article(score).capitalize(),
                       next=score + 1 if score is not None else "")


def _join(*parts: Optional[str]) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())


def _unused(entries: Sequence[Dict[str, Any]], asked: Set[str]) -> List[Dict[str, Any]]:
    return [entry for entry in entries if entry["id"] not in asked]


def bank() -> List[Dict[str, Any]]:
    """Every GROW question, generic then topic-specific."""
    return list(_lib()["questions"]) + list(_lib()["topic_questions"])


def _choose(slot: str, topic: Optional[str], asked: Set[str], retry: Optional[str],
            commitment: Optional[int], rng: random.Random, avoid_who: bool = False
            ) -> Optional[Dict[str, Any]]:
    """The question to ask: an unused one, best fit first; None if all were used.
    avoid_who: the person just named who is involved, so no "who..." question."""
    entries = [e for e in bank() if not (avoid_who and e["text"].lower().startswith("who"))]
    tiers: List[List[Dict[str, Any]]] = []
    if retry == "dont_know":
        tiers.append([e for e in _lib()["dont_know_questions"] if e["slot"] == slot])
    if retry == "dont_know_want":
        tiers.append([e for e in _lib()["dont_know_questions"] if e["slot"] == "grow_goal"])
    if slot == "grow_commitment_followup":
        band = band_of(commitment) or "any"
        tiers.append([e for e in entries if e["slot"] == slot and e.get("band") == band])
        tiers.append([e for e in entries if e["slot"] == slot and e.get("band") == "any"])
    else:
        if topic:
            tiers.append([e for e in entries if e["slot"] == slot and e["topic"] == topic])
        tiers.append([e for e in entries if e["slot"] == slot and e["topic"] is None])
    if slot not in _SCALE_SLOTS:
        # Same GROW stage, another slot: still on the stage's subject, never a scale.
        tiers.append([e for e in entries if STAGE_OF[e["slot"]] == STAGE_OF[slot]
                      and e["slot"] not in _SCALE_SLOTS and e["topic"] in (None, topic)])
    for tier in tiers:
        candidates = _unused(tier, asked)
        if candidates:
            return rng.choice(candidates)
    return None


def ask(slot: str, topic: Optional[str], asked_ids: Sequence[str],
        previous_answer: Optional[str] = None, retry: Optional[str] = None,
        commitment: Optional[int] = None, seed: Optional[int] = None,
        key: Optional[KeyWords] = None, confirm: Optional[Mapping[str, str]] = None,
        focus: Optional[str] = None, may_reflect: bool = True
        ) -> Tuple[Reply, Optional[str]]:
    """The coach's message asking for `slot`, and the bank id used (None for a fallback).

    Never reuses an id from asked_ids. A topic question is preferred when one is unused.
    What comes before the question, at most one of:
    - a retry preface (vague, "I don't know", advice plea, repair moves...);
    - on "space" ("hmm", "..."), only "Take your time" and an open question: no new one;
    - a confirmation of a detail already given ("Tomorrow, then.": confirm["when"]);
    - a few key words given back (key, or previous_answer's key words) when may_reflect:
      never the whole message, never a command, complaint, question or filler."""
    if slot not in STAGE_OF:
        raise ValueError(f"unknown GROW slot {slot!r}")
    if retry not in RETRIES:
        raise ValueError(f"unknown retry {retry!r}")
    rng = random.Random(seed)
    listening = _lib()["listening"]
    if retry == "space":
        return Reply(rng.choice(listening["space"]), COACH, "powerful_question"), None
    topic = topic if topic in topic_values() else None
    entry = _choose(slot, topic, set(asked_ids or ()), retry, commitment, rng,
                    avoid_who=bool(confirm and confirm.get("person")))
    question = _fill(entry["text"] if entry else _lib()["fallbacks"][slot], topic, commitment)
    retry_texts = _lib()["retry"]
    preface = None
    if retry in ("topic_change", "refocus", "start_over", "step_back", "dont_know_want"):
        if retry in ("topic_change", "refocus"):
            preface = rng.choice(listening["topic_change"]["prefaces"] if retry == "topic_change"
                                 else listening["refocus"])
            words = _short(focus) if focus else None
            if words:
                preface = _join(preface, rng.choice(listening["topic_change"]["with_focus"]).format(
                    phrase=words))
            if words and slot == "grow_goal":
                question = rng.choice(listening["topic_change"]["questions"])["text"]
            elif not focus and slot == "grow_goal":
                question = listening["unsure_topic"][0]["text"]
        else:
            preface = rng.choice(listening[retry])
    elif retry == "resume_goal":
        preface = resume_goal_line(focus, seed)
    elif retry:
        preface = rng.choice(retry_texts[retry])
    reflection = None
    if retry == "resume" and previous_answer:
        reflection = _reflection(rng, previous_answer, retry_texts["resume_reflections"])
    elif retry is None:
        when = (confirm or {}).get("when")
        if when:
            reflection = rng.choice(listening["confirm"]["when"]).format(
                when=when, When=when[:1].upper() + when[1:])
        elif may_reflect:
            if key is None and previous_answer:
                key = listen.key_words(previous_answer)
            reflection = key_reflection(key, rng)
    technique = "reflection" if reflection and not (confirm or {}).get("when") else (
        entry["technique"] if entry else "powerful_question")
    reply = Reply(_join(preface, reflection, question), COACH, technique)
    return reply, entry["id"] if entry else None


def explore(kind: str, topic: Optional[str], asked_ids: Sequence[str],
            key: Optional[KeyWords] = None, seed: Optional[int] = None,
            may_reflect: bool = True, retry: Optional[str] = None
            ) -> Tuple[Reply, Optional[str]]:
    """A turn that is not a GROW question (the grow_explore slot): the contract, staying
    with a feeling or an insight, holding, repair, the readiness check, a check-in, the
    takeaway, or exploring before a goal is stated. Returns the reply and its id."""
    if kind not in EXPLORE_KINDS:
        raise ValueError(f"unknown explore kind {kind!r}")
    rng = random.Random(seed)
    listening = _lib()["listening"]
    asked = set(asked_ids or ())
    preface = rng.choice(_lib()["retry"][retry]) if retry in ("vague", "dont_know", "advice_plea",
                                                              "advice_plea_repeat", "carry_on") else None
    technique = "powerful_question"

    def pick(entries: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
        return rng.choice(_unused(entries, asked) or list(entries))

    if kind == "stay" and key is not None and key.kind == "feeling":
        options = list(listening["stay"]["feeling_noun"])
        if key.adj:
            options = list(listening["stay"]["feeling_adj"]) + options
        entry = pick(options)
        question = entry["text"].format(noun=key.noun, adj=key.adj)
    elif kind == "stay":
        entry = pick(listening["stay"]["insight"])
        question = entry["text"]
    elif kind == "hold":
        if key is not None and key.kind == "feeling":
            entry = pick(listening["stay"]["feeling_noun"])
            question = entry["text"].format(noun=key.noun, adj=key.adj)
        else:
            entry = pick(listening["hold"]["questions"])
            question = entry["text"]
        preface = preface or rng.choice(listening["hold"]["prefaces"])
        key = None
    elif kind == "repair":
        entry = pick(listening["repair"]["questions"])
        question = entry["text"]
        preface = rng.choice(listening["repair"]["prefaces"])
        key = None
    elif kind in ("readiness_options", "readiness_will"):
        entry = pick(listening["readiness"][kind.split("_")[1]])
        question = entry["text"]
        technique = "socratic_question"
    elif kind == "checkin":
        entry = pick(listening["checkin"])
        question = entry["text"]
        key = None
    elif kind == "contract":
        entry = pick(listening["contract"])
        question = entry["text"]
        technique = "goal_setting"
    elif kind == "takeaway":
        entry = pick(listening["takeaway"])
        question = entry["text"]
    else:  # explore_goal
        entry = pick(listening["explore_goal"])
        question = entry["text"]
        technique = "goal_setting"
    reflection = key_reflection(key, rng) if may_reflect and kind in ("stay", "explore_goal",
                                                                      "contract") else None
    if reflection:
        technique = "reflection"
    return Reply(_join(preface, reflection, question), COACH, technique), entry["id"]


def summary(slots: Mapping[str, Any], seed: Optional[int] = None,
            takeaway: Optional[str] = None) -> Reply:
    """The plan in the person's words (goal, measure, first step, deadline, commitment,
    obstacle; missing ones left out), what they are taking away, thanks for their effort,
    and the question of when to check in. A value that is a complaint, a control or a
    question to the coach is never put in the plan; without a first step there is no
    plan to sum up, so only the goal and the takeaway come back."""
    rng = random.Random(seed)
    content = _lib()["summary"]
    listening = _lib()["listening"]
    lines = [rng.choice(content["intro"])]
    has_step = _plan_value(slots.get("grow_first_step"))
    for slot in _SUMMARY_SLOTS:
        value = slots.get(slot)
        if not _plan_value(value) or (not has_step and slot != "grow_goal"):
            continue
        words = None
        if slot == "grow_commitment":
            score = parse_scale(str(value))
            if score is not None:
                words = content["commitment_value"].format(score=score)
        if words is None:
            words = _soften(reflect(str(value), max_words=SUMMARY_MAX_WORDS))
        if words:
            lines.append(content["lines"][slot].format(value=words))
    if _plan_value(takeaway) and listen.move_of(str(takeaway)).kind == "answer":
        words = _soften(reflect(str(takeaway), max_words=SUMMARY_MAX_WORDS))
        if words:
            lines.append(listening["takeaway_line"].format(value=words))
    lines.append(rng.choice(listening["effort"]))
    lines.append(rng.choice(content["closing"]))
    return Reply("\n".join(lines), COACH, "summary")


_RECAP_SLOTS = ("grow_goal", "grow_measure", "grow_reality", "grow_options", "grow_first_step",
                "grow_deadline", "grow_obstacle")


def recap(slots: Mapping[str, Any], seed: Optional[int] = None) -> Reply:
    """What the person has said so far, when they ask for a summary mid-conversation: each
    answer in their words (second person, at most SUMMARY_MAX_WORDS, never a complaint or a
    question to the coach), then the floor back to them. Not the closing summary: nothing
    is recorded and no plan is implied."""
    rng = random.Random(seed)
    spec = _lib()["listening"]["recap"]
    lines = [rng.choice(spec["intro"])]
    for slot in _RECAP_SLOTS:
        value = slots.get(slot)
        if not _plan_value(value):
            continue
        words = _soften(reflect(str(value), max_words=SUMMARY_MAX_WORDS))
        if words:
            lines.append(spec["lines"][slot].format(value=words))
    if len(lines) == 1:
        lines.append(spec["nothing_yet"])
    lines.append(rng.choice(spec["questions"]))
    return Reply("\n".join(lines), COACH, "summary")


def _plan_value(value: Any) -> bool:
    """A real answer for the plan: not empty, not a complaint, control or question to me."""
    if value is None or str(value).strip() == "":
        return False
    text = str(value)
    if parse_scale(text) is not None and len(text.split()) <= 3:
        return True
    return listen.move_of(text).kind in ("answer", "hold") and not listen.is_question(text)


# Replies that give the person's text back before their question.
_REFLECTING_KINDS = {"progress_done", "progress_made", "progress_not_done", "plan_shared",
                     "followup_due"}


def outside_grow(kind: str, topic: Optional[str], text: Optional[str],
                 asked_ids: Sequence[str] = (), seed: Optional[int] = None
                 ) -> Tuple[Reply, Optional[str]]:
    """A coach reply when no GROW step is being asked: the opening question, turning an
    advice or resource plea back, a question after a progress report, an "it depends" or a
    shared plan, and the check-in when a follow-up is due. Progress, plan and follow-up
    replies reflect `text` first; the technique is the question's (accountability for
    progress), so trainers see what the message is for. Returns the question id used."""
    if kind not in OUTSIDE_KINDS:
        raise ValueError(f"unknown coach reply kind {kind!r}")
    rng = random.Random(seed)
    spec = _lib()["outside"][kind]
    topic = topic if topic in topic_values() else None
    asked = set(asked_ids or ())
    general = [e for e in spec["questions"] if "{topic}" not in e["text"]]
    topical = [e for e in spec["questions"] if "{topic}" in e["text"]] if topic else []
    entry = None
    for tier in (topical, general):
        candidates = _unused(tier, asked)
        if candidates:
            entry = rng.choice(candidates)
            break
    if entry is None:  # all used: repeating beats an empty reply here
        entry = rng.choice(general)
    lead = None
    if kind in _REFLECTING_KINDS:
        lead = _reflection(rng, text, spec.get("lead_ins") or _lib()["reflections"])
        if lead is None and spec.get("lead_ins_no_answer"):
            lead = rng.choice(spec["lead_ins_no_answer"])
    reply = Reply(_join(lead, _fill(entry["text"], topic)), COACH, entry["technique"])
    return reply, entry["id"]


def return_opening(goal: Mapping[str, Any], seed: Optional[int] = None) -> Reply:
    """A returning person's coach opens on the last agreed step: "How did it go with
    Priya?" when the step names someone, else the step or the goal in their words."""
    rng = random.Random(seed)
    content = _lib()["return_visit"]
    step = str(goal.get("first_step") or "")
    names = listen.names_in(step)
    if names:
        return Reply(rng.choice(content["with_person"]).format(person=names[0]), COACH,
                     "accountability")
    words = _short(step, names) if step else None
    if words:
        return Reply(rng.choice(content["with_step"]).format(step=words), COACH, "accountability")
    words = _short(str(goal.get("text") or ""))
    if words:
        return Reply(rng.choice(content["with_goal"]).format(goal=words), COACH, "accountability")
    return Reply(rng.choice(content["without_words"]), COACH, "accountability")


def resume_goal_line(goal_text: Optional[str], seed: Optional[int] = None) -> str:
    """The statement before GROW resumes an existing goal ("keep working on it")."""
    rng = random.Random(seed)
    content = _lib()["return_visit"]
    words = _short(goal_text) if goal_text else None
    if words:
        return rng.choice(content["resume_goal"]).format(goal=words)
    return rng.choice(content["resume_goal_no_words"])

