"""Rasa NLU component: rewrites `topic` entity values to their canonical value.

SpacyEntityExtractor reports the matched text ("delegating"); the EntityRuler already
knows the canonical value as the pattern id, so we read it back from the spaCy doc.

A generic phrase ("my manager", topics.yml generic_phrases) gives way to any specific
topic in the same message, so "my manager keeps cancelling our one-on-ones" is only about
meetings. Alone, it stays, with the role GENERIC_ROLE (bot/topics.py): the `topic` slot's from_entity
mapping has no role, so Rasa does not let it replace the conversation's topic
(actions/common.py topic_of uses it only when the conversation has none).
"""
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.topics import GENERIC_ROLE, parse_pattern_id

TOPIC = "topic"


def _is_topic(entity: Dict[Text, Any]) -> bool:
    return entity.get("entity") == TOPIC


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class TopicNormalizer(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TopicNormalizer":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            entities = message.get(ENTITIES) or []
            if doc is None or not entities:
                continue
            ids_by_span = {(ent.start_char, ent.end_char): ent.ent_id_ for ent in doc.ents}
            for entity in entities:
                pattern = ids_by_span.get((entity.get("start"), entity.get("end")))
                if entity.get("entity") == TOPIC and pattern:
                    entity["value"], is_generic = parse_pattern_id(pattern)
                    if is_generic:
                        entity["role"] = GENERIC_ROLE
            if any(_is_topic(e) and e.get("role") != GENERIC_ROLE for e in entities):
                entities = [e for e in entities
                            if not (_is_topic(e) and e.get("role") == GENERIC_ROLE)]
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
