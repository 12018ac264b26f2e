"""The mentor's situation library (data/content/situations/*.yml) and the matcher that
finds which situation a person is describing.

Matching is by meaning rather than by keyword: a linear SVM (scikit-learn, one situation
against the rest) over TF-IDF word uni- and bigrams (lightly stemmed) and character
n-grams, trained on many ways of describing each situation. The people involved weigh
in: "my report" points to situations about people you manage, "my manager" to ones about
your manager, and a situation for another cast loses a little; a message that names
nobody else is about the person themselves. The recent conversation counts too, less
than the latest message.

The examples: each situation's own text, the phrasings in
data/content/situation_phrasings*.yml and the words people use for it
(data/content/situation_vocabulary.yml); everyday messages that are not about work
(data/content/situation_outside.yml) are one more class, "outside". The trained
classifier is cached in build/ by bot/safety/model_cache.py, keyed by its training rows.

`match()` returns a ranked list and a verdict: `sure` (one situation), `unsure` (ask one
question naming the two likeliest; also for a message with hardly a specific word, "I
need help with something at work") or `none` (honestly outside what the mentor knows
well: the "outside" class wins, or the library doesn't know the words). No Rasa imports.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import yaml
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from bot.paths import CONTENT_DIR
from bot.safety.model_cache import cached

SITUATION_DIR = CONTENT_DIR / "situations"
# situation_phrasings.yml and situation_phrasings_forum.yml (more, in forum style).
PHRASINGS_GLOB = "situation_phrasings*.yml"
# The words people use for each situation (read like its cues).
VOCABULARY_FILE = CONTENT_DIR / "situation_vocabulary.yml"
# Everyday messages that are not about work: one more class for the classifier, so that
# they are said to be outside what the mentor knows instead of getting the nearest
# situation.
OUTSIDE_FILE = CONTENT_DIR / "situation_outside.yml"
OUTSIDE = "(outside)"
# The "outside" class must lead the likeliest situation by this much (decision values):
# a question about work in an everyday form ("what's your advice on conflict?") stays in.
OUTSIDE_MARGIN = 0.25

# The classifier: a linear SVM (one against the rest) over TF-IDF word uni/bigrams and
# character n-grams; its decision values become probabilities with a softmax.
REGULARISATION = 0.5
SOFTMAX_SCALE = 6.0
# How much what the person said earlier (this conversation) adds to the latest message.
CONTEXT_WEIGHT = 0.35
# The people involved: a matching cast multiplies a situation's probability by
# ROLE_BONUS, a cast the situation doesn't have by ROLE_PENALTY (then renormalised).
ROLE_BONUS = 1.4
ROLE_PENALTY = 0.7
# A message (and conversation) that names nobody else is about the person themselves: a
# situation that needs someone else (a report, a manager...) and not the person alone is
# multiplied by SELF_PENALTY.
SELF_PENALTY = 0.6
# Verdicts on the (renormalised) probability of the best situation and its lead over the
# second; calibrated on the library's own examples and the dev half of
# tests/data/situation_descriptions.yml (also with the classifier trained without the
# older phrasings, whose scores on dev are closer to those on unseen text), never on its
# eval half: a few wrong answers 'sure', most right ones 'sure', the rest a question.
SURE_SCORE = 0.30
SURE_MARGIN = 0.10
UNSURE_SCORE = 0.08
# A message whose own words the library mostly doesn't know ("the best pizza in town")
# is outside what the mentor knows well, however the classifier ranks it: below
# KNOWN_NONE of its content words known, the verdict is none; below KNOWN_SURE, at most
# unsure.
KNOWN_NONE = 0.5
KNOWN_SURE = 0.6
# A message this short (content words) is 'sure' only with a clear lead (SHORT_SURE).
SHORT_WORDS = 3
SHORT_SURE = 0.6
# A message needs this many content words beyond the generic ones ("help", "work",
# "advice", "something": clarify.generic_words in mentor_situations.yml) to be 'sure':
# "I need help with something at work" gets a question, however the classifier ranks it.
SPECIFIC_SURE = 2
# Words that only name people: a message that names people and nothing about them ("my
# colleague and my boss") is never 'sure' either.
PEOPLE_WORDS = ("colleague colleagues coworker coworkers co-worker peer peers teammate boss "
                "manager managers supervisor lead director report reports team employee "
                "employees staff client clients customer customers ceo vp person people "
                "someone somebody")

# Who a message is about: phrases that name a role (checked in order; the first group
# that matches a word counts once).
# People someone manages, by job ("my analysts", "one of my nurses", "my engineer").
_STAFF = ("employee|engineer|developer|dev|designer|analyst|nurse|tech|technician|rep|agent|"
          "associate|accountant|account manager|cashier|server|cook|chef|teacher|coordinator|"
          "specialist|junior|hire|staff member|team member|programmer|scientist|writer|"
          "recruiter|admin|assistant|operator|driver|worker|marketer|manager")
ROLE_PATTERNS = {
    "report": r"\b(my (direct )?reports?|direct reports?|(one of |someone on |a member of |two of )?"
              r"my team(?! lead| leader| manager)|team members?|"
              r"my (new |newest |junior |senior |best |top |strongest |most \w+ )?"
              r"(" + _STAFF.replace("|manager", "") + r")s?|(one|two|some|both|all|most) of my "
              r"(" + _STAFF + r"|lead|supervisor)s|my (leads|supervisors)|"
              r"people i (manage|supervise|lead)|(person|someone|somebody) i (manage|supervise)|"
              r"i (manage|supervise) (a |an |\w+ )?(team|people|staff|\d+|two|three|four|five|six)|"
              r"reports? to me|my staff|under me|my people)\b",
    "manager": r"\b(my (line |new |old |direct )?(manager|boss|supervisor|lead|team lead|director|vp)|"
               r"my manager's|my boss's|i report to|i work for)\b",
    "peer": r"\b((my )?(colleague|co-?worker|peer|teammate|co-lead)s?|another (team )?lead|"
            r"at my level|same level as me|fellow \w+)\b",
    "senior": r"\b(director|vp|vice president|executive|exec|ceo|cto|cfo|c-suite|board|head of|"
              r"senior leader(ship)?|skip[- ]level|partner at|senior partner)s?\b",
    "client": r"\b(client|customer)s?\b",
}

_STOP = {"a", "an", "the", "and", "or", "to", "of", "in", "on", "at", "for", "is", "are",
         "was", "were", "be", "been", "it", "its", "this", "that", "so", "do", "does", "did",
         "just", "really", "very", "have", "has", "had", "with", "about", "as", "but", "if",
         "what", "how", "should", "can", "could", "would", "will", "im", "i'm", "am",
         "won't", "don't", "can't", "didn't", "doesn't", "isn't", "i've", "it's", "i'd", "i'll"}
_SUFFIXES = ("ings", "ing", "ed", "es", "s", "ly")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _words(text: str) -> List[str]:
    words = re.findall(r"[a-z0-9][a-z0-9'\-]*", text.lower().replace("\u2019", "'"))
    return [_stem(w) for w in words if w not in _STOP]


def content_words(text: str) -> List[str]:
    """The words of a text that carry meaning (no stop words, no numbers)."""
    return [w for w in _words(_clean(text)) if len(w) > 2 and not re.search(r"\d", w)]


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").lower().replace("\u2019", "'")).strip()


@lru_cache(maxsize=None)
def library() -> Tuple[Dict, ...]:
    """Every situation, in file order (files sorted by name)."""
    situations = []
    for path in sorted(SITUATION_DIR.glob("*.yml")):
        with open(path, encoding="utf-8") as handle:
            situations.extend(yaml.safe_load(handle)["situations"])
    return tuple(situations)


@lru_cache(maxsize=None)
def by_id() -> Dict[str, Dict]:
    return {situation["id"]: situation for situation in library()}


@lru_cache(maxsize=None)
def _generic() -> frozenset:
    with open(CONTENT_DIR / "mentor_situations.yml", encoding="utf-8") as handle:
        words = yaml.safe_load(handle)["clarify"]["generic_words"]
    return frozenset(content_words(" ".join(words)))


@lru_cache(maxsize=None)
def _people_words() -> frozenset:
    return frozenset(content_words(PEOPLE_WORDS))


def get(situation_id: Optional[str]) -> Optional[Dict]:
    return by_id().get(situation_id) if situation_id else None


@lru_cache(maxsize=None)
def _phrasings() -> Dict[str, List[str]]:
    merged: Dict[str, List[str]] = {}
    for path in sorted(CONTENT_DIR.glob(PHRASINGS_GLOB)):
        with open(path, encoding="utf-8") as handle:
            for situation_id, texts in yaml.safe_load(handle)["phrasings"].items():
                merged.setdefault(situation_id, []).extend(texts)
    return merged


@lru_cache(maxsize=None)
def _vocabulary() -> Dict[str, List[str]]:
    with open(VOCABULARY_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["vocabulary"]


def _examples(situation: Dict) -> List[str]:
    """The texts that stand for a situation: its title, when it applies, its example
    descriptions and phrasings, its cues and the words people use for it (each and
    together), and what the mentor says about it (steps, objections, the script)."""
    return [situation["title"], situation["applies"], *situation["descriptions"],
            *_phrasings().get(situation["id"], []), *(situation.get("cues") or []),
            " ".join(situation.get("cues") or []),
            *_vocabulary().get(situation["id"], []),
            " ".join(_vocabulary().get(situation["id"], [])),
            *(step["text"] for step in situation["steps"]),
            *(objection["says"] for objection in situation.get("objections") or []),
            situation["script"]]


class _Index:
    """A classifier from a text to the probability of each situation."""

    def __init__(self, rows: Tuple):
        self.ids, who, examples, owners = rows
        self.who = [set(cast) for cast in who]
        self.word = TfidfVectorizer(tokenizer=_words, lowercase=False, token_pattern=None,
                                    ngram_range=(1, 2), sublinear_tf=True)
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        features = hstack([self.word.fit_transform(examples),
                           self.char.fit_transform(examples)]).tocsr()
        self.model = LinearSVC(C=REGULARISATION)
        self.model.fit(features, owners)
        order = {situation_id: i for i, situation_id in enumerate(self.model.classes_)}
        self.columns = [order[situation_id] for situation_id in self.ids]
        self.outside_column = order.get(OUTSIDE)

    def known(self, text: str) -> float:
        """The share of the text's content words that occur anywhere in the library."""
        words = content_words(text)
        if not words:
            return 1.0
        vocabulary = self.word.vocabulary_
        return sum(1 for w in words if w in vocabulary) / len(words)

    def _decision(self, text: str) -> np.ndarray:
        return _decision(self, _clean(text))

    def outside(self, text: str) -> bool:
        """Whether the text reads as everyday life rather than any situation at work."""
        if self.outside_column is None or not _clean(text):
            return False
        decision = self._decision(text)
        return bool(decision[self.outside_column] > decision[self.columns].max() + OUTSIDE_MARGIN)

    def similarity(self, text: str) -> np.ndarray:
        """The probability of each situation (library order)."""
        if not _clean(text):
            return np.zeros(len(self.ids))
        decision = self._decision(text)[self.columns] * SOFTMAX_SCALE
        weights = np.exp(decision - decision.max())
        return weights / weights.sum()


@lru_cache(maxsize=256)
def _decision(index: _Index, clean: str) -> np.ndarray:
    """The classifier's decision values for a cleaned text (one per class), kept for the
    texts of the last turns: a turn matches the same message several times."""
    features = hstack([index.word.transform([clean]), index.char.transform([clean])]).tocsr()
    decision = index.model.decision_function(features)[0]
    decision.setflags(write=False)
    return decision


def _rows(situations: Sequence[Dict]) -> Tuple:
    """What the classifier is trained on: the ids and casts, each example and its owner."""
    examples, owners = [], []
    for situation in situations:
        for text in _examples(situation):
            examples.append(_clean(text))
            owners.append(situation["id"])
    with open(OUTSIDE_FILE, encoding="utf-8") as handle:
        for text in yaml.safe_load(handle)["outside"]:
            examples.append(_clean(text))
            owners.append(OUTSIDE)
    return ([s["id"] for s in situations], [sorted(s.get("who") or []) for s in situations],
            examples, owners)


@lru_cache(maxsize=None)
def _index() -> _Index:
    """The classifier, trained once and cached on disk (build/) like the safety models,
    keyed by its training rows, its settings and the words it reads."""
    params = ("situations-v2", REGULARISATION, sorted(_STOP), _SUFFIXES)
    return cached("situations", _rows(library()), params, _Index)


def roles_in(text: str) -> List[str]:
    """The roles a text names ("my report" -> report), in ROLE_PATTERNS order."""
    clean = _clean(text)
    return [role for role, pattern in ROLE_PATTERNS.items() if re.search(pattern, clean)]


@dataclass
class Match:
    """The matcher's reading: situation ids with scores, best first, and a verdict."""
    ranked: List[Tuple[str, float]]
    verdict: str  # sure | unsure | none

    @property
    def best(self) -> Optional[str]:
        return self.ranked[0][0] if self.ranked else None

    @property
    def two(self) -> List[str]:
        return [situation_id for situation_id, _ in self.ranked[:2]]


def scores(text: str, earlier: Sequence[str] = ()) -> np.ndarray:
    """The score of every situation (library order) for a message and what came before."""
    index = _index()
    total = index.similarity(text)
    context = " ".join(t for t in earlier if t and not t.startswith("/"))
    if context.strip():
        total = total + CONTEXT_WEIGHT * index.similarity(context)
    roles = set(roles_in(text)) or set(roles_in(context))
    if roles:
        for position, who in enumerate(index.who):
            if roles & who:
                total[position] *= ROLE_BONUS
            elif who - {"self"}:
                total[position] *= ROLE_PENALTY
    else:
        for position, who in enumerate(index.who):
            if "self" not in who:
                total[position] *= SELF_PENALTY
    mass = total.sum()
    return total / mass if mass > 0 else total


def rank(text: str, earlier: Sequence[str] = ()) -> List[Tuple[str, float]]:
    index = _index()
    total = scores(text, earlier)
    order = np.argsort(-total, kind="stable")
    return [(index.ids[i], float(total[i])) for i in order]


def match(text: str, earlier: Sequence[str] = (), exclude: Sequence[str] = ()) -> Match:
    """The situation the person is describing, with a verdict. `exclude` drops situations
    the person has said are not theirs ("I'm not changing careers")."""
    ranked = [pair for pair in rank(text, earlier) if pair[0] not in set(exclude)]
    if not ranked:
        return Match([], "none")
    top = ranked[0][1]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    index = _index()
    known = index.known(text)
    if index.outside(text):
        known = 0.0  # everyday life, not work: honestly outside what the mentor knows
    words = content_words(text)
    short = len(words) < SHORT_WORDS and top < SHORT_SURE
    specific = [w for w in words if w not in _generic()]
    vague = (len(specific) < SPECIFIC_SURE
             or not [w for w in specific if w not in _people_words()])
    if (top >= SURE_SCORE and top - second >= SURE_MARGIN and known >= KNOWN_SURE
            and not short and not vague):
        verdict = "sure"
    elif top >= UNSURE_SCORE and known >= KNOWN_NONE:
        verdict = "unsure"
    else:
        verdict = "none"
    return Match(ranked, verdict)


def best(text: str, earlier: Sequence[str] = ()) -> str:
    """The single likeliest situation (for measurements)."""
    return rank(text, earlier)[0][0]
