"""The mentor's conversation about a situation: advice built from the matched situation
(data/content/situations/) and the person's details, and the follow-ups to it.

One call per turn: `respond(text, earlier, state, kind)` returns the replies and the new
state (kept by the actions in the `mentor_state` slot). The state remembers the situation,
the steps given (all and in the last answer), situations the person ruled out, the two
situations of an open clarifying question, and the details collected so far.

What a turn does, in order:
  - a correction ("I'm not changing careers") rules the situation out and looks again;
  - an answer to "which is closer, A or B?" picks one;
  - with a situation open: "why?", "what should I actually say?", "what if they say...",
    "A or B?" and "what else?" are answered from that situation;
  - resources, a story, an assignment or who to talk to, for the situation;
  - otherwise the message is matched anew: a sure match gets advice (a feeling
    acknowledged first, a professional named for legal, tax, immigration or medical
    parts, the person's details), a weak one one question naming the two likeliest
    situations, none an honest "outside what I know well".
All sentences are in data/content/mentor_situations.yml and the situation files.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from bot.content import load
from bot.personas import details as detail_finder
from bot.personas import roleplay, situations
from bot.personas.reflect import second_person
from bot.reply import Reply, button

MENTOR = "mentor"
STEPS_PER_TURN = 4
KINDS = ("advice", "resource", "story", "assignment", "people")
# Fewer content words than this, with a situation open, never switches the situation.
SWITCH_MIN_WORDS = 4


def _text() -> Dict:
    return load("mentor_situations")


def _say(text: str, technique: str, buttons: Optional[List[Dict[str, str]]] = None) -> Reply:
    return Reply(text=text, persona=MENTOR, technique=technique, buttons=buttons or [])


@dataclass
class Turn:
    replies: List[Reply]
    state: Dict


def empty_state() -> Dict:
    return {"situation": None, "given": [], "last": [], "excluded": [], "pending": [],
            "details": {}, "asked_open": False,
            # the last finished role-play (actions/mentoring.py), for "let's run it again"
            "roleplay_last": None,
            # the "ask me why, what to say, push-back" hint has been given
            "hinted": False}


def _normalise(state: Optional[Dict]) -> Dict:
    fresh = empty_state()
    if isinstance(state, dict):
        fresh.update({k: v for k, v in state.items() if k in fresh and v is not None})
    return fresh


def _lower(text: str) -> str:
    return (text or "").lower().replace("\u2019", "'")


@lru_cache(maxsize=None)
def _patterns() -> Dict[str, List["re.Pattern[str]"]]:
    return {kind: [re.compile(p) for p in patterns]
            for kind, patterns in _text()["patterns"].items()}


def _phrase_found(phrases: Sequence[str], text: str) -> bool:
    clean = _lower(text)
    return any(re.search(r"(?<![\w'])" + re.escape(p) + r"(?![\w'])", clean) for p in phrases)


def follow_up_kind(text: str) -> Optional[str]:
    """correction, resource, why, script, objection, either_or or more; None for anything
    else."""
    clean = _lower(text).strip()
    for kind in ("correction", "resource", "script", "objection", "either_or", "why", "more"):
        if any(p.search(clean) for p in _patterns()[kind]):
            return kind
    return None


def feeling_of(text: str) -> Optional[str]:
    for feeling, words in _text()["feelings"]["words"].items():
        if _phrase_found(words, text):
            return feeling
    return None


def boundaries_of(text: str) -> List[str]:
    return [kind for kind, words in _text()["boundaries"]["words"].items()
            if _phrase_found(words, text)]


def _person(situation: Dict, offset: int = 0) -> str:
    people = situation.get("people") or []
    return people[offset % len(people)] if people else ""


_DATE_PHRASE = re.compile(r"(?:by|before|until|due|on)\b", re.I)


def _fill(template: str, details: Dict[str, List[str]]) -> Optional[str]:
    """A template with {money}/{duration}/{name}/{count} filled, or None if a detail is
    missing."""
    values = {kind: values[0] for kind, values in details.items() if values}
    # Templates say "in the next {duration}": a date ("on September 15") doesn't fit there.
    spans = [v for v in details.get("duration", []) if not _DATE_PHRASE.match(v)]
    if spans:
        values["duration"] = spans[0]
    else:
        values.pop("duration", None)
    try:
        return template.format(**values)
    except KeyError:
        return None


def _step_text(step: Dict, details: Dict[str, List[str]]) -> str:
    for kind, template in (step.get("with") or {}).items():
        if details.get(kind):
            filled = _fill(template, details)
            if filled:
                return filled
    return step["text"]


def _details_line(details: Dict[str, List[str]]) -> str:
    content = _text()["advice"]["details"]
    parts = []
    for kind in ("money", "count", "duration", "period", "name"):
        for value in details.get(kind, [])[:2 if kind == "money" else 1]:
            key = kind
            if kind == "duration" and _DATE_PHRASE.match(value):
                key = "deadline"  # "by Friday", not "by Friday to go"
            parts.append(content[key].format(value=value))
    for event in details.get("event", []):
        key = f"event_{event}"
        if key in content:
            parts.append(content[key])
    for value in details.get("since", [])[:1]:
        parts.append(content["since"].format(value=value))
    if not parts:
        return ""
    return f"{content['lead']} {', '.join(parts)}."


def _buttons(situation: Dict, more: bool) -> List[Dict[str, str]]:
    shown = []
    if more:
        shown.append(button("More advice", "/ask_advice"))
    shown += [button("Resources", "/ask_resource"), button("A story", "/ask_story"),
              button("An assignment", "/ask_assignment")]
    if roleplay.has_scenario(situation.get("topic")):
        shown.append(button("Role-play it", "/request_roleplay"))
    return shown


def _steps(situation: Dict, state: Dict) -> Tuple[List[Dict], bool]:
    """The next steps not given yet, and whether more remain after them."""
    left = [s for s in situation["steps"] if s["id"] not in state["given"]]
    # A step that can use the person's own detail ("six weeks", "148k") is not left for later.
    uses_detail = [s for s in left[STEPS_PER_TURN:]
                   if any(state["details"].get(kind) for kind in (s.get("with") or {}))]
    if uses_detail and len(left) > STEPS_PER_TURN:
        left.remove(uses_detail[0])
        left.insert(STEPS_PER_TURN - 1, uses_detail[0])
    return left[:STEPS_PER_TURN], len(left) > STEPS_PER_TURN


def _advice(situation: Dict, state: Dict, text: str, first: bool) -> List[Reply]:
    content = _text()["advice"]
    replies: List[Reply] = []
    opening = []
    feeling = feeling_of(text) or (situation.get("feeling") if first and feeling_of(text) is None
                                   and situation.get("feeling") and
                                   detail_finder.events(text) else None)
    if feeling:
        opening.append(_text()["feelings"][feeling])
    for boundary in boundaries_of(text):
        opening.append(_text()["boundaries"][boundary])
    steps, more = _steps(situation, state)
    if not steps:
        offset = len(state["given"]) // STEPS_PER_TURN
        line = content["nothing_more"].format(title=situation["title"],
                                              person=_person(situation, offset + 1))
        return [_say(" ".join(opening + [line]), "guidance", _buttons(situation, False))]
    details = _details_line(state["details"]) if first else ""
    header_key = "header" if not state["given"] else "header_more"
    header = content[header_key].format(title=situation["title"],
                                        details=(details + " ") if details else "")
    lines = [content["step"].format(number=n, text=_step_text(step, state["details"]),
                                    why=step["why"])
             for n, step in enumerate(steps, start=1)]
    body = "\n".join([" ".join(opening + [header]), *lines])
    replies.append(_say(body, "advice"))
    offset = len(state["given"]) // STEPS_PER_TURN
    # "Ask me why for any step..." once per conversation; after that only who to talk to,
    # in words that vary, so the closing line doesn't repeat under every answer.
    if state["hinted"]:
        variants = content["next_again"]
        line = variants[(len(state["given"]) // STEPS_PER_TURN) % len(variants)]
    else:
        line = content["next"]
        state["hinted"] = True
    replies.append(_say(line.format(person=_person(situation, offset)),
                        "introduction", _buttons(situation, more)))
    state["given"] = state["given"] + [s["id"] for s in steps]
    state["last"] = [s["id"] for s in steps]
    return replies


def _words(text: str) -> set:
    return set(situations.content_words(text))


def _why(situation: Dict, state: Dict, text: str) -> List[Reply]:
    content = _text()["follow_up"]
    given = [s for s in situation["steps"] if s["id"] in state["given"]]
    if not given:
        return [_say(content["why_none"], "guidance")]
    asked = _words(text) - {"why", "should", "reason", "point"}
    scored = sorted(((len(asked & _words(s["text"] + " " + s.get("why", ""))), -i, s)
                    for i, s in enumerate(situation["steps"]) if asked),
                    key=lambda item: (item[0], item[1]), reverse=True)
    if scored and scored[0][0] > 0:
        step = scored[0][2]
        text_out = "\n".join([content["why_header"].format(step=_short(step["text"])),
                              content["why_line"].format(why=step["why"])])
        return [_say(text_out, "advice")]
    last = [s for s in situation["steps"] if s["id"] in state["last"]] or given
    lines = [content["why_all_header"]]
    lines += [content["why_all_line"].format(number=n, short=_short(s["text"]), why=s["why"])
              for n, s in enumerate(last, start=1)]
    return [_say("\n".join(lines), "advice")]


def _short(text: str) -> str:
    """The first clause of a step, for naming it."""
    first = re.split(r"[:;.]|, (?:and|then|ideally|with)\b", text)[0].strip()
    first = first[0].lower() + first[1:] if first[1:2].islower() else first
    return first


def _script(situation: Dict, state: Dict) -> List[Reply]:
    """The words to say: with the person's own detail where the situation has a version for
    it ("I'm asking for 148k"), otherwise the generic script (data/content/mentor_scripts.yml):
    the situation's worked example holds someone else's names, places and dates."""
    content = _text()["follow_up"]
    script = load("mentor_scripts")["scripts"].get(situation["id"]) or situation["script"]
    for kind, template in (situation.get("with_script") or {}).items():
        if state["details"].get(kind):
            script = _fill(template, state["details"]) or script
            break
    return [_say(f"{content['script_header']} {script}", "advice")]


def _objection(situation: Dict, state: Dict, text: str) -> List[Reply]:
    content = _text()["follow_up"]
    best, best_score = None, 0
    asked = _words(text)
    for objection in situation.get("objections") or []:
        score = 3 if _phrase_found(objection.get("cues") or [], text) else 0
        score += len(asked & _words(objection["says"]))
        if score > best_score:
            best, best_score = objection, score
    if best is None or best_score < 2:
        return [_say(content["objection_unknown"].format(
            title=situation["title"], person=_person(situation)), "guidance")]
    says = best["says"].rstrip(".!?")
    return [_say(content["objection"].format(says=says, answer=best["answer"]),
                 "advice")]


_OPTION_LEAD = re.compile(
    r"^(?:.*?[.!:;]\s+)?(?:(?:so|and|but|honestly|back to \w+)[,:]?\s+)*"
    r"(?:should|shall|do|would|could|can|must)\s+(?:i|we)\s+(?:rather\s+)?|"
    r"^(?:.*?[.!:;]\s+)?(?:is it better to|would it be better to|is it wiser to|better to)\s+", re.I)
_STARTS_WITH_THING = re.compile(r"^(?:a|an|the|one|two|three|four|five|some|more|my|his|her|"
                                r"their|\d[\w.,]*)\b", re.I)


def _options(text: str) -> Optional[Tuple[str, str]]:
    """The two options of an either-or question, as the person said them ("pull the work
    from her", "keep it with her and add check-ins"), or None."""
    question = re.split(r"(?<=[.!])\s+", (text or "").strip())
    asked = next((q for q in reversed(question) if " or " in q), "")
    if not asked:
        return None
    asked = _OPTION_LEAD.sub("", asked.strip()).rstrip(" ?!.")
    parts = re.split(r",?\s+or\s+", asked, maxsplit=1)
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        return None
    first, second = (p.strip(" ,") for p in parts)
    second = re.sub(r"^(?:should i|do i|would i|just|rather|should we)\s+", "", second, flags=re.I)
    if _STARTS_WITH_THING.match(second) and not _STARTS_WITH_THING.match(first):
        # "ask for two full-time hires or one contractor": the verb is shared.
        verb = []
        for word in first.split():
            if _STARTS_WITH_THING.match(word):
                break
            verb.append(word)
        second = " ".join(verb[:3] + [second])
    return first, second


_AGAINST = re.compile(r"\b(?:rather than|instead of|not|don't|never|avoid)\b", re.I)
# A step that forbids something ("Don't sign anything today") may settle an either-or.
_PROHIBITION = re.compile(r"^\s*(?:don't|do not|never|avoid|resist)\b", re.I)


def _support(option: str, step: Dict) -> int:
    """How much a step speaks for an option: its words in the step, minus its words in
    what the step advises against ("... rather than following a course")."""
    asked = _words(option) - set(_text()["choice_filler"])
    text = step["text"] + " " + step["why"]
    parts = _AGAINST.split(text, maxsplit=1)
    against = _words(parts[1]) if len(parts) > 1 else set()
    return len(asked & (_words(parts[0]) - against)) - len(asked & against)


def _as_advice(option: str) -> str:
    said = second_person(option)  # the coach's pronoun swap: "keep it to myself" -> "yourself"
    return said[0].upper() + said[1:]


def _side(choice: Dict, option: str) -> Optional[int]:
    """Which side of a choice an option's words belong to (None: neither or both)."""
    sides = [i for i, cues in enumerate(choice["options"]) if _phrase_found(cues, option)]
    return sides[0] if len(sides) == 1 else None


def _choice(situation: Dict, text: str, state: Optional[Dict] = None) -> List[Reply]:
    """A position first, then the reason: from a choice the situation (or any situation)
    knows, else from the situation's steps that speak for one option; "can't pick" only
    when nothing speaks for either, with what would decide it."""
    content = _text()["follow_up"]
    clean = _lower(text)
    options = _options(text)
    choices = [*(situation.get("choices") or []), *_text()["choices"]]
    if options:
        def from_choices(pool: List[Dict]) -> Optional[List[Reply]]:
            for choice in pool:
                if choice["position"] < 0 or not choice.get("why"):
                    continue
                sides = [_side(choice, option) for option in options]
                if None in sides or sides[0] == sides[1]:
                    continue
                return [_say(content["choice"].format(
                    position=_as_advice(options[sides.index(choice["position"])]),
                    why=choice["why"]), "advice")]
            return None

        # The situation's own either-or questions first.
        own = from_choices(situation.get("choices") or [])
        if own:
            return own
        # The step that tells the two options apart most, and the option it speaks for.
        best = (0, 0, None, None)
        for i, step in enumerate(situation["steps"]):
            first, second = (_support(option, step) for option in options)
            if first != second and abs(first - second) > best[0]:
                best = (abs(first - second), -i, step, 0 if first > second else 1)
        step, picked = best[2], best[3]
        if step is not None and _support(options[1 - picked], step) < 0 \
                and _PROHIBITION.match(step["text"]):
            # A step of this situation advises against one option ("Don't sign anything
            # today"): that settles it before any rule of thumb.
            return [_say(content["choice_against"].format(
                position=_as_advice(options[picked]), step=step["text"].rstrip("."),
                why=step["why"]), "advice")]
        general = from_choices(_text()["choices"])
        if general:
            return general
        # No position from a step that merely shares words with one option: a mentee was told
        # "Quit your job to go full-time on the business. It's what the step to ... protect
        # your day job's performance is for", and "Keep it to yourself" because of a step
        # about weekly one-on-ones. Without a known choice, what would decide it (below).
    for choice in choices:
        found = [_phrase_found(option, clean) for option in choice["options"]]
        if all(found) and choice["position"] >= 0 and choice.get("why"):
            picked = choice["options"][choice["position"]]
            option = next(o for o in picked if _phrase_found([o], clean))
            return [_say(content["choice"].format(position=option[0].upper() + option[1:],
                                                  why=choice["why"]), "advice")]
    return [_say(content["choice_unknown"].format(title=situation["title"],
                                                  person=_person(situation)), "guidance")]


def _resource_line(number: int, item: Dict) -> str:
    credit = []
    if item.get("author"):
        credit.append(f"by {item['author']}")
    if item.get("source"):
        credit.append(item["source"] if credit else f"from {item['source']}")
    return f"{number}. \"{item['title']}\" {', '.join(credit)} ({item['kind']}): {item['why']}."


def _kind_answer(situation: Dict, kind: str) -> List[Reply]:
    content = _text()["follow_up"]
    title = situation["title"]
    if kind == "resource":
        lines = [content["resources_header"].format(title=title)]
        lines += [_resource_line(n, r) for n, r in enumerate(situation["resources"], start=1)]
        return [_say("\n".join(lines), "resource")]
    if kind == "story":
        if not situation.get("story"):
            return [_say(content["story_none"].format(title=title, person=_person(situation)),
                         "guidance")]
        return [_say(f"{content['story_header'].format(title=title)} {situation['story']}",
                     "story")]
    if kind == "assignment":
        return [_say(f"{content['assignment_header']} {situation['assignment']}", "assignment")]
    lines = [content["people_header"].format(title=title)]
    lines += [f"- {p[0].upper() + p[1:]}" for p in situation.get("people") or []]
    return [_say("\n".join(lines), "introduction")]


def _clarify(first: str, second: str) -> Reply:
    a, b = situations.get(first), situations.get(second)
    text = _text()["clarify"]["question"].format(first=a["title"], second=b["title"])
    return _say(text, "guidance", [button(a["title"][0].upper() + a["title"][1:], a["title"]),
                                   button(b["title"][0].upper() + b["title"][1:], b["title"])])


def _outside(text: str) -> Reply:
    content = _text()["outside"]
    lines = [_text()["boundaries"][kind] for kind in boundaries_of(text)]
    who = content["who_default"]
    return _say(" ".join([content["text"].format(who=who)] + lines[:0]), "guidance")


def _pick_pending(state: Dict, text: str) -> Optional[str]:
    """Which of the two situations of the open clarifying question the answer picks (None
    when it picks neither)."""
    first, second = state["pending"]
    clean = _lower(text)
    if re.search(r"\b(first|former|1|the one before)\b", clean):
        return first
    if re.search(r"\b(second|latter|2|the other)\b", clean):
        return second
    title_words = {sid: _words(situations.get(sid)["title"]) for sid in (first, second)}
    overlap = {sid: len(_words(text) & title_words[sid]) for sid in (first, second)}
    if overlap[first] != overlap[second]:
        return max(overlap, key=overlap.get)
    match = situations.match(text)
    if match.verdict == "sure" and match.best in (first, second):
        return match.best
    return None


def _start(situation_id: str, state: Dict, text: str) -> List[Reply]:
    state.update(situation=situation_id, given=[], last=[], pending=[])
    return _advice(situations.get(situation_id), state, text, first=True)


def respond(text: str, earlier: Sequence[str] = (), state: Optional[Dict] = None,
            kind: str = "advice", topic: Optional[str] = None) -> Turn:
    """The mentor's answer to one message. `earlier` is what the person said before it
    (oldest first); `kind` is what the person asked for (advice, resource, story,
    assignment, people); `topic` is a topic this message names ("a book on negotiation"):
    resources, a story or an assignment on a named topic come from the topic (the caller
    answers) unless it is the open situation's own topic."""
    state = _normalise(state)
    # Earlier messages that describe nothing ("switch to mentor mode") are no context.
    earlier = [t for t in earlier if t and not t.startswith("/") and not _only_asks(t)]
    payload = (text or "").startswith("/")
    words = "" if payload else (text or "")
    if not state["details"] and earlier:
        # Details said before the mentor took over still count ("I'm at 120k...").
        said = " ".join(t for t in earlier if t and not t.startswith("/"))
        state["details"] = detail_finder.extract(said)
    if words:
        state["details"] = detail_finder.merge(state["details"], detail_finder.extract(words))
    current = situations.get(state["situation"])
    follow = follow_up_kind(words) if words else None
    if follow == "resource" or (kind != "advice" and follow == "either_or"):
        # "Any books or articles on this?" asks for the resources, not a choice.
        follow, kind = None, ("resource" if follow == "resource" else kind)
    replies: List[Reply] = []

    warning = plan_warning(words) if words else None
    if warning is not None:
        # Deception, going around a manager, hiding a side business, conceding early: a
        # plain "don't, and here's why", not advice or praise. The situation stays open (or
        # opens quietly) so the follow-ups that come next have something to answer from.
        if current is None:
            match = situations.match(words, earlier, state["excluded"])
            if match.verdict == "sure":
                state.update(situation=match.best, given=[], last=[], pending=[])
        return Turn([warning], state)

    if follow == "correction":
        ruled_out, rest = _ruled_out(words, current)
        if current and ruled_out is None:
            # "I'm not thinking of firing her, I just want her back on track": nothing the
            # mentor knows is ruled out, so the situation stays (with the new details).
            line = _text()["follow_up"]["correction_noted"].format(title=current["title"])
            return Turn([_say(line, "guidance")], state)
        if ruled_out:
            state["excluded"] = list(dict.fromkeys(state["excluded"] + [ruled_out]))
        if ruled_out and current and ruled_out != current["id"]:
            line = _text()["follow_up"]["correction_kept"].format(
                ruled=situations.get(ruled_out)["title"], title=current["title"])
            return Turn([_say(line, "guidance")], state)
        if ruled_out:
            replies.append(_say(_text()["follow_up"]["correction"].format(
                title=situations.get(ruled_out)["title"]), "guidance"))
        if current and (ruled_out == current["id"] or ruled_out is None):
            state.update(situation=None, given=[], last=[])
        # Earlier words still describe the situation; the correction rules one out.
        match = situations.match(rest or words, [t for t in earlier if t], state["excluded"])
        if current and state["situation"] == current["id"] and match.best == current["id"]:
            return Turn(replies + _advice(current, state, words, first=False), state)
        state.update(situation=None, given=[], last=[])
        return Turn(replies + _after_match(match, state, words, earlier), state)

    if state["pending"] and words and follow is None:
        chosen = _pick_pending(state, words)
        if chosen:
            return Turn(_start(chosen, state, " ".join([*earlier[-1:], words])), state)
        state["pending"] = []
        match = situations.match(words, earlier, state["excluded"])
        if match.verdict == "sure":
            return Turn(_start(match.best, state, words), state)
        return Turn([_say(_text()["clarify"]["nothing_yet"], "guidance")], state)

    if current is None and follow in ("why", "script", "objection", "either_or") and earlier:
        # "What should I actually say?" before any advice: the situation is in what the
        # person said before; open it, answer the question first, then the advice.
        before = situations.match(" ".join(t for t in earlier if not t.startswith("/")),
                                  (), state["excluded"])
        if before.verdict == "sure" and len(situations.content_words(words)) < SWITCH_MIN_WORDS + 2:
            advice = _start(before.best, state, " ".join(earlier))
            opened = situations.get(before.best)
            first = {"why": lambda: [], "script": lambda: _script(opened, state),
                     "objection": lambda: _objection(opened, state, words),
                     "either_or": lambda: _choice(opened, words)}[follow]()
            return Turn(first + advice, state)

    if current and follow in ("why", "script", "objection", "either_or"):
        handler = {"why": lambda: _why(current, state, words),
                   "script": lambda: _script(current, state),
                   "objection": lambda: _objection(current, state, words),
                   "either_or": lambda: _choice(current, words)}[follow]
        return Turn(handler(), state)

    if kind in ("resource", "story", "assignment", "people"):
        if topic and (current is None or current["topic"] != topic):
            return Turn([], state)  # the caller answers from the named topic
        if current is None and words:
            match = situations.match(words, earlier, state["excluded"])
            if match.verdict == "sure":
                state.update(situation=match.best, given=[], last=[], pending=[])
                current = situations.get(match.best)
        if current is not None:
            return Turn(_kind_answer(current, kind), state)
        return Turn([], state)  # the caller answers from the topic or asks which area

    if current and (payload or follow == "more"):
        return Turn(_advice(current, state, "", first=False), state)

    if not words:
        return Turn([], state)
    if current is None and _only_asks(words):
        # "I need some advice": ask what's going on, once; the second time, say plainly
        # that there's nothing to go on yet rather than ask again or list generalities.
        if state["asked_open"]:
            state["asked_open"] = False
            return Turn([_say(_text()["clarify"]["nothing_yet"], "guidance")], state)
        state["asked_open"] = True
        return Turn([_say(_text()["clarify"]["none_known"], "guidance")], state)
    state["asked_open"] = False
    match = situations.match(words, earlier, state["excluded"])
    if current:
        own_words = len(situations.content_words(words))
        alone = situations.match(words, (), state["excluded"])
        switching = (alone.verdict == "sure" and alone.best != current["id"]
                     and own_words >= SWITCH_MIN_WORDS)
        if not switching:
            if follow is not None or match.best == current["id"] or own_words < SWITCH_MIN_WORDS:
                return Turn(_advice(current, state, words, first=False), state)
        else:
            match = alone
    replies = _after_match(match, state, words, earlier)
    # A question asked with the description gets its answer first, then the advice.
    opened = situations.get(state["situation"])
    if opened and follow in ("script", "objection", "either_or"):
        first = {"script": lambda: _script(opened, state),
                 "objection": lambda: _objection(opened, state, words),
                 "either_or": lambda: _choice(opened, words)}[follow]()
        if first and first[0].technique == "advice":
            replies = first + replies
    return Turn(replies, state)


def _only_asks(text: str) -> bool:
    """A request for help that describes nothing ("I need some advice", "just tell me")."""
    generic = set(situations.content_words(" ".join(_text()["clarify"]["generic_words"])))
    return set(situations.content_words(text)) <= generic


def has_more(state: Dict) -> bool:
    """The open situation still has steps not given."""
    situation = situations.get(state.get("situation"))
    return bool(situation) and any(s["id"] not in state.get("given", [])
                                   for s in situation["steps"])


def _ruled_out(text: str, current: Optional[Dict]) -> Tuple[Optional[str], str]:
    """The situation a correction rules out ("I'm not changing careers" -> career_change)
    and the rest of the message (what it is instead)."""
    clean = _lower(text)
    found = re.search(r"\b(?:not|don'?t|no longer)\b([^,.;!?\u2014\u2013]*)", clean)
    if not found:
        return (current["id"] if current else None), clean
    negated = found.group(1).strip()
    rest = (clean[:found.start()] + " " + clean[found.end():]).strip(" ,.;")
    rest = re.sub(r"^(?:i'?m|i am|it'?s|that'?s|this is)\s*", "", rest).strip(" ,.;")
    if negated and len(situations.content_words(negated)) >= 1:
        ruled = situations.match(negated)
        if ruled.verdict == "sure" or (ruled.verdict != "none" and current is None):
            return ruled.best, rest
        if current and _phrase_found(["thinking", "considering", "planning", "trying",
                                      "going", "about to", "wanting"], negated):
            # "I'm not thinking of firing her": an option ruled out, not the situation.
            return None, rest
    return (current["id"] if current else None), rest


def _after_match(match: "situations.Match", state: Dict, text: str,
                 earlier: Sequence[str]) -> List[Reply]:
    if match.verdict == "sure":
        return _start(match.best, state, text)
    if match.verdict == "unsure" and len(match.two) == 2:
        state["pending"] = match.two
        return [_clarify(*match.two)]
    return [_outside(text)]


def warm() -> None:
    """Builds the matcher now (the action server calls this at start-up, in a thread)."""
    situations.match("warm up")


def plan_red_flags(text: str) -> List[str]:
    """The kinds of plan the mentor won't endorse that a text contains."""
    flags = _text()["plan_red_flags"]
    found = [kind for kind, spec in flags.items()
             if isinstance(spec, dict) and _phrase_found(spec["words"], text)]
    deception = flags["deception"]
    if ("deception" not in found and _phrase_found(deception["claims"], text)
            and _phrase_found(deception["untrue"], text)
            and not _phrase_found(deception["truthful"], text)):
        # "I'll tell them my bank matched at 155k. The bank hasn't actually offered anything."
        found.insert(0, "deception")
    return found


def is_explicit_plan(text: str) -> bool:
    return _phrase_found(_text()["plan_red_flags"]["plan_words"], text)


def plan_warning(text: str) -> Optional[Reply]:
    """A plain "don't, and here's why" for a plan with deception, going around a manager,
    hiding a side business or conceding early; None when there's none of those."""
    kinds = plan_red_flags(text)
    if not kinds:
        return None
    flags = _text()["plan_red_flags"]
    return _say(" ".join(flags[kind]["text"] for kind in kinds), "feedback")
