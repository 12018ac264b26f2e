"""A small risk classifier beside the lexicon: it catches wordings no pattern lists.

scikit-learn (installed with Rasa): TF-IDF over character and word n-grams of folded text,
and a logistic regression. It trains in about a second on the project's own data the
first time it is needed (nothing is downloaded): crisis sentences are the lexicon's
examples, the NLU's express_distress examples and data/content/safety_training.yml; the
rest of the NLU data and the look-alikes are not; plus a larger corpus written for it
(safety_training_corpus.yml) and the development half of the independent safety sets.
Its guess is graded (tier): the full protocol above FULL_THRESHOLD with a word of harm
itself in the message (safety_lexicon.yml's harm_cues), above FULL_WITHOUT_CUE with no cue
at all, or above EXPLICIT_THRESHOLD with an explicit word; a direct question first above
THRESHOLD with a broader cue (classifier_cues) or SURE_WITHOUT_CUE without one.
"""
import logging
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import List, Optional, Tuple

import yaml

from bot.content import load
from bot.paths import PROJECT_ROOT
from bot.safety import lexicon, model_cache
from bot.safety.text import fold

# Chosen by five-fold cross-validation on the development half of tests/data/safety_eval
# (python -m bench.safety_tune), reading the classifier's own recall because the lexicon
# was tuned on those items. First on crises, look-alikes and everyday requests only: with
# a word of harm, death or despair from 0.5, without one from 0.9 (third corpus: classifier alone
# 0.92 of crises, look-alike false alarms 1.8% with the lexicon, everyday requests 0%;
# 0.6/0.9 catches 0.906 at the same alarms, 0.5/0.8 catches 0.948 but alarms on 3.7% of
# look-alikes and 0.7% of everyday requests (over the 0.5% target).
# With an explicit word of suicide, dying or self-harm (safety_lexicon.yml's explicit_cues,
# the issue asks for 98% of those) the guess counts from 0.3: dev CV explicit crises 36/38
# -> 38/38 for the classifier alone, no more alarms (0.2 the same, 0.4 37/38).
EXPLICIT_THRESHOLD = 0.3
# Thresholds chosen on crises, look-alike idioms and everyday requests alone (0.5 with a
# cue, 0.9 without) started the full protocol on 7-13% of the safe messages of real
# coaching conversations (tests/data/safety_eval/conversations.yml and emotional_safe.yml:
# feelings, decisions, breakups, resignations), and an evaluator's coachee was sent to a
# crisis line sixteen times. So the classifier now grades (dev 5-fold CV with those sets,
# python -m bench.safety_tune, 3 Dec 2026):
# - the full protocol at once from 0.9 with a word of harm itself (safety_lexicon.yml's
#   harm_cues), 0.98 without any cue, or 0.3 with an explicit word: with the lexicon 194 of
#   213 dev crises, safe conversation 2/412, look-alikes 0/164;
# - a direct question first ("are you thinking about ending your life, or is someone
#   hurting you?" with a helpline, risk level "concern", once a session) where the single
#   threshold used to start the protocol (0.5 with a cue, 0.9 without), so nothing caught
#   before goes unasked: protocol or question on 211/213 dev crises, safe conversation
#   28/412 asked (0.7/0.95: 208/213 and 18/412).
# (Those figures from the five-fold CV scores of bench.safety_tune's procedure. Two evaluators over REST had the
# protocol started by managers' plain descriptions, "I've gone quiet in meetings", and a
# question by "I have a 1:1 with him Wednesday" read alone: see probability().)
FULL_THRESHOLD = 0.9
FULL_WITHOUT_CUE = 0.98
THRESHOLD = 0.5
SURE_WITHOUT_CUE = 0.9
logger = logging.getLogger(__name__)
# libyaml's parser when PyYAML has it: the training files are large.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PARAMS = {"C": 8.0, "class_weight": "balanced", "max_iter": 3000}
_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")
_SENTENCE = re.compile(r"(?<=[.!?\n])\s+")


def _nlu_examples() -> List[Tuple[str, bool]]:
    return [(text, intent == "express_distress") for text, intent in nlu_examples_by_intent()]


def nlu_examples_by_intent() -> List[Tuple[str, str]]:
    """(text, intent) for every NLU training example, entity annotations removed."""
    rows = []
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for block in (yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for line in block.get("examples", "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2), line[2:])
                    rows.append((text, block["intent"]))
    return rows


def corpus_files() -> List[Path]:
    return sorted((PROJECT_ROOT / "data" / "content").glob("safety_training_corpus*.yml"))


def _corpus_rows() -> List[Tuple[str, bool]]:
    """The larger training corpora (safety_training_corpus*.yml), written apart from the
    evaluation sets."""
    rows: List[Tuple[str, bool]] = []
    for path in corpus_files():
        try:
            corpus = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        except yaml.YAMLError:
            # A corpus being edited must not take safety down; tests/unit/test_safety.py
            # fails on any corpus that does not parse.
            logger.warning("Skipping %s: not valid YAML", path.name)
            continue
        rows += [(item["text"], True) for item in corpus.get("crisis") or []]
        rows += [(item["text"], False) for item in corpus.get("not_crisis") or []]
    return rows


def dev_rows(exclude_ids: frozenset = frozenset()) -> List[Tuple[str, bool]]:
    """The development half of tests/data/safety_eval: the half meant for tuning, so the
    model learns from it; the evaluation half is never read here."""
    folder = PROJECT_ROOT / "tests" / "data" / "safety_eval"
    if not folder.exists():
        return []

    def items(name: str, key: str = "items") -> List[dict]:
        data = yaml.load((folder / f"{name}.yml").read_text(encoding="utf-8"), Loader=_LOADER) or {}
        return [item for item in data.get(key) or []
                if item.get("split") == "dev" and item.get("id") not in exclude_ids]

    rows = [(item["text"], True) for name in ("crisis", "crisis_long") for item in items(name)]
    rows += [(" ".join(item["messages"]), True) for item in items("crisis_split")]
    rows += [(item["text"], False) for name in ("lookalikes", "everyday") for item in items(name)]
    # Safe messages from real coaching and mentoring conversations (feelings, decisions,
    # breakups, resignations): the classifier's costliest false alarms.
    # An idiom with an explicit word ("I'll die of embarrassment") is left out: the
    # look-alike cut handles those, and learning them as safe lowered explicit crises.
    rows += [(item["text"], False) for name in SAFE_CONVERSATION_SETS
             if (folder / f"{name}.yml").exists() for item in items(name)
             if not lexicon.has_explicit_words(item["text"])]
    return rows


SAFE_CONVERSATION_SETS = ("conversations", "emotional_safe")


def work_descriptions() -> List[str]:
    """Long descriptions of work situations, the bot's everyday input, none a crisis: the
    mentor's situation phrasings and the dev half of the situation descriptions."""
    texts: List[str] = []
    phrasings = PROJECT_ROOT / "data" / "content" / "situation_phrasings.yml"
    if phrasings.exists():
        for items in ((yaml.load(phrasings.read_text(encoding="utf-8"), Loader=_LOADER) or {})
                      .get("phrasings") or {}).values():
            texts += [str(text) for text in items or []]
    # What coaching clients say (the coach's own sentences and the independent client
    # sentences the reflection test reads): none is a crisis.
    for name in ("coach_reflection_own.yml", "client_sentences.yml"):
        path = PROJECT_ROOT / "tests" / "data" / name
        if path.exists():
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
            lists = [value for value in data.values() if isinstance(value, list)]
            texts += [str(item["text"]) for items in lists for item in items
                      if isinstance(item, dict) and item.get("text")]
    described = PROJECT_ROOT / "tests" / "data" / "situation_descriptions.yml"
    if described.exists():
        texts += [item["text"] for item in (yaml.load(described.read_text(encoding="utf-8"),
                                                      Loader=_LOADER) or {}).get("items") or []
                  if item.get("split") == "dev"]
    return texts


def training_rows(exclude_ids: frozenset = frozenset()) -> List[Tuple[str, bool]]:
    rows = _nlu_examples() + _corpus_rows() + dev_rows(exclude_ids)
    rows += [(text, False) for text in work_descriptions()]
    for patterns in lexicon.crisis_patterns().values():
        rows += [(example, True) for _, example in patterns]
    rows += [(example, False) for _, example in lexicon.exclusion_patterns()]
    extra = load("safety_training")
    rows += [(text, True) for text in extra["crisis"]] + [(text, False) for text in extra["not_crisis"]]
    # A negative the lexicon already reads as a crisis ("lol i wanna die, i called my boss
    # mom") starts the protocol whatever the classifier says: learning it as "not a crisis"
    # would only teach the classifier that explicit words with a "lol" are safe.
    return [(text, label) for text, label in rows if label or not lexicon.categories_in(text)]


def train(rows: List[Tuple[str, bool]]):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1),
    )
    pipeline = make_pipeline(features, LogisticRegression(**_PARAMS))
    pipeline.fit([fold(text) for text, _ in rows], [int(label) for _, label in rows])
    return pipeline


@lru_cache(maxsize=None)
def model():
    """The trained model (cached on disk while its training data is unchanged)."""
    return model_cache.cached("risk", training_rows(), _PARAMS, train)


class _Scorer:
    """The fitted pipeline's own probability, computed for one text at a time without
    scikit-learn's per-call validation (about 10 ms a message; this takes well under 1 ms):
    the vectorizers' analyzers, vocabularies and idf weights, sublinear tf, l2 norm per
    block, then the logistic regression's weights. Equal to predict_proba (unit-tested)."""

    def __init__(self, pipeline) -> None:
        union, regression = pipeline.steps[0][1], pipeline.steps[-1][1]
        self.blocks = []
        offset = 0
        for _, vectorizer in union.transformer_list:
            size = len(vectorizer.vocabulary_)
            self.blocks.append((vectorizer.build_analyzer(), vectorizer.vocabulary_,
                                vectorizer.idf_, offset))
            offset += size
        self.coef = regression.coef_[0]
        self.intercept = float(regression.intercept_[0])

    def __call__(self, clean: str) -> float:
        total = self.intercept
        for analyze, vocabulary, idf, offset in self.blocks:
            counts: dict = {}
            for gram in analyze(clean):
                index = vocabulary.get(gram)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            weights = {i: (1.0 + math.log(c)) * idf[i] for i, c in counts.items()}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            if norm:
                total += sum(w * self.coef[offset + i] for i, w in weights.items()) / norm
        return 1.0 / (1.0 + math.exp(-total))


@lru_cache(maxsize=None)
def _scorer() -> _Scorer:
    return _Scorer(model())


@lru_cache(maxsize=4096)
def _score(clean: str) -> float:
    return _scorer()(clean)


# A message longer than this is also read sentence by sentence (a crisis sentence inside a
# long work story).
SPLIT_LONGER_THAN = 200


def probability(text: str, fitted=None) -> float:
    """How likely the text is a crisis: the whole text and, for a long one, its most
    worrying sentence (a crisis sentence inside a long work story)."""
    # Only a sentence with a word of harm, death or despair counts on its own: alone, "I have
    # a 1:1 with him Wednesday." reads like a plan (0.94) and asked a manager describing a
    # report's missed deadlines whether they were thinking of ending their life.
    pieces = [text] + ([s for s in _SENTENCE.split(text) if s.strip() and lexicon.has_distress_cue(s)]
                       if len(text) > SPLIT_LONGER_THAN else [])
    if fitted is not None:
        return float(max(fitted.predict_proba([fold(piece) for piece in pieces])[:, 1]))
    return max(_score(fold(piece)) for piece in pieces)


# Without a cue word the classifier decides only for a message of at least this many words:
# on "I don't know" or "idk" its guess says nothing.
MIN_WORDS_WITHOUT_CUE = 5


def decide(text: str, probability_: float, threshold: float = None, sure: float = None) -> bool:
    """Without a word of harm, death or despair the classifier must be surer, and the
    message long enough to judge."""
    threshold = THRESHOLD if threshold is None else threshold
    sure = SURE_WITHOUT_CUE if sure is None else sure
    if lexicon.has_explicit_words(text):
        return probability_ >= min(threshold, EXPLICIT_THRESHOLD)
    if lexicon.has_distress_cue(text):
        return probability_ >= threshold
    return probability_ >= sure and len(text.split()) >= MIN_WORDS_WITHOUT_CUE


def judge(text: str, rest: str, probability_: float, threshold: float = None,
          sure: float = None) -> bool:
    """The decision on `rest`, the text with its look-alike idioms cut out (see
    lexicon.classifier_text): an idiom never starts the protocol and never hides the rest
    of the message, but what is left after one must convince the classifier on its own."""
    if not rest:
        return False
    sure = SURE_WITHOUT_CUE if sure is None else sure
    if rest != text:
        # What is left beside an idiom is a fragment ("i don't see the | "): it counts
        # only with a word of harm in it, and only when the classifier is sure.
        return lexicon.has_distress_cue(rest) and probability_ >= sure
    return decide(rest, probability_, threshold, sure)


def is_sure(text: str) -> bool:
    """The classifier alone is sure, whatever words the text holds (the recent messages
    read together)."""
    rest = lexicon.classifier_text(text)
    sure = SURE_WITHOUT_CUE if lexicon.has_explicit_words(rest) else FULL_WITHOUT_CUE
    return bool(rest) and judge(text, rest, probability(rest) if rest else 0.0, sure, sure)


CRISIS, ASK = "crisis", "ask"


def tier(text: str) -> Optional[str]:
    """"crisis" (the full protocol), "ask" (a direct question first) or None."""
    rest = lexicon.classifier_text(text)
    if not rest:
        return None
    p = probability(rest)
    # The full protocol from a broad cue alone needs a word of harm itself ("gone", "in front
    # of", "take it" are cues too; with only those it asks first).
    if judge(text, rest, p, FULL_THRESHOLD, FULL_WITHOUT_CUE) and (
            lexicon.has_explicit_words(rest) or lexicon.has_harm_words(rest)
            or not lexicon.has_distress_cue(rest)):
        return CRISIS
    if judge(text, rest, p):
        # An explicit word of suicide, dying or self-harm is explicit risk: the protocol at once.
        return CRISIS if lexicon.has_explicit_words(rest) else ASK
    return None


def is_crisis(text: str) -> bool:
    return tier(text) == CRISIS
