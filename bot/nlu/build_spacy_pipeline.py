"""Builds the project's own spaCy pipeline (no model download exists offline).

blank English + lookup lemmatizer (tables from spacy-lookups-data) + an EntityRuler whose
lemma patterns tag `topic` entities, with the canonical topic value as the pattern id
(marked generic for topics.yml's generic_phrases; see bot/topics.py pattern_id).
Rasa's SpacyNLP lowercases text before calling spaCy, so patterns are built lowercase.

    python -m bot.nlu.build_spacy_pipeline [output_dir]
"""
import sys
from pathlib import Path
from typing import Dict, List

import spacy
from spacy.language import Language

from bot.paths import SPACY_PIPELINE_DIR
from bot.topics import generic_phrases, pattern_id, topic_phrases


def _lemma_pattern(nlp: Language, phrase: str) -> List[Dict]:
    doc = nlp(phrase.lower())
    return [{"LEMMA": token.lemma_} for token in doc]


def _phrase_patterns(nlp: Language, phrase: str, ent_id: str) -> List[Dict]:
    surface = [{"LOWER": t.text} for t in nlp.make_doc(phrase.lower())]
    patterns = [{"label": "topic", "pattern": surface, "id": ent_id}]
    lemmas = _lemma_pattern(nlp, phrase)
    # Only base forms get a lemma pattern: "meeting" lemmatises to "meet", which
    # would tag "nice to meet you" as a meetings topic.
    if [p["LEMMA"] for p in lemmas] == [p["LOWER"] for p in surface]:
        patterns.append({"label": "topic", "pattern": lemmas, "id": ent_id})
    return patterns


def build(output_dir: Path = SPACY_PIPELINE_DIR) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup tables from spacy-lookups-data
    patterns = []
    for generic, table in ((False, topic_phrases()), (True, generic_phrases())):
        for value, phrases in table.items():
            for phrase in phrases:
                patterns += _phrase_patterns(nlp, phrase, pattern_id(value, generic))
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(patterns)
    output_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output_dir)
    return nlp


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SPACY_PIPELINE_DIR
    built = build(target)
    print(f"spaCy pipeline {built.pipe_names} written to {target}")
