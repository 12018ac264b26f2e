"""Slack and Teams messages say who speaks; chat apps switch on from environment variables."""
import yaml

from bot import run
from bot.channels.labels import labelled
from bot.channels.slack import MAX_BUTTONS, LabelledSlackInput, escape, message_blocks
from bot.channels.teams import activity

COACH = {"persona": "coach", "technique": "powerful_question"}


def test_every_persona_has_a_label_and_unknown_ones_are_the_host():
    assert labelled("slack", "Hi", {"persona": "mentor", "technique": "advice"}) == "*Mentor*\nHi"
    assert labelled("slack", " Hi ", None) == "*Coach & Mentor*\nHi"
    assert labelled("teams", "Hi", COACH) == "**Coach** _(powerful question)_\n\nHi"
    assert labelled("teams", "Hi", {"persona": "host"}) == "**Coach & Mentor**\n\nHi"


def test_slack_blocks_carry_label_technique_and_at_most_25_buttons():
    assert MAX_BUTTONS == 25  # Slack's limit for one actions block
    buttons = [{"title": f"Option {n}", "payload": f"/p{n}"} for n in range(30)]
    blocks = message_blocks({"text": "What matters most?", "metadata": COACH, "buttons": buttons})
    assert blocks[0]["text"] == {"type": "mrkdwn", "text": "*Coach*\nWhat matters most?"}
    assert blocks[1]["elements"][0]["text"] == "_powerful question_"
    assert [b["value"] for b in blocks[2]["elements"]] == [f"/p{n}" for n in range(MAX_BUTTONS)]
    assert len(message_blocks({"text": "plain", "metadata": {}})) == 1


def test_slack_text_reflected_by_the_bot_is_escaped():
    assert escape("<!channel> & <@U0123ABC>") == "&lt;!channel&gt; &amp; &lt;@U0123ABC&gt;"
    blocks = message_blocks({"text": "You said: <!channel> <@U0123ABC> a&b", "metadata": COACH})
    shown = blocks[0]["text"]["text"]
    assert "<" not in shown and ">" not in shown and "&lt;!channel&gt;" in shown


def test_slack_pushes_go_to_the_persons_direct_messages():
    slack = LabelledSlackInput("xoxb-1", slack_channel="C-shared", slack_signing_secret="secret")
    assert slack.get_output_channel().slack_channel is None  # a push: the person's DM
    assert slack.get_output_channel("D-1").slack_channel == "D-1"  # a reply: where they wrote


def test_teams_buttons_show_the_title_and_send_the_payload():
    body = activity({"text": "Which?", "metadata": COACH,
                     "buttons": [{"title": "Coach me", "payload": "/request_coach"}]})
    assert body["textFormat"] == "markdown" and body["text"].startswith("**Coach**")
    assert body["attachments"][0]["content"]["buttons"] == [
        {"type": "messageBack", "title": "Coach me", "displayText": "Coach me", "text": "/request_coach"}]
    assert "attachments" not in activity({"text": "Hi", "metadata": COACH})


def test_chat_apps_are_switched_on_only_with_their_secrets(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "VAR_DIR", tmp_path)
    plain = yaml.safe_load(run.credentials_file("1", {}).read_text())
    assert not any("slack" in key or "teams" in key for key in plain)
    env = {"COACH_SLACK_TOKEN": "xoxb-1", "COACH_SLACK_SIGNING_SECRET": "s",
           "COACH_TEAMS_APP_ID": "app"}  # Teams lacks its password: stays off
    path = run.credentials_file("2", env)
    channels = yaml.safe_load(path.read_text())
    assert channels["bot.channels.slack.LabelledSlackInput"] == {
        "slack_token": "xoxb-1", "slack_signing_secret": "s"}
    assert "bot.channels.teams.LabelledTeamsInput" not in channels
    assert "bot.channels.rest.MetadataRestInput" in channels
    assert path.stat().st_mode & 0o077 == 0, "secrets readable by this user only"
