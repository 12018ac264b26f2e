"""Which intent a message gets when the reading and the classifier disagree (pure).

- A sure control reading names its intent (CONTROL_INTENTS).
- A data-changing intent needs its words (DATA_WORDS); otherwise the next guess of the
  classifier that changes no data, or nlu_fallback.
- "my goal is to ..." (and "I want to ... by <date>") is set_goal, whatever else it contains.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Optional

from bot.understanding.reading import Reading

SURE = 0.85
CONTROL_INTENTS = {
    "switch_coach": "request_coach", "switch_mentor": "request_mentor",
    "compare": "compare_answers", "schedule_checkin": "request_followup",
    "list_goals": "list_goals", "stop": "stop_flow", "keep_working": "continue_flow",
    "delete_data": "delete_data", "export_data": "export_data",
    # "start again", "from scratch": the conversation's stop (the policy starts afresh).
    "start_over": "stop_flow",
}
# Moves about the conversation itself, not requests: statements (`inform`) whatever the
# classifier guessed (it reads "this is useless" as distress, "hmm" as a yes).
STATEMENT_ACTS = {"complaint", "correction", "filler", "insight"}
DATA_CHANGING = {"drop_goal", "edit_goal", "delete_data", "export_data"}
DATA_WORDS = {
    # A drop verb names a goal ("drop goal 2", "drop it", "scrap the networking one");
    # "drop a pin", "drop duplicates" do not.
    "drop_goal": re.compile(
        r"\b(drop|delete|remove|scrap|cancel|ditch|bin|get rid of|forget( about)?|archive|close|take|"
        r"discard|kill|withdraw|mark)\b(?:\s+\S+){0,6}?\s*\b(goals?|objectives?|targets?|it|that|this|"
        r"number\s*\d+|#\s*\d+|\d+|the \w+ one|off my (goal )?list)\b"
        r"|\b(abandon\w*|give up|giving up|gave up|no longer (want|need|pursue|working)|"
        r"(don't|do not) want to (pursue|keep|do) (it|that|this|the)|not (pursuing|doing) "
        r"(it|that|this|the goal)|stop (working on|pursuing|tracking)|let go of|done with)\b", re.I),
    # Editing names what it edits (the action asks which goal and which field if unsure).
    "edit_goal": re.compile(r"\b(goals?|deadline|due date|first step|measure|wording)\b", re.I),
    "delete_data": re.compile(
        r"\b(delete|erase|wipe|remove|forget|purge|clear|destroy|nuke|get rid of)\b.{0,30}\b(my data|"
        r"(personal|all (of )?my) data|data|everything|all of it|every record|about me|me\b|my account\b|"
        r"account with you|(my|our|conversation|chat) (history|information|info|records?|conversations?|"
        r"chats?|messages|details|profile|logs)|chat logs|conversations?|chats|profile)"
        r"|\b(my )?(data|information|info|history|account|profile) (removed|deleted|erased|wiped)\b|\bgdpr\b"
        r"|\b(erase|delete|wipe) all my (goals|notes|progress)\b|\bright to (be forgotten|erasure)\b|\b(don't|do not) (want you to )?keep my data\b", re.I),
    "export_data": re.compile(
        r"\b(export|download|package|copy|portable|access request)\b"
        r"|\bwhat (data |information |info )?(do you|have you) (store|stored|know|remember|have|keep|got|"
        r"saved|recorded)\b|\bshow me what you('ve| have)? (saved|stored|kept|got)\b|\bwhere'?s my data\b"
        r"|\b(send|give|get) (me )?(a copy of |all )?(my|of my) (data|information|info|history|records)\b"
        r"|\bas a (file|csv|spreadsheet)\b|\b(everything|all the data|data) you (have|hold|keep|store|collect)"
        r"|\bdump of my\b|\bwhat (personal )?data do you\b|\bmy data\b|\b(know|have|hold|store|stored|keep)"
        r" (about|on) me\b", re.I),
}
_ALSO_ASKS = re.compile(r"\b(give me|tell me|just tell|show me|can you|could you|i want|i need|i'd like|"
                        r"switch|let me|let's)\b", re.I)
# Short acknowledgements keep the classifier's reading (yes/no/ok answer what was offered).
_ACK = re.compile(r"^(yes|yeah|yep|yup|no|nope|nah|ok(ay)?|sure|fine|alright|cool|got it|right|k+|"
                  r"correct|exactly|maybe|perhaps|not sure|i guess|dunno|idk)\W*$", re.I)
_SET_GOAL = re.compile(
    r"^\W*(?:(?:so|ok|okay|well|hi|hello|hey)[,!.]?\s+)?(?:my (?:new |main |big |next )?goal (?:is|would be|for [^,]{1,30} is)|"
    r"i(?:'d| would)? (?:like|want) to set (?:a|the|my) goal|the goal is|new goal\s*[:-]|set (?:a|me a) goal\s*[:-]|goal\s*:)", re.I)


def _first_other(ranking: List[Dict[str, Any]], skip: set) -> Optional[Dict[str, Any]]:
    for row in ranking:
        if row.get("name") not in skip:
            return {"name": row.get("name"), "confidence": row.get("confidence", 0.0)}
    return None


@lru_cache(maxsize=1)
def _work_words() -> frozenset:
    from bot.understanding.details import load

    return frozenset(w.lower() for w in load("details")["work_words"])


def mentions_work(text: str) -> bool:
    words = set(re.findall(r"[a-z0-9][a-z0-9:'-]*", (text or "").lower()))
    return bool(words & _work_words())


# A first-person want to change oneself, a habit or a relationship.
_PERSONAL_GOAL = re.compile(
    r"^\W*(?:i(?:'d| would)? (?:really )?(?:want|like|love|need|wish|hope)(?: to| i could)?|i'm trying to|"
    r"i am trying to|my goal is|help me)\b.{0,80}?\b(?:more|less|better|stop|quit|start|improve|"
    r"often|regularly|every (?:day|week|morning|night|evening)|habit|relationship|healthier|fitter|"
    r"calmer|consistent|confident|patient|closer|kinder|present)\b", re.IGNORECASE)


def settle(text: str, reading: Reading, intent: Dict[str, Any],
           ranking: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The intent this message should carry, or None to keep the classifier's."""
    name = intent.get("name")
    confidence = float(intent.get("confidence") or 0.0)
    if name == "nlu_fallback" and reading.act in ("question", "request") and not mentions_work(text):
        # Unplaced, and nothing of work or of this bot in it: if the classifier's best
        # guess is that it is out of scope, say what the bot is for.
        best = _first_other(ranking, {"nlu_fallback"})
        if best is not None and best["name"] == "ask_out_of_scope":
            return best
    if reading.act == "control" and reading.confidence >= SURE and reading.control in CONTROL_INTENTS:
        wanted = CONTROL_INTENTS[reading.control]
        if wanted != name:
            return {"name": wanted, "confidence": max(confidence, reading.confidence)}
        return None
    # (A complaint about the conversation, "this is useless", is no distress; the safety
    # lexicon still reads every message's text in the policy, whatever the intent.)
    if (reading.act in STATEMENT_ACTS and reading.confidence >= SURE and name != "inform"
            and (name != "express_distress" or reading.act == "complaint")
            # "nah, that's not it" is still a no; "why do you keep ...?" asks about the technique
            and not (reading.act == "correction" and name in ("deny", "edit_goal"))
            and not (name == "ask_technique" and re.match(r"\W*(why|what|how)\b", text, re.I))
            # "stop asking questions and give me advice" also asks for something
            and not _ALSO_ASKS.search(text)
            and not (reading.act == "filler" and _ACK.match(text.strip()))):
        if not (name in DATA_CHANGING and DATA_WORDS[name].search(text)):
            return {"name": "inform", "confidence": max(confidence, reading.confidence)}
    if (name == "set_goal" and not _SET_GOAL.search(text) and _IMPERATIVE.search(text.strip())
            and not mentions_work(text)):
        # "set an alarm for 7am" is no goal to record: a command with nothing of work in it.
        other = _first_other(ranking, {"set_goal", "nlu_fallback"} | DATA_CHANGING)
        if other is not None and other["name"] == "ask_out_of_scope":
            return other
        return {"name": "nlu_fallback", "confidence": confidence}
    if name == "ask_out_of_scope" and _PERSONAL_GOAL.search(text):
        # "I want to call my dad more often" is a goal the coach works with (issue 18's
        # personal goal), not an everyday request like "I want to book a flight".
        return {"name": "set_goal", "confidence": max(confidence, 0.9)}
    if _SET_GOAL.search(text) and name != "set_goal":
        return {"name": "set_goal", "confidence": max(confidence, 0.9)}
    if _ASKS_ROLEPLAY.search(text) and (name != "request_roleplay" or confidence < 0.9):
        # "Can you role-play it? Please play Nadia, the head of product." asks for the scene,
        # whatever else the message describes.
        return {"name": "request_roleplay", "confidence": max(confidence, 0.9)}
    if name == "ask_which_style" and _OR_QUESTION.search(text) and not _STYLE_WORDS.search(text):
        # "Should I sign it right away to get the money, or wait?" is an either-or about the
        # person's situation, not which role to talk to.
        other = _first_other(ranking, {"ask_which_style", "nlu_fallback"} | DATA_CHANGING)
        if other is None or other["confidence"] < 0.05:
            return {"name": "inform", "confidence": confidence}
        return other
    if name == "request_roleplay" and not _ROLEPLAY_WORDS.search(text) and not _rerun(text):
        # "Should I ask for two full-time hires or one contractor?" names no scene to play:
        # the classifier's next guess (a question to the mentor), never a role-play.
        other = _first_other(ranking, {"request_roleplay", "nlu_fallback"} | DATA_CHANGING)
        if other is None or other["confidence"] < 0.05:
            return {"name": "inform", "confidence": confidence}
        return other
    if _rerun(text) and (name != "request_roleplay" or confidence < 0.9):
        # "Let's run it again" after a role-play's feedback (read as goodbye otherwise).
        return {"name": "request_roleplay", "confidence": max(confidence, 0.9)}
    if name != "share_plan" and _red_flag_plan(text):
        # "I'm thinking of telling Elena I have a competing offer. I don't actually have
        # one. Good idea?" asks for a verdict on a plan the mentor won't endorse (issue 19):
        # never a progress report, a goal or a role-play line.
        return {"name": "share_plan", "confidence": max(confidence, 0.9)}
    if name == "share_plan" and reading.act != "plan" and len(text.split()) > 25:
        # A situation described at length is not a plan to review (issue 17).
        other = _first_other(ranking, {"share_plan", "nlu_fallback"} | DATA_CHANGING)
        if other is None or other["confidence"] < 0.05:
            return {"name": "inform", "confidence": confidence}
        return other
    if name in DATA_CHANGING and not DATA_WORDS[name].search(text):
        other = _first_other(ranking, DATA_CHANGING | {name, "nlu_fallback"})
        if other is None or other["confidence"] < 0.05:
            return {"name": "nlu_fallback", "confidence": confidence}
        return other
    if name in ("delete_data", "export_data") and reading.control != name:
        # Data words without a sure reading ("delete my goal" is not delete-everything).
        if name == "delete_data" and re.search(r"\bgoals?\b", text, re.I) and not re.search(
                r"\b(all my data|everything)\b", text, re.I):
            return {"name": "drop_goal", "confidence": confidence}
    return None


def _red_flag_plan(text: str) -> bool:
    """Deception, going around a manager, hiding a side business or conceding early, in a
    message that has a plan or asks for a verdict (data/content/mentor_situations.yml)."""
    from bot.personas import situation_mentor

    return bool(situation_mentor.plan_red_flags(text))


_ASKS_ROLEPLAY = re.compile(
    r"\b(?:can|could|would|will) you (?:please )?(?:role[- ]?play|play|act as|pretend to be)\b|"
    r"\bplease (?:role[- ]?play|play|act as|pretend to be)\b|\blet'?s role[- ]?play\b|"
    r"\b(?:can|could) we role[- ]?play\b", re.I)


# Words any request for a role-play has ("role-play", "play my manager", "practise",
# "rehearse", "act it out", "be my boss").
_ROLEPLAY_WORDS = re.compile(
    r"\b(role[- ]?play\w*|roleplay\w*|play|playing|practi[cs]e\w*|rehears\w*|act(ing)? (as|it|out|that|this)|"
    r"pretend\w*|simulat\w*|mock|dry run|run (it|through|that|this)|be my|be the|you be|"
    r"you're my|you are my|scenario|scene)\b", re.I)


_OR_QUESTION = re.compile(r"\bor\b", re.I)
# Words of a question about which role or style to use ("coach or mentor?", "which one").
_STYLE_WORDS = re.compile(r"\b(coach\w*|mentor\w*|style|approach|mode|which one|which of|"
                          r"of you|advice or questions|training|therapist|therapy|counsell?\w*)\b", re.I)


def _rerun(text: str) -> bool:
    from bot.personas import roleplay

    return roleplay.is_rerun(text)


# The act an intent implies when the phrase rules found nothing more specific.
INTENT_CONTROLS = {
    "drop_goal": "drop_goal", "edit_goal": "edit_goal", "delete_data": "delete_data",
    "export_data": "export_data", "list_goals": "list_goals", "continue_flow": "keep_working",
    "stop_flow": "stop", "request_coach": "switch_coach", "request_mentor": "switch_mentor",
    "compare_answers": "compare", "request_followup": "schedule_checkin",
}
INTENT_ACTS = {"greet": "social", "goodbye": "social", "thank": "social",
               "express_distress": "feeling", "share_plan": "plan", "set_goal": "answer",
               "report_progress": "answer", "affirm": "answer", "deny": "answer",
               "it_depends": "answer"}
SPECIFIC_ACTS = {"correction", "complaint", "filler", "insight", "feeling", "plan"}
# Asking for help (advice, a resource, a story, a role-play) is a request however it is
# phrased; asking about the bot or the roles is a question.
REQUEST_INTENTS = {"ask_advice", "ask_resource", "ask_story", "ask_assignment", "request_roleplay",
                   "practise_coaching"}
QUESTION_INTENTS = {"ask_capabilities", "ask_difference", "ask_which_style", "ask_technique",
                    "bot_challenge"}
_YES_NO = re.compile(r"^(yes|yeah|yep|yup|yes please|no|nope|nah|no thanks|not really)\W*$", re.I)
_IMPERATIVE = re.compile(r"^(please |pls |can you |could you )?(play|cancel|install|book|order|buy|call|"
                         r"open|turn|translate|convert|calculate|check|get|make|fix|reset|find|show|"
                         r"tell|give|send|set|write|help|recommend|remind|text|email)\b", re.I)
INTENT_SURE = 0.6


def refine_act(reading_dict: Dict[str, Any], intent: Dict[str, Any]) -> Dict[str, Any]:
    """The reading's act with the (settled) intent taken into account: the phrase rules
    name the specific moves (corrections, complaints, filler, insights, feelings, plans,
    controls); the intent fills in the rest. Returns a new dict."""
    data = dict(reading_dict)
    data.setdefault("control_source", "phrase" if data.get("control") else None)
    name = intent.get("name")
    confidence = float(intent.get("confidence") or 0.0)
    act = data.get("act")
    if act == "control" or confidence < 0.3:
        return data
    text = data.get("situation") or ""
    if name in INTENT_CONTROLS and act not in ("correction", "complaint") and confidence >= INTENT_SURE:
        data.update(act="control", control=INTENT_CONTROLS[name], control_source="intent",
                    confidence=round(min(confidence, 0.9), 3))
    elif act == "filler" and name in ("affirm", "deny") and _YES_NO.match(text.strip()):
        data["act"] = "answer"
    elif act in SPECIFIC_ACTS:
        return data
    elif name in INTENT_ACTS:
        data["act"] = INTENT_ACTS[name]
    elif name in REQUEST_INTENTS:
        data["act"] = "request"
    elif name in QUESTION_INTENTS:
        data["act"] = "question"
    elif name == "ask_out_of_scope" and act not in ("question", "request", "social"):
        data["act"] = "request" if _IMPERATIVE.search(text.strip()) else "question"
    return data


def states_goal(text: str) -> bool:
    """An explicit goal statement ("my goal is to ...", "new goal: ..."): recorded as a goal
    whatever else the message also is."""
    return bool(_SET_GOAL.search(text or ""))
