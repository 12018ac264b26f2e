"""The mentor persona: directive, experience-based help on a work topic.

Every reply has persona "mentor". The prose lives in data/content/mentor.yml (advice,
real resources, stories from a simulated career, introductions, assignments, templates);
this module only picks and fills it. Which advice items fit the person's words is
advice_picker.py; role-play is in roleplay.py, plan feedback in plan_review.py. No Rasa
imports: the actions call these functions and dispatch the replies.
"""
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Dict, List, Optional, Sequence

from bot.content import load
from bot.personas import advice_picker, roleplay
from bot.personas.plan_review import analyse
from bot.reply import Reply, button
from bot.topics import topic_label, topic_phrases

MENTOR = "mentor"
COACH_PAYLOAD = "/request_coach"
MENTOR_PAYLOAD = "/request_mentor"
# Quoted words are cut here, so the reply stays about the advice, not the echo.
QUOTE_LIMIT = 140
# A message needs this many words of its own (beyond filler and topic words) to be echoed.
MIN_OWN_WORDS = 2
PROPOSED_DEADLINE_DAYS = 28
# Advice items per answer, and how many of the person's earlier messages (besides the
# current one) the picker reads for the situation.
ADVICE_PER_TURN = 4
ADVICE_EARLIER_TURNS = 3
_QUESTION_START = {"how", "what", "why", "when", "where", "which", "who", "can", "could",
                   "should", "would", "do", "does", "is", "are", "any", "will"}


def _text() -> Dict:
    return load("mentor")


def _say(text: str, technique: str, buttons: Optional[List[Dict[str, str]]] = None) -> Reply:
    return Reply(text=text, persona=MENTOR, technique=technique, buttons=buttons or [])


def _entry(topic: Optional[str]) -> Optional[Dict]:
    """The topic's content, or None when there is no topic or no content for it."""
    return _text()["topics"].get(topic) if topic else None


def _quote(text: str) -> str:
    """The person's words, tidied: one line, no end punctuation, cut at a word boundary."""
    text = re.sub(r"\s+", " ", text or "").strip().strip("\"'").rstrip(".!?,;: ")
    if len(text) <= QUOTE_LIMIT:
        return text
    return text[:QUOTE_LIMIT].rsplit(" ", 1)[0] + "..."


def _own_words(text: str, topic: Optional[str]) -> List[str]:
    """Words that are the person's situation rather than a request or the topic's name."""
    ignore = {w.lower() for w in _text()["filler_words"]}
    for phrase in topic_phrases().get(topic, []) if topic else []:
        ignore.update(phrase.lower().split())
    ignore.update(topic_label(topic).lower().split())
    words = re.findall(r"[a-z][a-z'\-]*", (text or "").lower())
    return [w for w in words if w not in ignore and len(w) > 2]


def _reflection(text: str, topic: Optional[str]) -> str:
    """'You said "..." ' when the message says something of its own, else empty. A button
    press ("/ask_advice{...}") is not the person's words."""
    if (text or "").startswith("/") or len(_own_words(text, topic)) < MIN_OWN_WORDS:
        return ""
    content = _text()["advice"]
    first = (text.strip().split() or [""])[0].lower()
    is_question = text.strip().endswith("?") or first in _QUESTION_START
    template = content["reflection_question" if is_question else "reflection_statement"]
    return template.format(quote=_quote(text)) + " "


def _topic_payload(intent: str, topic: str) -> str:
    """A Rasa payload that sets the intent and the topic entity directly."""
    return f"/{intent}{json.dumps({'topic': topic})}"


# What the person asked for -> the intent a topic button sends back.
CLARIFY_INTENTS = {"advice": "ask_advice", "resources": "ask_resource",
                   "story": "ask_story", "assignment": "ask_assignment"}


def _clarify(kind: str) -> Reply:
    """Ask which topic, with a few topic buttons; kind is a key of CLARIFY_INTENTS."""
    content = _text()["clarify"]
    intent = CLARIFY_INTENTS[kind]
    buttons = [button(b["title"], _topic_payload(intent, b["topic"]))
               for b in content["buttons"]]
    return _say(content[kind], "guidance", buttons)


def introduction() -> Reply:
    """The simulated background and the disclaimer; the caller shows it once per person."""
    return _say(_text()["introduction"], "guidance")


@dataclass
class AdviceTurn:
    """One answer to a request for advice on a topic, and the state it leaves."""
    replies: List[Reply]
    given: List[str]  # keys (given_key) of every item given so far, this answer's included
    more: bool  # the topic still has items not given


def given_key(topic: str, item_id: str) -> str:
    """How an advice item is remembered in the `advice_given` slot."""
    return f"{topic}.{item_id}"


def _introduction_line(text: str) -> str:
    """An introduction from mentor.yml, to follow "Who to talk to next:" mid-sentence."""
    return text[0].lower() + text[1:] if not text[1:2].isupper() else text


def _follow_up_buttons(topic: Optional[str], more: bool) -> List[Dict[str, str]]:
    """The quick replies under advice: intent + topic payloads; without a topic, the
    intents alone and no role-play."""
    shown = []
    for spec in _text()["advice"]["buttons"]:
        if spec.get("more") and not (topic and more):
            continue
        if spec.get("roleplay") and not (topic and roleplay.has_scenario(topic)):
            continue
        payload = _topic_payload(spec["intent"], topic) if topic else f"/{spec['intent']}"
        shown.append(button(spec["title"], payload))
    return shown


def advise(topic: str, text: str = "", earlier: Sequence[str] = (),
           given: Sequence[str] = ()) -> AdviceTurn:
    """Numbered advice that fits the person's words and was not given before (at most
    ADVICE_PER_TURN items), then who to talk to next; a plain "that was everything" once
    every item on the topic has been given. `earlier` is what the person said before this
    message, oldest first; `given` is the `advice_given` slot. The topic must have content."""
    entry = _entry(topic)
    items = entry["advice"]
    content = _text()["advice"]
    label = topic_label(topic)
    given_here = [item["id"] for item in items if given_key(topic, item["id"]) in given]
    picked = advice_picker.pick(items, [*earlier, text], given_here, ADVICE_PER_TURN)
    if not picked:
        text_done = content["exhausted"].format(count=len(items), label=label)
        return AdviceTurn([_say(text_done, "guidance", _follow_up_buttons(topic, more=False))],
                          list(given), False)
    header = content["header_more" if given_here else "header"].format(
        reflection=_reflection(text, topic), label=label)
    steps = [f"{number}. {item['text']}" for number, item in enumerate(picked, start=1)]
    more = len(given_here) + len(picked) < len(items)
    # A second answer on the topic names the next person on the list, not the same one.
    people = entry["introductions"]
    person = _introduction_line(people[(len(given_here) // ADVICE_PER_TURN) % len(people)])
    next_move = content["next_move"].format(
        introduction=person, offers=content["offers_more" if more else "offers_done"])
    return AdviceTurn(
        [_say("\n".join([header, *steps]), "advice"),
         _say(next_move, "introduction", _follow_up_buttons(topic, more))],
        [*given, *(given_key(topic, item["id"]) for item in picked)], more)


def advice(topic: Optional[str], text: str = "", earlier: Sequence[str] = (),
           given: Sequence[str] = ()) -> List[Reply]:
    """advise() for a caller that keeps no state; a clarifying question if no topic."""
    if _entry(topic) is None:
        return [_clarify("advice")]
    return advise(topic, text, earlier, given).replies


def clarify(kind: str) -> Reply:
    """Which area? kind is advice, resource, story or assignment."""
    return _clarify({"resource": "resources"}.get(kind, kind))


def in_general(kind: str, text: str = "") -> List[Reply]:
    """What the mentor says when the area stays unknown after asking once: advice,
    resources, a story or an assignment that hold in most work situations."""
    general = _text()["general"]
    if kind == "resource":
        lines = [_text()["resources"]["header"].format(label=general["label"])]
        lines += [_resource_line(n, item) for n, item in enumerate(general["resources"], start=1)]
        lines.append(_text()["resources"]["footer"])
        return [_say("\n".join(lines), "resource")]
    if kind == "story":
        return [_say(f"{general['story_header']} {general['story']}", "story")]
    if kind == "assignment":
        footer = _text()["assignment"]["footer"]
        return [_say(f"{general['assignment_header']} {general['assignment']} {footer}",
                     "assignment")]
    content = _text()["advice"]
    header = content["header_general"].format(reflection=_reflection(text, None))
    steps = [f"{n}. {item['text']}" for n, item in enumerate(general["advice"], start=1)]
    next_move = content["next_move_general"].format(
        introduction=_introduction_line(general["introduction"]))
    return [_say("\n".join([header, *steps]), "advice"),
            _say(next_move, "introduction", _follow_up_buttons(None, more=False))]


def _kind_order(text: str) -> List[str]:
    """Resource kinds the request names ("a podcast", "any courses"), in the order named."""
    words = set(re.findall(r"[a-z]+", (text or "").lower()))
    kinds = _text()["resources"]["kind_words"]
    return [kind for kind, kind_words in kinds.items() if words & set(kind_words)]


def _resource_line(number: int, item: Dict) -> str:
    content = _text()["resources"]
    credits = []
    if item.get("author"):
        credits.append(content["credit_author"].format(author=item["author"]))
    if item.get("source"):
        source = content["credit_source"].format(source=item["source"])
        credits.append(item["source"] if credits else source)
    fill = {"number": number, "title": item["title"], "credit": ", ".join(credits),
            "kind": item["kind"], "why": item.get("why", "")}
    return content["line" if item.get("why") else "line_short"].format(**fill)


def resources(topic: Optional[str], text: str = "") -> List[Reply]:
    """The topic's resources (title and author or source each); kinds the person asked for
    come first. A clarifying question if there is no topic."""
    entry = _entry(topic)
    if entry is None:
        return [_clarify("resources")]
    wanted = _kind_order(text)
    items = sorted(entry["resources"],
                   key=lambda r: wanted.index(r["kind"]) if r["kind"] in wanted else len(wanted))
    content = _text()["resources"]
    lines = [content["header"].format(label=topic_label(topic))]
    lines += [_resource_line(number, item) for number, item in enumerate(items, start=1)]
    lines.append(content["footer"])
    return [_say("\n".join(lines), "resource")]


def story(topic: Optional[str]) -> Reply:
    entry = _entry(topic)
    if entry is None:
        return _clarify("story")
    header = _text()["story"]["header"].format(label=topic_label(topic))
    return _say(f"{header} {entry['story']}", "story")


def introductions(topic: Optional[str]) -> Reply:
    entry = _entry(topic)
    if entry is None:
        return _clarify("advice")
    header = _text()["introductions"]["header"].format(label=topic_label(topic))
    return _say("\n".join([header, *(f"- {line}" for line in entry["introductions"])]),
                "introduction")


def assignment(topic: Optional[str]) -> Reply:
    entry = _entry(topic)
    if entry is None:
        return _clarify("assignment")
    content = _text()["assignment"]
    header = content["header"].format(label=topic_label(topic))
    return _say(f"{header} {entry['assignment']} {content['footer']}", "assignment")


def _day(value: date) -> str:
    return f"{value:%A} {value.day} {value:%B}"


def goal_setting(goal_text: str, topic: Optional[str] = None,
                 today: Optional[date] = None) -> Reply:
    """'Let's make that concrete': the goal in the person's words plus a measure, a first
    step and a deadline. What the goal already contains (a number, a date) is kept."""
    content = _text()["goal_setting"]
    entry = _entry(topic)
    proposals = entry["goal"] if entry else content["default"]
    signals = analyse(goal_text)
    measure = content["measure_given"] if signals["measure"] else proposals["measure"]
    if signals["date_phrase"]:
        deadline = content["deadline_given"].format(when=signals["date_phrase"])
    else:
        due = (today or date.today()) + timedelta(days=PROPOSED_DEADLINE_DAYS)
        deadline = content["deadline_proposed"].format(date=_day(due))
    goal = _quote(goal_text) or topic_label(topic)
    text = content["text"].format(goal=goal, measure=measure,
                                  first_step=proposals["first_step"], deadline=deadline)
    return _say(text, "guidance")


def progress_feedback(goal_text: str, progress_text: str, kind: str) -> Reply:
    """kind is bot.progress's done, progress or not_yet: praise and raise the bar when
    done, fix the next step while there is momentum, shrink the step when it slipped."""
    content = _text()["progress"]
    text = content[kind].format(goal=_quote(goal_text))
    if len(_own_words(progress_text, None)) >= MIN_OWN_WORDS:
        text = content["reflection"].format(progress=_quote(progress_text)) + " " + text
    return _say(text, "feedback")


def continue_on_topic(topic: Optional[str]) -> Reply:
    """One line for a switch to the mentor in the middle of a topic."""
    content = _text()["continue"]
    if not topic:
        return _say(content["none"], "guidance")
    return _say(content["topic"].format(label=topic_label(topic)), "guidance")


def it_depends() -> Reply:
    """When the open question is what the person wants, offer the coach instead."""
    content = _text()["it_depends"]
    buttons = [button(content["buttons"]["coach"], COACH_PAYLOAD),
               button(content["buttons"]["mentor"], MENTOR_PAYLOAD)]
    return _say(content["text"], "guidance", buttons)


def all_resources() -> List[Dict]:
    """Every resource with its topic, for tests and for listing the library."""
    return [dict(item, topic=topic) for topic, entry in _text()["topics"].items()
            for item in entry["resources"]]
