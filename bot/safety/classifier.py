"""A small risk classifier beside the lexicon: it catches wordings no pattern lists.

scikit-learn (installed with Rasa): TF-IDF over character and word n-grams of folded text,
and a logistic regression. It trains in about a second on the project's own data the
first time it is needed (nothing is downloaded): crisis sentences are the lexicon's
examples, the NLU's express_distress examples and data/content/safety_training.yml; the
rest of the NLU data and the look-alikes are not. Its guess counts only with a word of
harm, death or despair in the message (safety_lexicon.yml's classifier_cues), and only
above THRESHOLD, chosen from measured precision and recall (make safety-report).
"""
import re
from functools import lru_cache
from typing import List, Tuple

import yaml

from bot.content import load
from bot.paths import PROJECT_ROOT
from bot.safety import lexicon
from bot.safety.text import fold

# Chosen on the development half of tests/data/safety_eval (make safety-report).
THRESHOLD = 0.6
_ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")
_SENTENCE = re.compile(r"(?<=[.!?\n])\s+")


def _nlu_examples() -> List[Tuple[str, bool]]:
    rows = []
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for line in block.get("examples", "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = _ANNOTATION.sub(lambda m: m.group(1) or m.group(2), line[2:])
                    rows.append((text, block["intent"] == "express_distress"))
    return rows


def training_rows() -> List[Tuple[str, bool]]:
    rows = _nlu_examples()
    for patterns in lexicon.crisis_patterns().values():
        rows += [(example, True) for _, example in patterns]
    rows += [(example, False) for _, example in lexicon.exclusion_patterns()]
    extra = load("safety_training")
    rows += [(text, True) for text in extra["crisis"]] + [(text, False) for text in extra["not_crisis"]]
    return rows


@lru_cache(maxsize=None)
def model():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    rows = training_rows()
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1),
    )
    pipeline = make_pipeline(features, LogisticRegression(C=8.0, class_weight="balanced", max_iter=3000))
    pipeline.fit([fold(text) for text, _ in rows], [int(label) for _, label in rows])
    return pipeline


def probability(text: str) -> float:
    """How likely the text is a crisis: the whole text and, for a long one, its most
    worrying sentence (a crisis sentence inside a long work story)."""
    pieces = [text] + ([s for s in _SENTENCE.split(text) if s.strip()] if len(text) > 200 else [])
    scores = model().predict_proba([fold(piece) for piece in pieces])[:, 1]
    return float(max(scores))


def is_crisis(text: str) -> bool:
    return lexicon.has_distress_cue(text) and probability(text) >= THRESHOLD
