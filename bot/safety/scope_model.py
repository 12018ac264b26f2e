"""A referral classifier for questions the scope patterns miss ("is it smart to buy
nvidia shares now?"): TF-IDF and a multi-class logistic regression (scikit-learn),
trained on data/content/scope_training.yml, the development half of the independent
scope set, and every other NLU example as "none", so ordinary coaching and mentoring
questions stay in scope. Its guess counts only at SURE or above.
"""
from functools import lru_cache
from typing import List, Optional, Tuple

import yaml

from bot.content import load
from bot.paths import PROJECT_ROOT
from bot.safety import model_cache
from bot.safety.text import fold

NONE = "none"
# Chosen by five-fold cross-validation on the dev half (bench/safety_tune.py --scope).
SURE = 0.5


def training_rows(exclude_ids: frozenset = frozenset()) -> List[Tuple[str, str]]:
    from bot.safety.classifier import _LOADER, _corpus_rows, nlu_examples_by_intent

    # Everything people ask a coach or mentor is "none"; the NLU's own out-of-scope and
    # crisis examples are neither, so they are left out.
    rows = [(text, NONE) for text, intent in nlu_examples_by_intent()
            if intent not in ("ask_out_of_scope", "express_distress")]
    for kind, texts in load("scope_training").items():
        rows += [(text, kind) for text in texts]
    # Everyday requests and work look-alikes need no professional either (the host's
    # general line answers them): the corpus's and the dev half's.
    rows += [(text, NONE) for text, crisis in _corpus_rows() if not crisis]
    folder = PROJECT_ROOT / "tests" / "data" / "safety_eval"
    for name in ("scope", "everyday", "lookalikes"):
        path = folder / f"{name}.yml"
        if not path.exists():
            continue
        items = (yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}).get("items") or []
        rows += [(item["text"], item["kind"] if name == "scope" and item["kind"] != "in_scope" else NONE)
                 for item in items if item.get("split") == "dev" and item["id"] not in exclude_ids]
    return rows


def train(rows: List[Tuple[str, str]]):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
    )
    pipeline = make_pipeline(features, LogisticRegression(C=8.0, class_weight="balanced", max_iter=3000))
    pipeline.fit([fold(text) for text, _ in rows], [label for _, label in rows])
    return pipeline


@lru_cache(maxsize=None)
def model():
    """The trained model (cached on disk while its training data is unchanged)."""
    return model_cache.cached("referral", training_rows(), "tfidf+lr balanced C=8", train)


def scores(clean: str, fitted=None):
    fitted = fitted or model()
    return dict(zip(fitted.classes_, fitted.predict_proba([clean])[0]))


def classify(clean: str, fitted=None, sure: float = None) -> Optional[str]:
    """The referral kind for folded text, or None."""
    ranked = sorted(scores(clean, fitted).items(), key=lambda kv: -kv[1])
    kind, probability = ranked[0]
    return kind if kind != NONE and probability >= (SURE if sure is None else sure) else None
