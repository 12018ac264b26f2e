"""Choose the risk classifier's thresholds by cross-validation on the DEV half only.

Five folds over the dev half of tests/data/safety_eval: each fold's items are left out of
training (with everything else the classifier learns from) and read as the bot would
(lexicon first, then the classifier). Prints recall on crises and false alarms on
look-alikes and everyday requests for each pair (threshold with a cue word, threshold
without). The evaluation half is never read.
"""
import random
from typing import Dict, List

from bot.safety import classifier, lexicon
from bench.safety_report import load

FOLDS = 5


def dev_items() -> List[Dict]:
    rows = []
    for name, kind in (("crisis", True), ("crisis_long", True), ("lookalikes", False), ("everyday", False)):
        rows += [{"id": i["id"], "text": i["text"], "crisis": kind, "set": name,
                  "category": i.get("category"), "lang": i.get("lang", "en")}
                 for i in load(name)["items"] if i.get("split") == "dev"]
    rows += [{"id": i["id"], "text": " ".join(i["messages"]), "crisis": True, "set": "crisis_split",
              "category": i.get("category"), "lang": i.get("lang", "en")}
             for i in load("crisis_split")["items"] if i.get("split") == "dev"]
    for name in classifier.SAFE_CONVERSATION_SETS:
        rows += [{"id": i["id"], "text": i["text"], "crisis": False, "set": name,
                  "category": None, "lang": "en"} for i in load(name)["items"] if i.get("split") == "dev"]
    return rows


def cross_validated(rows: List[Dict]) -> List[tuple]:
    """(row, lexicon found a category, classifier text, held-out probability) for every row."""
    rows = list(rows)
    random.Random(0).shuffle(rows)
    scored = []
    for fold in range(FOLDS):
        held = [row for index, row in enumerate(rows) if index % FOLDS == fold]
        fitted = classifier.train(classifier.training_rows(frozenset(r["id"] for r in held)))
        for row in held:
            lex = bool(lexicon.categories_in(row["text"]))
            # What the classifier reads at run time: look-alike idioms cut out.
            rest = lexicon.classifier_text(row["text"])
            scored.append((row, lex, rest, classifier.probability(rest, fitted) if rest else 0.0))
    return scored


def main() -> None:
    scored = cross_validated(dev_items())
    crises = [s for s in scored if s[0]["crisis"]]
    looks = [s for s in scored if s[0]["set"] == "lookalikes"]
    everyday = [s for s in scored if s[0]["set"] == "everyday"]
    print(f"dev, {FOLDS}-fold: {len(crises)} crises, {len(looks)} look-alikes, {len(everyday)} everyday")
    # The direct question's thresholds (THRESHOLD, SURE_WITHOUT_CUE) and the full protocol's
    # (FULL_THRESHOLD, FULL_WITHOUT_CUE) are both read from this table.
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
        for sure in (0.8, 0.9, 0.95, 0.98, 1.01):
            if sure < threshold:
                continue

            def by_classifier(s):
                row, lex, rest, p = s
                return classifier.judge(row["text"], rest, p, threshold, sure)

            def alarm(s):
                return s[1] or by_classifier(s)
            recall = sum(map(alarm, crises)) / len(crises)
            # The lexicon was tuned on these very items: the classifier's own recall says
            # more about wording nobody has seen.
            alone = sum(map(by_classifier, crises)) / len(crises)
            fa_look = sum(map(alarm, looks)) / len(looks)
            fa_every = sum(map(alarm, everyday)) / len(everyday)
            talk = [s for s in scored if s[0]["set"] in classifier.SAFE_CONVERSATION_SETS]
            fa_talk = sum(map(alarm, talk)) / max(1, len(talk))
            print(f"  cue>={threshold} no-cue>={sure}: recall {recall:.3f} (classifier alone {alone:.3f})  "
                  f"look-alikes {fa_look:.3f}  everyday {fa_every:.3f}  safe conversation {fa_talk:.3f}")
            if (threshold, sure) == (classifier.THRESHOLD, classifier.SURE_WITHOUT_CUE):
                for key in ("category", "lang"):
                    counts: Dict[str, List[int]] = {}
                    for s in crises:
                        counts.setdefault(s[0][key], [0, 0])
                        counts[s[0][key]][0] += by_classifier(s)
                        counts[s[0][key]][1] += 1
                    print("      classifier alone by " + key + ": " +
                          ", ".join(f"{k} {h}/{n}" for k, (h, n) in sorted(counts.items())))


def tune_scope() -> None:
    """The referral classifier's SURE, by five-fold cross-validation on the dev half."""
    from bot.safety import scope, scope_model
    from bot.safety.text import fold

    items = [i for i in load("scope")["items"] if i.get("split") == "dev"]
    random.Random(0).shuffle(items)
    scored = []
    for fold_index in range(FOLDS):
        held = [item for index, item in enumerate(items) if index % FOLDS == fold_index]
        fitted = scope_model.train(scope_model.training_rows(frozenset(i["id"] for i in held)))
        scored += [(item, scope_model.scores(fold(item["text"]), fitted)) for item in held]
    print(f"referrals, dev {FOLDS}-fold: {len(scored)} items")
    for sure in (0.4, 0.5, 0.6, 0.7, 0.8):
        right = wrong_referrals = 0
        for item, found in scored:
            patterns = scope._patterns()
            clean = fold(item["text"])
            kind = next((k for k, pats in patterns.items() if any(p.search(clean) for p in pats)), None)
            if kind is None:
                best = max(found.items(), key=lambda kv: kv[1])
                kind = best[0] if best[0] != scope_model.NONE and best[1] >= sure else None
            right += (kind or "in_scope") == item["kind"]
            wrong_referrals += item["kind"] == "in_scope" and kind is not None
        alone = [(item, max(found.items(), key=lambda kv: kv[1])) for item, found in scored]
        alone_right = sum(((b[0] if b[0] != scope_model.NONE and b[1] >= sure else "none") ==
                           (item["kind"] if item["kind"] != "in_scope" else "none")) for item, b in alone)
        alone_wrong = sum(item["kind"] == "in_scope" and b[0] != scope_model.NONE and b[1] >= sure
                          for item, b in alone)
        print(f"  sure>={sure}: right {right}/{len(scored)}  in-scope questions referred {wrong_referrals}"
              f"  (classifier alone: right {alone_right}, in-scope referred {alone_wrong})")


if __name__ == "__main__":
    import sys

    tune_scope() if "--scope" in sys.argv else main()
