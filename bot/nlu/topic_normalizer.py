"""Rasa NLU component: rewrites `topic` entity values to their canonical value.

SpacyEntityExtractor reports the matched text ("delegating"); the EntityRuler already
knows the canonical value as the pattern id, so we read it back from the spaCy doc.
"""
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

TOPIC = "topic"


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
                canonical = ids_by_span.get((entity.get("start"), entity.get("end")))
                if entity.get("entity") == TOPIC and canonical:
                    entity["value"] = canonical
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
