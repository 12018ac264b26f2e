"""Rasa NLU component: puts the message's reading (bot.understanding.read) into the parse
data as ``reading`` (a dict), after the intent classifier.

It also lets the reading settle two things the classifier alone gets wrong:
- a sure control request (switch, compare, check-in, list goals, stop, keep working, delete
  or export data) sets the matching intent, so it wins in every context;
- a data-changing intent (drop_goal, edit_goal, delete_data, export_data) without the words
  that ask for that change gives way to the classifier's next guess: no data changes on a
  misunderstanding. The classifier's own guess stays in ``reading["classifier_intent"]``.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.understanding import arbiter
from bot.understanding.reader import read

READING = "reading"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ReadingComponent(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"settle_intents": True}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ReadingComponent":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            reading = read(text)
            data = reading.as_dict()
            intent: Optional[Dict[str, Any]] = message.get(INTENT)
            if self._config.get("settle_intents", True) and intent:
                ranking = message.get(INTENT_RANKING_KEY) or []
                settled = arbiter.settle(text, reading, intent, ranking)
                # A new intent, or the same one made sure ("please play Nadia" read as a
                # role-play at 0.38 is one).
                if settled is not None and (settled.get("name"), settled.get("confidence")) != (
                        intent.get("name"), intent.get("confidence")):
                    data["classifier_intent"] = dict(intent)
                    message.set(INTENT, settled, add_to_output=True)
                    intent = settled
            if intent:
                data = arbiter.refine_act(data, intent)
            message.set(READING, data, add_to_output=True)
        return messages
