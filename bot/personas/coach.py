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
RETRIES = (None, "vague", "dont_know", "advice_plea", "advice_plea_repeat", "resume", "carry_on")
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


def _reflection(rng: random.Random, answer: Optional[str], templates: Sequence[str],
                max_words: Optional[int] = None) -> Optional[str]:
    words = reflect(answer or "", **({"max_words": max_words} if max_words else {}))
    if not words:
        return None
    sentence = rng.choice(list(templates)).format(answer=_soften(words))
    return sentence.replace("....", "...")


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
            commitment: Optional[int], rng: random.Random) -> Optional[Dict[str, Any]]:
    """The question to ask: an unused one, best fit first; None if all were used."""
    entries = bank()
    tiers: List[List[Dict[str, Any]]] = []
    if retry == "dont_know":
        tiers.append([e for e in _lib()["dont_know_questions"] if e["slot"] == slot])
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
        commitment: Optional[int] = None, seed: Optional[int] = None
        ) -> Tuple[Reply, Optional[str]]:
    """The coach's message asking for `slot`, and the bank id used (None for a fallback).

    Never reuses an id from asked_ids. A topic question is preferred when one is unused.
    previous_answer is reflected first (technique "reflection") on a normal turn or a
    resume; after a vague answer, "I don't know" or an advice plea the preface does that
    job instead, since giving back "fine" or "what should I do" adds nothing."""
    if slot not in STAGE_OF:
        raise ValueError(f"unknown GROW slot {slot!r}")
    if retry not in RETRIES:
        raise ValueError(f"unknown retry {retry!r}")
    rng = random.Random(seed)
    topic = topic if topic in topic_values() else None
    entry = _choose(slot, topic, set(asked_ids or ()), retry, commitment, rng)
    question = _fill(entry["text"] if entry else _lib()["fallbacks"][slot], topic, commitment)
    retry_texts = _lib()["retry"]
    preface = rng.choice(retry_texts[retry]) if retry else None
    reflection = None
    if previous_answer and retry in (None, "resume"):
        templates = retry_texts["resume_reflections"] if retry else _lib()["reflections"]
        reflection = _reflection(rng, previous_answer, templates)
    technique = "reflection" if reflection else (entry["technique"] if entry
                                                 else "powerful_question")
    reply = Reply(_join(preface, reflection, question), COACH, technique)
    return reply, entry["id"] if entry else None


def summary(slots: Mapping[str, Any], seed: Optional[int] = None) -> Reply:
    """The plan in the person's words (goal, measure, first step, deadline, commitment,
    obstacle; missing ones left out), ending with the question of when to check in."""
    rng = random.Random(seed)
    content = _lib()["summary"]
    lines = [rng.choice(content["intro"])]
    for slot in _SUMMARY_SLOTS:
        value = slots.get(slot)
        if value is None or str(value).strip() == "":
            continue
        words = None
        if slot == "grow_commitment":
            score = parse_scale(str(value))
            if score is not None:
                words = content["commitment_value"].format(score=score)
        if words is None:
            words = _soften(reflect(str(value), max_words=SUMMARY_MAX_WORDS))
        if words:
            line = content["lines"][slot].format(value=words)
            lines.append(line.replace("....", "..."))
    lines.append(rng.choice(content["closing"]))
    return Reply("\n".join(lines), COACH, "summary")


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
