"""Labels what a trainee coach says: open_question, closed_question, leading_question,
advice (advice, telling or giving information), reflection, summary or other.

Two parts, both explainable:
1. Clause-level cues (data/practice/labeller.yml) read the form of the final sentence:
   a wh-question or a "tell me more" request is open, an auxiliary-first question is
   closed, a question that carries its own answer ("have you thought about...", "why
   not...", a tag question) is leading. A message that ends in an open question is an
   open question even when it starts with a reflection.
2. A scikit-learn classifier (TF-IDF words and characters plus the cue tokens, logistic
   regression), trained when first needed on data/practice/utterances.yml, decides what
   the form leaves open: statements (advice, reflection, summary, other), "which/where/
   who/when" questions (open or closed) and questions without a question form ("You're
   the team lead now?").
"""
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional, Pattern, Sequence, Tuple

import yaml

from bot.paths import PROJECT_ROOT

DATA_DIR = PROJECT_ROOT / "data" / "practice"
LABELS = ("open_question", "closed_question", "leading_question", "advice", "reflection",
          "summary", "other")
QUESTIONS = ("open_question", "closed_question", "leading_question")
STATEMENTS = ("advice", "reflection", "summary", "other")


@dataclass(frozen=True)
class Reading:
    """The label and why: the final sentence's form and which cues were found."""

    label: str
    form: str
    cues: Tuple[str, ...]
    by: str  # "rule" or "classifier"


def _load(name: str) -> Dict:
    with open(DATA_DIR / f"{name}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=None)
def _cues() -> Dict:
    return _load("labeller")


def _alternation(phrase: str) -> str:
    words = [re.escape(w) for w in phrase.lower().split()]
    return r"(?<![\w'])" + r"\s+".join(words) + r"(?![\w'])"


@lru_cache(maxsize=None)
def _pattern(kind: str, anchored: bool = False) -> Pattern[str]:
    phrases = sorted({p.lower() for p in _cues()[kind]}, key=len, reverse=True)
    body = "|".join(_alternation(p) for p in phrases)
    return re.compile(("^(?:" + body + ")") if anchored else body)


# Texting spellings and apostrophe-less contractions, read as their full forms.
SPELLINGS = {
    "u": "you", "r": "are", "ur": "your", "ya": "you", "wat": "what", "wot": "what",
    "hw": "how", "y": "why", "cuz": "because", "cos": "because", "pls": "please", "plz": "please",
    "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "isnt": "isn't", "arent": "aren't",
    "wasnt": "wasn't", "werent": "weren't", "cant": "can't", "couldnt": "couldn't",
    "wouldnt": "wouldn't", "wont": "won't", "shouldnt": "shouldn't", "havent": "haven't",
    "hasnt": "hasn't", "im": "i'm", "youre": "you're", "youve": "you've", "youll": "you'll",
    "youd": "you'd", "thats": "that's", "whats": "what's", "hows": "how's", "theyre": "they're",
    "ive": "i've", "id": "i'd", "itll": "it'll", "shes": "she's", "hes": "he's",
    "theres": "there's", "lets": "let's", "wanna": "want to", "gonna": "going to",
    "gotta": "have to", "shoudl": "should", "shoud": "should", "shuold": "should", "yuo": "you",
    "teh": "the", "waht": "what",
}
_SPELLING = re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, SPELLINGS)) + r")(?![\w'])", re.I)


def _respell(match: "re.Match[str]") -> str:
    word = match.group(0)
    full = SPELLINGS[word.lower()]
    return full[0].upper() + full[1:] if word[0].isupper() else full


def normalise(text: str) -> str:
    text = (text or "").replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"') \
        .replace("\u201d", '"').replace("\u2014", " - ").replace("\u2013", " - ")
    text = _SPELLING.sub(_respell, text)
    # Transcribed speech: "what- what do you", "so, uh, how- how" read as "what do you".
    text = re.sub(r"\b(\w+)-+\s*(?=\1\b)", "", text, flags=re.I)
    text = re.sub(r"(?<=\w)-+(?=\s)", "", text)
    text = re.sub(r"\b(um+|uh+|erm+|er|uhm+)\b[,.]?\s*", "", text, flags=re.I)
    return re.sub(r"\s+", " ", text).strip()


def sentences(text: str) -> List[str]:
    """Sentences, split after . ! ? (and after a dash before a question, 'So - what...')."""
    parts = re.split(r"(?<=[.!?])\s+|\s+-\s+(?=\w)", normalise(text))
    return [p.strip() for p in parts if re.search(r"\w", p or "")]


def _strip_fillers(sentence: str) -> str:
    """Drop leading discourse words ("So, okay, and what...") and quotes."""
    filler = _pattern("fillers", anchored=True)
    rest = sentence.lower().lstrip("\"'([ ")
    while True:
        match = filler.match(rest)
        if not match:
            return rest
        after = rest[match.end():]
        # "tell me" is a filler only before a question word ("tell me, what ...").
        if match.group(0).startswith("tell me") and not re.match(r"[\s,]*(what|how|why|where|who|when|which)\b", after):
            return rest
        stripped = after.lstrip(" ,.-:;!")
        if stripped == rest:
            return rest
        rest = stripped


def _first_words(sentence: str, count: int = 3) -> List[str]:
    return re.findall(r"[a-z][a-z'\-]*", sentence)[:count]


def _question_clause(final: str) -> str:
    """The clause the question mark belongs to: "If nothing changed, what would..." and
    "You said X - what..." are judged by their last clause when it is a question."""
    body = _strip_fillers(final)
    clauses = [c.strip() for c in re.split(r"[,;:]\s+", body) if c.strip()]
    for clause in reversed(clauses):
        stripped = _strip_fillers(clause)
        words = _first_words(stripped, 1)
        if words and (words[0] in _cues()["wh_open"] or words[0] in _cues()["wh_either"]
                      or words[0] in _cues()["aux"]):
            return stripped
    return body


def form_of(final: str, is_last: bool = True) -> str:
    """The final sentence's form: wh_open, wh_either, wh_closed, open_request, aux, tag,
    bare_question (a '?' without a question form), or statement."""
    final = normalise(final)
    asks = final.rstrip().endswith("?")
    body = _strip_fillers(final)
    bare = final.lower().lstrip("\"'([ ")
    if not asks and any(_pattern("open_imperative", anchored=True).match(b) for b in (body, bare)):
        return "open_request"
    if asks:
        # "You'd agree, wouldn't you?": a statement with a tag question on the end.
        tag = re.search(r"[,-]\s*([a-z' ]+)\?$", final.lower())
        if tag and tag.group(1).strip() in _cues()["tag_question"] and tag.start() > 0:
            return "tag"
    clause = _question_clause(final) if asks else body
    # A transcript may drop the question mark ("what do you think you'll do"); a sentence
    # that ends in a full stop is a statement ("What I'd do is...", "Why don't we: ...").
    unmarked = not asks and not re.search(r"[.!]$", final.rstrip())
    words = _first_words(clause, 2)
    if not words:
        return "statement"
    first = words[0]
    if _pattern("open_request", anchored=True).match(clause) or OPEN_REQUEST.match(clause):
        return "open_request"
    if _pattern("wh_closed", anchored=True).match(clause):
        return "wh_closed" if asks or unmarked else "statement"
    if first in _cues()["wh_open"]:
        return "wh_open" if asks or (unmarked and _wh_question_without_mark(words)) else "statement"
    if first in _cues()["wh_either"]:
        return "wh_either" if asks or (unmarked and _wh_question_without_mark(words)) else "statement"
    if first in _cues()["aux"] and (asks or (unmarked and _aux_question_without_mark(words))):
        return "aux"
    if asks:
        return "bare_question"
    return "statement"


# "Could you say a bit more about...", "would you mind telling me...": asks the person to talk.
OPEN_REQUEST = re.compile(
    r"^(can|could|would|will)\s+you\s+(please\s+|just\s+|maybe\s+)?(mind\s+)?"
    r"((tell|telling)\s+(me|us)|(say|saying)\s+(more|a\s+(bit|little)\s+more|something\s+about|what|how)|"
    r"describe|describing|walk me|talk me|explain|share|expand|unpack|"
    r"elaborate|help me understand|give me an example|paint|fill me in)\b"
    r"|^(would|do|did)\s+you\s+(like|want|mind|care)\s+to\s+(tell|say|talk|share)\s+(me\s+|us\s+)?"
    r"(a\s+(bit|little)\s+)?more\b")

SUBJECTS = {"you", "i", "we", "they", "he", "she", "it", "there", "that", "this", "your", "the",
            "anyone", "anything", "someone", "something", "things"}


CLEFT_SUBJECTS = {"i", "i'm", "i've", "i'd", "you", "you're", "you've", "you'd", "we", "we're",
                  "we've", "they", "they're", "he", "she", "people", "it", "that", "this"}


def _wh_question_without_mark(words: Sequence[str]) -> bool:
    """Transcripts drop question marks: "what do you think you'll do" and "what gets in
    the way" are questions; "what you're describing is..." and "what I'm hearing is..."
    (a wh-word and then the subject) are statements."""
    if len(words) < 2:
        return len(words) == 1
    if re.search(r"'(s|re|d|ve)$", words[0]):
        return True  # "whats been the best part", "how's it going"
    return words[1] not in CLEFT_SUBJECTS


# In a message typed or transcribed without punctuation, a question inside it: a wh-word,
# an auxiliary and a subject ("... what would you want instead").
EMBEDDED_WH = re.compile(
    r"(?<![\w'])(what|how|which|where|who|when|why)(\s+else)?\s+(do|did|does|would|could|will|"
    r"can|are|is|was|were|have|has|might|should|'s|is)\s+(you|i|we|they|it|that|this|things|"
    r"there|your|the)(?![\w'])|(?<![\w'])(what's|how's|what'd|how'd|what're)\s+(going|happening|"
    r"been|the|that|it|your|stopping|getting|holding)(?![\w'])")
NEGATIVE_AUX = re.compile(r"(?<![\w'])(wouldn't|isn't|don't|shouldn't|couldn't|won't|aren't)\s+"
                          r"(it|you|that|this|there)(?![\w'])")


def _aux_question_without_mark(words: Sequence[str]) -> bool:
    return len(words) >= 2 and words[1] in SUBJECTS


def cue_tokens(text: str) -> List[str]:
    """Cue names found in the message and in its final sentence, as classifier tokens."""
    parts = sentences(text)
    final = parts[-1] if parts else ""
    tokens = ["__form_" + form_of(final)] if final else ["__empty"]
    low, final_low = normalise(text).lower(), _strip_fillers(final)
    for kind in ("advice", "reflection", "summary", "leading"):
        if _pattern(kind).search(low):
            tokens.append(f"__{kind}_any")
        if _pattern(kind).search(final_low):
            tokens.append(f"__{kind}_final")
    for index, sentence in enumerate(parts):
        start = _first_words(_strip_fillers(sentence), 1)
        if start and start[0] in _cues()["imperative"] and form_of(sentence) == "statement":
            tokens.append("__imperative_start" + ("_final" if index == len(parts) - 1 else ""))
        if _pattern("reflection", anchored=True).match(_strip_fillers(sentence)):
            tokens.append("__reflection_start")
    if re.match(r"^(so|okay|ok|right|mm)\b", low):
        tokens.append("__so_start")
    if low.startswith("you") or low.startswith("so you"):
        tokens.append("__you_start")
    if len(parts) >= 3:
        tokens.append("__many_sentences")
    if low.count(",") >= 2:
        tokens.append("__many_commas")
    words = len(low.split())
    tokens.append("__len_" + ("1" if words <= 2 else "short" if words <= 6 else "mid" if words <= 15 else "long"))
    return tokens


def _features(text: str) -> str:
    return normalise(text).lower() + " " + " ".join(cue_tokens(text))


def training_items() -> List[Tuple[str, str]]:
    """(text, label) from every data/practice/utterances*.yml."""
    items = []
    for path in sorted(DATA_DIR.glob("utterances*.yml")):
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        unknown = set(data) - set(LABELS)
        if unknown:
            raise ValueError(f"{path.name}: unknown labels {sorted(unknown)}")
        for label in LABELS:
            for text in data.get(label) or []:
                if not isinstance(text, str):
                    raise ValueError(f"{path.name}: {label}: not a plain string (quote it): {text!r}")
                items.append((text, label))
    return items


_MODEL_LOCK = threading.Lock()
_MODEL: List = []


def classifier():
    """The trained classifier, trained once per process (about a second) on first use."""
    with _MODEL_LOCK:
        if not _MODEL:
            _MODEL.append(train())
        return _MODEL[0]


def warm_up() -> None:
    """Train in the background, so the first labelled message does not wait for it."""
    threading.Thread(target=classifier, name="practice-labeller-warm-up", daemon=True).start()


def train(items: Optional[List[Tuple[str, str]]] = None):
    """TF-IDF (word 1-3 grams with the cue tokens, character 2-5 grams) + logistic regression
    (liblinear, one-vs-rest), on `items` or every training utterance."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    items = training_items() if items is None else items
    model = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 3), token_pattern=r"[\w']+", sublinear_tf=True, min_df=1),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        ),
        LogisticRegression(C=8.0, solver="liblinear", class_weight="balanced"),
    )
    model.fit([_features(t) for t, _ in items], [label for _, label in items])
    return model


def _classify(text: str, allowed: Sequence[str]) -> str:
    model = classifier()
    probabilities = model.predict_proba([_features(text)])[0]
    ranked = sorted(zip(model.classes_, probabilities), key=lambda pair: -pair[1])
    return next(label for label, _ in ranked if label in allowed)


def read(text: str) -> Reading:
    """The label of one message and the reason for it."""
    parts = sentences(text)
    if not parts:
        return Reading("other", "empty", (), "rule")
    final = parts[-1]
    form = form_of(final)
    cues = tuple(cue_tokens(text))
    body = _strip_fillers(final)
    if form in ("wh_open", "wh_either", "wh_closed", "aux"):
        # A leading cue counts where the question starts ("Have you tried...?", "Why not...?",
        # "What if you...?"): "What have you tried so far?" is open. The clause is the one
        # the question mark belongs to: "What if you woke up tomorrow and it was solved,
        # what would be different?" is open.
        clause = _question_clause(final)
        if any(_pattern("leading", anchored=True).match(c) for c in (clause,)) \
                or _pattern("leading_anywhere").search(body):
            return Reading("leading_question", form, cues, "rule")
    elif form == "statement" and not re.search(r"[.!]$", final) \
            and _pattern("leading", anchored=True).match(body) and _leading_opener(body):
        # "why not just ask for a raise", typed without a question mark.
        return Reading("leading_question", form, cues, "rule")
    elif form == "bare_question" and (_pattern("leading").search(body) or _pattern("advice").search(body)):
        # "Maybe you could try meditating?": advice put as a question.
        return Reading("leading_question", form, cues, "rule")
    if form == "statement" and "?" not in text and not re.search(r"[.!]$", final):
        # No punctuation at all: a question may sit inside the last sentence.
        low = body
        if _pattern("leading_anywhere").search(low) or NEGATIVE_AUX.search(low):
            return Reading("leading_question", "unmarked", cues, "rule")
        embedded = list(EMBEDDED_WH.finditer(low))
        if embedded and not _pattern("leading").search(low[embedded[-1].start():]):
            return Reading("open_question", "unmarked", cues, "rule")
    if form == "tag":
        return Reading("leading_question", form, cues, "rule")
    if form in ("wh_open", "open_request"):
        return Reading("open_question", form, cues, "rule")
    if form == "wh_closed":
        return Reading("closed_question", form, cues, "rule")
    if form == "wh_either":
        return Reading(_classify(text, ("open_question", "closed_question")), form, cues, "classifier")
    if form == "aux":
        return Reading("closed_question", form, cues, "rule")
    if form == "bare_question":
        return Reading(_classify(text, ("closed_question", "leading_question", "reflection")),
                       form, cues, "classifier")
    if STRONG_ADVICE.search(text.lower()):
        # A sentence that opens by telling ("You should just ask...") is advice, whatever
        # reflective words follow it ("...for what you want").
        return Reading("advice", form, cues, "rule")
    return Reading(_classify(text, STATEMENTS), form, cues, "classifier")


STRONG_ADVICE = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:so|well|honestly|ok|okay|look|i think|i really think|maybe)[,]?\s+)?"
    r"(?:you (?:should|shouldn't|need to|have to|must|ought to|'d better|had better)|"
    r"i (?:suggest|recommend|advise)|my advice|if i were you|just (?:ask|tell|talk|go|do|say))\b")


def _leading_opener(body: str) -> bool:
    """A leading cue that can only open a question ("why not", "have you thought about"),
    not one that also opens a statement ("isn't", "surely")."""
    words = _first_words(body, 1)
    return bool(words) and (words[0] in _cues()["aux"] or words[0] in _cues()["wh_open"])


def label(text: str) -> str:
    return read(text).label
