"""The mentor's situation library (data/content/situations/*.yml) and the matcher that
finds which situation a person is describing.

Matching is by meaning rather than by keyword: every situation is represented by its
title, when it applies, its example descriptions and its cue phrases; the person's words
are compared to them with TF-IDF over word uni- and bigrams (lightly stemmed) and over
character n-grams (scikit-learn), cosine similarity, the best single example and the
situation as a whole both counting. The people involved weigh in: "my report" points to
situations about people you manage, "my manager" to ones about your manager, and a
situation for another cast loses a little. The recent conversation counts too, less than
the latest message.

`match()` returns a ranked list and a verdict: `sure` (one situation), `unsure` (ask one
question naming the two likeliest) or `none` (honestly outside what the mentor knows
well). No Rasa imports.
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

SITUATION_DIR = CONTENT_DIR / "situations"
PHRASINGS_FILE = CONTENT_DIR / "situation_phrasings.yml"

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
# Verdicts on the (renormalised) probability of the best situation and its lead over the
# second; calibrated on the library's own examples and the dev half of
# tests/data/situation_descriptions.yml, never on its eval half.
SURE_SCORE = 0.20
SURE_MARGIN = 0.05
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

# Who a message is about: phrases that name a role (checked in order; the first group
# that matches a word counts once).
ROLE_PATTERNS = {
    "report": r"\b(my (direct )?reports?|direct reports?|(one of |someone on |a member of )?my team|"
              r"team members?|my (employee|engineer|developer|designer|analyst)s?|"
              r"people i manage|person i manage|i manage|reports? to me|my staff|my hire)\b",
    "manager": r"\b(my (line |new |old )?(manager|boss|supervisor|lead)|my manager's|my boss's)\b",
    "peer": r"\b(my )?(colleague|co-?worker|peer|teammate)s?\b",
    "senior": r"\b(director|vp|vice president|executive|exec|ceo|cto|board|head of|senior leader)s?\b",
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


def get(situation_id: Optional[str]) -> Optional[Dict]:
    return by_id().get(situation_id) if situation_id else None


@lru_cache(maxsize=None)
def _phrasings() -> Dict[str, List[str]]:
    with open(PHRASINGS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["phrasings"]


def _examples(situation: Dict) -> List[str]:
    """The texts that stand for a situation: its title, when it applies, its example
    descriptions and phrasings, its cues (each and together), and what the mentor says
    about it (steps, objections, the script), which carries its vocabulary."""
    return [situation["title"], situation["applies"], *situation["descriptions"],
            *_phrasings().get(situation["id"], []), *(situation.get("cues") or []),
            " ".join(situation.get("cues") or []),
            *(step["text"] for step in situation["steps"]),
            *(objection["says"] for objection in situation.get("objections") or []),
            situation["script"]]


class _Index:
    """A classifier from a text to the probability of each situation."""

    def __init__(self, situations: Sequence[Dict]):
        self.ids = [s["id"] for s in situations]
        self.who = [set(s.get("who") or []) for s in situations]
        examples, owners = [], []
        for situation in situations:
            for text in _examples(situation):
                examples.append(_clean(text))
                owners.append(situation["id"])
        self.word = TfidfVectorizer(tokenizer=_words, lowercase=False, token_pattern=None,
                                    ngram_range=(1, 2), sublinear_tf=True)
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        features = hstack([self.word.fit_transform(examples),
                           self.char.fit_transform(examples)]).tocsr()
        self.model = LinearSVC(C=REGULARISATION)
        self.model.fit(features, owners)
        order = {situation_id: i for i, situation_id in enumerate(self.model.classes_)}
        self.columns = [order[situation_id] for situation_id in self.ids]

    def known(self, text: str) -> float:
        """The share of the text's content words that occur anywhere in the library."""
        words = content_words(text)
        if not words:
            return 1.0
        vocabulary = self.word.vocabulary_
        return sum(1 for w in words if w in vocabulary) / len(words)

    def similarity(self, text: str) -> np.ndarray:
        """The probability of each situation (library order)."""
        clean = _clean(text)
        if not clean:
            return np.zeros(len(self.ids))
        features = hstack([self.word.transform([clean]), self.char.transform([clean])]).tocsr()
        decision = self.model.decision_function(features)[0][self.columns] * SOFTMAX_SCALE
        weights = np.exp(decision - decision.max())
        return weights / weights.sum()


@lru_cache(maxsize=None)
def _index() -> _Index:
    return _Index(library())


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
    known = _index().known(text)
    short = len(content_words(text)) < SHORT_WORDS and top < SHORT_SURE
    if top >= SURE_SCORE and top - second >= SURE_MARGIN and known >= KNOWN_SURE and not short:
        verdict = "sure"
    elif top >= UNSURE_SCORE and known >= KNOWN_NONE:
        verdict = "unsure"
    else:
        verdict = "none"
    return Match(ranked, verdict)


def best(text: str, earlier: Sequence[str] = ()) -> str:
    """The single likeliest situation (for measurements)."""
    return rank(text, earlier)[0][0]
