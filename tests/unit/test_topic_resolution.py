"""Which topic a message is about when it names more than one: "my manager" and other
generic phrases (topics.yml generic_phrases) give way to a specific topic, and count alone
only with the role that keeps them from replacing the conversation's topic."""
import pytest

from bot.nlu.build_spacy_pipeline import build
from bot.topics import GENERIC_ROLE

CASES = [
    ("my manager keeps cancelling our one-on-ones", "meetings", False),
    ("my manager won't discuss my promotion", "promotion", False),
    ("I asked my manager for feedback like we discussed", "feedback", False),
    ("how do I handle a disagreement with my boss?", "conflict", False),
    ("my boss would kill me if I missed another deadline", "time_management", False),
    ("pretend you're my manager and I'll ask for a raise", "negotiation", False),
    ("my boss takes credit for my work", "managing_up", False),
    ("he took the credit for my ideas again", "managing_up", False),
    ("I feel micromanaged by my boss", "managing_up", False),
    ("my new manager doesn't trust me", "managing_up", False),
    ("how do I manage up?", "managing_up", False),
    ("my manager is hard to read", "managing_up", True),
    ("I want more recognition for what I do", "managing_up", True),
    ("how do I delegate without micromanaging?", "delegation", False),
    ("I'm a new manager and my team is struggling", "leadership", False),
]


@pytest.fixture(scope="module")
def parse(tmp_path_factory):
    from rasa.nlu.constants import SPACY_DOCS
    from rasa.shared.nlu.constants import ENTITIES, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.topic_normalizer import TopicNormalizer

    nlp = build(tmp_path_factory.mktemp("spacy"))

    def run(text):
        # What SpacyNLP + SpacyEntityExtractor hand the normaliser (text lowercased).
        doc = nlp(text.lower())
        entities = [{"entity": ent.label_, "value": ent.text, "start": ent.start_char,
                     "end": ent.end_char} for ent in doc.ents]
        message = Message(data={TEXT: text, ENTITIES: entities, SPACY_DOCS[TEXT]: doc})
        TopicNormalizer().process([message])
        return message.get(ENTITIES)

    return run


@pytest.mark.parametrize("text, topic, generic", CASES)
def test_the_specific_topic_wins(parse, text, topic, generic):
    entities = parse(text)
    assert entities[0]["value"] == topic, entities
    assert (entities[0].get("role") == GENERIC_ROLE) is generic
    assert all(e["value"] == topic for e in entities), "generic mentions are dropped"
