"""The held-out NLU test set (tests/nlu/test_nlu.yml, never trained on) gates the model:
intent macro-F1 >= 0.90, and topic entities found where annotated."""
import asyncio
from pathlib import Path

import pytest
from sklearn.metrics import classification_report, f1_score

from bot import run

TEST_SET = Path(__file__).with_name("test_nlu.yml")
MIN_MACRO_F1 = 0.90


@pytest.fixture(scope="module")
def parsed():
    model = Path(run.settings()["model"])
    if not model.exists():
        pytest.skip("no trained model: run `make train`")
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    agent = Agent.load(str(model))
    examples = load_data(str(TEST_SET)).intent_examples
    loop = asyncio.new_event_loop()
    try:
        results = [loop.run_until_complete(agent.parse_message(e.get("text"))) for e in examples]
    finally:
        loop.close()
    return examples, results


def test_training_data_never_contains_a_test_sentence():
    from rasa.shared.nlu.training_data.loading import load_data

    train = {e.get("text").lower() for e in load_data("data/nlu").intent_examples}
    test = {e.get("text").lower() for e in load_data(str(TEST_SET)).intent_examples}
    assert not train & test


def test_intent_macro_f1(parsed):
    examples, results = parsed
    expected = [e.get("intent") for e in examples]
    predicted = [r["intent"]["name"] for r in results]
    score = f1_score(expected, predicted, average="macro", labels=sorted(set(expected)))
    print(classification_report(expected, predicted, zero_division=0))
    print(f"held-out intent macro-F1: {score:.3f} on {len(expected)} examples")
    assert score >= MIN_MACRO_F1


def test_topic_entities(parsed):
    examples, results = parsed
    expected = found = 0
    for example, result in zip(examples, results):
        wanted = {e["value"] for e in example.get("entities") or [] if e["entity"] == "topic"}
        got = {e["value"] for e in result.get("entities") or [] if e["entity"] == "topic"}
        expected += len(wanted)
        found += len(wanted & got)
    print(f"topic recall: {found}/{expected}")
    assert expected and found / expected >= 0.85
