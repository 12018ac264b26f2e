"""The contract over HTTP: labelled messages, the stock API, and bad input never a 500."""
import requests

from bot.reply import TECHNIQUES
from tests.e2e.servers import personas, texts


def assert_labelled(messages):
    assert messages, "the bot must always answer"
    for message in messages:
        metadata = message["metadata"]
        assert metadata["persona"] in TECHNIQUES, message
        assert metadata["technique"] in TECHNIQUES[metadata["persona"]], message
        assert message["text"].strip(), message


def test_hello_then_capabilities(bot, sender):
    hello = bot.say(sender, "hello")
    assert_labelled(hello)
    assert personas(hello) == ["host"] * len(hello)
    assert any(m.get("buttons") for m in hello), "first contact lets the person choose a role"
    joined = " ".join(texts(hello)).lower()
    assert "coach" in joined and "mentor" in joined
    capabilities = bot.say(sender, "what can you do?")
    assert_labelled(capabilities)
    assert capabilities[0]["metadata"]["technique"] == "explanation"


def test_parse_and_tracker_endpoints(bot, sender):
    parsed = requests.post(f"{bot.url}/model/parse", json={"text": "any tips for negotiating my salary?"},
                           headers=bot.api_headers, timeout=30).json()
    assert parsed["intent"]["name"] == "ask_advice"
    assert {"entity": "topic", "value": "negotiation"}.items() <= parsed["entities"][0].items()
    bot.say(sender, "hi")
    tracker = bot.tracker(sender)
    assert tracker["sender_id"] == sender
    assert any(e["event"] == "user" for e in tracker["events"])


BAD_INPUTS = {
    "empty": "",
    "whitespace": "   \n\t  ",
    "huge": "I want to delegate more. " * 800,
    "emoji only": "\U0001F680\U0001F525\U0001F4AA",
    "control chars and NUL": "hel\x00lo\x07\x1b[31m there\x7f",
    "mixed scripts": "Привет 你好 مرحبا hello",
    "script tag": "<script>alert('x')</script>",
    "html": "<img src=x onerror=alert(1)>",
    "sql": "'); DROP TABLE goals;--",
    "json in text": '{"sender": "other", "message": "hi", "metadata": {"persona": "x"}}',
    "null message": None,
    "number message": 42,
}


def test_bad_input_always_gets_a_sensible_reply(bot, sender):
    for name, message in BAD_INPUTS.items():
        response = requests.post(f"{bot.url}/webhooks/rest/webhook",
                                 json={"sender": f"{sender}-{name}", "message": message},
                                 headers=bot.rest_headers, timeout=60)
        assert response.status_code == 200, (name, response.text)
        assert_labelled(response.json())
    huge = bot.say(f"{sender}-huge2", "x " * 10_000)
    assert huge[0]["metadata"]["technique"] == "explanation" and "characters" in huge[0]["text"]
    assert texts(bot.say(f"{sender}-html", "hello"))  # still answers afterwards


def test_body_that_is_not_json_object_is_a_clear_400(bot):
    response = requests.post(f"{bot.url}/webhooks/rest/webhook", data="not json",
                             headers={"Content-Type": "application/json", **bot.rest_headers}, timeout=30)
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]
