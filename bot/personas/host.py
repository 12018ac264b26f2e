"""The neutral host voice: greetings, explanations of the roles and recovery lines.

Every reply here has persona "host". All prose lives in data/content/host.yml; this module
only picks and fills it, so the Rasa actions stay thin and the wording stays editable.
"""
import re
from functools import lru_cache
from typing import Dict, List, Optional, Pattern, Sequence, Tuple

from bot.content import load
from bot.personas.recommend import reason_text
from bot.reply import TECHNIQUES, Reply, button
from bot.topics import topic_label

HOST = "host"
COACH_PAYLOAD = "/request_coach"
MENTOR_PAYLOAD = "/request_mentor"
CHOOSE_PAYLOAD = "/ask_which_style"
DIFFERENCE_PAYLOAD = "/ask_difference"
# A quoted situation longer than this is cut, so the framing line stays readable.
SITUATION_LIMIT = 200
_OTHER = {"coach": "mentor", "mentor": "coach"}


def _text() -> Dict:
    return load("host")


def _say(text: str, technique: str, buttons: Optional[List[Dict[str, str]]] = None) -> Reply:
    return Reply(text=text, persona=HOST, technique=technique, buttons=buttons or [])


def _choice_buttons() -> List[Dict[str, str]]:
    titles = _text()["greeting"]["buttons"]
    return [button(titles["coach"], COACH_PAYLOAD), button(titles["mentor"], MENTOR_PAYLOAD),
            button(titles["choose"], CHOOSE_PAYLOAD)]


def greeting(returning: bool, active_goals: Sequence[str] = ()) -> List[Reply]:
    """First contact: hello, then both roles in two sentences and a choice; else welcome
    back, naming the newest goal still active (the last of `active_goals`), if any."""
    content = _text()["greeting"]
    if returning and active_goals:
        others = len(active_goals) - 1
        more = content["more_goals"].format(count=others) if others else ""
        goal = " ".join(active_goals[-1].split())
        if len(goal) > SITUATION_LIMIT:
            goal = goal[:SITUATION_LIMIT].rsplit(" ", 1)[0] + "..."
        return [_say(content["returning_with_goal"].format(goal=goal, more=more), "greeting")]
    if returning:
        return [_say(content["returning"], "greeting")]
    roles = " ".join(content["roles"] + [content["choose"]])
    return [_say(content["hello"], "greeting"),
            _say(roles, "greeting", _choice_buttons())]


def capabilities() -> Reply:
    return _say("\n".join(_text()["capabilities"]), "explanation")


def difference(detail: bool = False) -> Reply:
    """Coaching vs mentoring: a short table-like answer offering more, or the full one."""
    content = _text()["difference"]
    if detail:
        lines = [content["detail_intro"], *content["short"], *content["more"],
                 content["detail_outro"]]
    else:
        lines = [content["short_intro"], *content["short"], content["short_offer"]]
    return _say("\n".join(lines), "explanation")


def _word_pattern(words: List[str]) -> Optional[Pattern[str]]:
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


@lru_cache(maxsize=None)
def _role_patterns() -> Dict[str, Pattern[str]]:
    content = _text()["role_comparison"]
    patterns = {key: _word_pattern(role["words"]) for key, role in content["roles"].items()}
    patterns["counsellor"] = _word_pattern(content["counsellor"]["words"])
    return {key: pattern for key, pattern in patterns.items() if pattern is not None}


def role_comparison(text: str) -> Optional[Reply]:
    """Compare a trainer, facilitator or consultant with coach and mentor, after the usual
    comparison table of helping roles; point counsellors/therapists elsewhere. None when
    no such role is mentioned."""
    content = _text()["role_comparison"]
    asked = [key for key, pattern in _role_patterns().items() if pattern.search(text or "")]
    if not asked:
        return None
    table_roles = [key for key in asked if key in content["roles"]]
    parts: List[str] = []
    if table_roles:
        parts.extend(content["roles"][key]["summary"] for key in table_roles)
        columns = table_roles + [key for key in content["always_compare"] if key not in table_roles]
        parts.append(content["header"])
        for dimension, label in content["dimensions"].items():
            cells = [content["cell"].format(name=role["name"],
                                            value=content["values"][role["table"][dimension]])
                     for role in (content["roles"][key] for key in columns)]
            parts.append(content["row"].format(dimension=label, values=", ".join(cells)))
    if "counsellor" in asked:
        parts.append(content["counsellor"]["text"])
    return _say("\n".join(parts), "explanation")


def _technique_owner(technique: str) -> Optional[str]:
    for persona, techniques in TECHNIQUES.items():
        if technique in techniques:
            return persona
    return None


def explain_technique(technique: Optional[str], persona: Optional[str]) -> Reply:
    """Name the technique of the previous bot message and say in one sentence what it does.

    `persona` is what the dialogue believes spoke last; the technique's owner wins if they
    disagree, since every technique belongs to exactly one persona."""
    content = _text()["techniques"]
    owner = _technique_owner(technique) if technique else None
    item = content["items"].get(technique) if technique else None
    if owner is None or item is None:
        return _say(content["none"], "explanation")
    # Each technique has one owner, so it wins over a persona slot that may be stale.
    return _say(content["line"].format(owner=content["owners"][owner], name=item["name"],
                                       meaning=item["meaning"]), "explanation")


def explain_techniques(spoken: List[Tuple[Optional[str], Optional[str]]]) -> Reply:
    """explain_technique for each (technique, persona), in one message: after a comparison
    both the coach's and the mentor's are named."""
    lines = [explain_technique(technique, persona).text for technique, persona in spoken]
    return _say(" ".join(dict.fromkeys(lines)), "explanation")


def _quote(words: Optional[str], limit: int) -> str:
    """The person's own words, on one line and at most `limit` words, for a quote."""
    text = " ".join((words or "").replace('"', "'").split()).rstrip(".!?,;: ")
    parts = text.split(" ")
    if len(parts) > limit:
        text = " ".join(parts[:limit]).rstrip(".!?,;: ") + "..."
    return text


def _label(technique: str) -> str:
    """"a powerful question" -> "powerful question", for "Coach, powerful question: ..."."""
    name = _text()["techniques"]["items"][technique]["name"]
    return re.sub(r"^(?:a|an) ", "", name)


def _why_reason(technique: str, metadata: Dict, words: str) -> str:
    from bot.personas.coach import STAGE_OF  # imported here: the coach engine loads its bank

    content = _text()["why"]
    reasons = content["reasons"]
    slot = metadata.get("grow_slot") or ""
    stage = STAGE_OF.get(slot)
    if technique != "reflection" and slot in content["slots"]:
        template = content["slots"][slot]
    elif technique != "reflection" and stage in content["stages"]:
        template = content["stages"][stage]
    else:
        template = reasons.get(technique)
    if template is None:
        return _text()["techniques"]["items"][technique]["meaning"]
    return template.format(words=words)


def explain_why(spoken: Sequence[Dict], words: Optional[str]) -> Reply:
    """Why the coach or the mentor answered the person the way they did: for each of their
    messages in the last turn (metadata persona, technique, and `parts` for a message in
    two halves), the technique and the reason for using it on what the person said
    (`words`, their message before it)."""
    content = _text()["why"]
    quoted = _quote(words, int(content["quote_words"])) or content["no_words"]
    lines: List[str] = []
    for metadata in spoken:
        persona = metadata.get("persona")
        halves = metadata.get("parts") if isinstance(metadata.get("parts"), list) else None
        for half in halves or [metadata]:
            technique = half.get("technique")
            if persona not in content["who"] or _technique_owner(technique or "") != persona:
                continue
            lines.append(content["line"].format(who=content["who"][persona], label=_label(technique),
                                                reason=_why_reason(technique, metadata, quoted)))
    if not lines:
        return _say(content["nothing"], "explanation")
    return _say("\n".join(dict.fromkeys(lines)), "explanation")


@lru_cache(maxsize=None)
def _recap_pattern() -> Pattern[str]:
    return _word_pattern(_text()["recap"]["words"])


def recap_persona(text: str) -> Optional[str]:
    """"What did the mentor tell me?" -> "mentor": the role whose words the person wants
    summed up, or None when the message asks something else (e.g. why)."""
    text = (text or "").lower().replace("\u2019", "'")
    if not _recap_pattern().search(text):
        return None
    coach_at, mentor_at = text.find("coach"), text.find("mentor")
    if coach_at >= 0 and (mentor_at < 0 or coach_at < mentor_at):
        return "coach"
    return "mentor"


def _gist(line: str, limit: int) -> str:
    """The first sentence of a line that says something (list numbers, echoes of the
    person's words and list introductions dropped), at most `limit` words; "" if none."""
    skip = tuple(_text()["recap"]["skip"])
    line = re.sub(r"^\s*(?:\d+[.)]|[-*])\s*", "", line.strip())
    for sentence in re.split(r"(?<=[.!?])\s+", line):
        if sentence and not sentence.startswith(skip) and not sentence.endswith(":"):
            return _quote(sentence, limit) + ("" if sentence.endswith("?") else ".")
    return ""


def recap(persona: str, messages: Sequence[str]) -> Reply:
    """The gist of what `persona` said in its latest turn: the first sentence of each line."""
    content = _text()["recap"]
    limit = int(content["max_words"])
    items = [_gist(line, limit) for message in messages for line in message.split("\n") if line.strip()]
    items = [item for item in dict.fromkeys(items) if item.strip(".")]
    if not items:
        return _say(content["none"][persona], "explanation")
    lines = [content["intro"][persona]] + [content["item"].format(text=item) for item in items]
    return _say("\n".join(lines), "explanation")


def switch_announcement(new_persona: str, topic: Optional[str]) -> Reply:
    """One line on what the new role will do differently, naming the topic if there is one."""
    lines = _text()["switch"][new_persona]
    label = topic_label(topic)
    text = lines["topic"].format(topic=label) if label else lines["plain"]
    return _say(text, "explanation")


def auto_role_announcement(persona: str, reason_key: str) -> Reply:
    """Say which role was picked without the person choosing, why, and how to change it."""
    content = _text()["auto_role"]
    reason = content["reasons"].get(reason_key) or reason_text(reason_key) \
        or content["reasons"]["default"]
    other = _OTHER[persona]
    return _say(content["line"].format(role=persona, other=other, reason=reason,
                                       does=content["does"][persona]), "recommendation")


# metadata.compare of a comparison's messages: the page lays them out side by side.
COMPARE_PARTS = ("intro", "coach", "mentor", "debrief")


def compare_part(reply: Reply, part: str) -> Reply:
    """`reply` marked as one part of a comparison (metadata `compare`)."""
    if part not in COMPARE_PARTS:
        raise ValueError(f"unknown comparison part {part!r}")
    reply.extra["compare"] = part
    return reply


def compare_intro(situation: str) -> Reply:
    """The comparison's first message; an empty situation asks for one (not yet a part)."""
    content = _text()["compare"]
    situation = " ".join((situation or "").split())
    if not situation:
        return _say(content["intro_plain"], "explanation")
    if len(situation) > SITUATION_LIMIT:
        situation = situation[:SITUATION_LIMIT].rsplit(" ", 1)[0] + "..."
    return compare_part(_say(content["intro"].format(situation=situation), "explanation"), "intro")


def compare_outro() -> Reply:
    return compare_part(_say(_text()["compare"]["outro"], "explanation"), "debrief")


def fallback() -> Reply:
    content = _text()["fallback"]
    titles = content["buttons"]
    return _say(content["text"], "fallback",
                [button(titles["coach"], COACH_PAYLOAD), button(titles["mentor"], MENTOR_PAYLOAD),
                 button(titles["difference"], DIFFERENCE_PAYLOAD)])


def goodbye() -> Reply:
    return _say(_text()["goodbye"], "greeting")


def thanks() -> Reply:
    return _say(_text()["thanks"], "greeting")


def bot_challenge() -> Reply:
    return _say(_text()["bot_challenge"], "explanation")


def empty_input() -> Reply:
    return _say(_text()["empty_input"], "fallback")


def truncated_note(limit: int) -> Reply:
    return _say(_text()["truncated_note"].format(limit=limit), "explanation")


def action_server_down() -> Reply:
    return _say(_text()["action_server_down"], "fallback")


def turn_failed() -> Reply:
    """A turn that raised: the message may not have been stored, and the bot says so."""
    return _say(_text()["turn_failed"], "fallback")


def store_unavailable() -> Reply:
    return _say(_text()["store_unavailable"], "data")


def stop_confirmation() -> Reply:
    return _say(_text()["stop_confirmation"], "explanation")


def affirm_ack() -> Reply:
    return _say(_text()["affirm_ack"], "explanation")


def deny_ack() -> Reply:
    return _say(_text()["deny_ack"], "explanation")
