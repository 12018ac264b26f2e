"""Slack: Rasa's connector, with each turn run like every other channel's and each message
labelled with who speaks.

Rasa's stock Slack connector sends the bot's messages as they come and knows nothing of
our channel promises. Here a Slack message goes through bot/channels/turn.py like a REST
or web message (clean text, a reply for every input, due check-ins at the next message,
erasure after "delete my data"), and every message goes out with the speaker's name and
the technique (bot/channels/labels.py), since Slack cannot show our metadata. Pushed
check-ins (the scheduler's trigger_intent) go through the same output channel, always to
the person's direct messages with the app (never a shared channel: they name goals).

A Slack user's sender id is `slack:<user id>` (bot/channels/identity.py), so no other
channel can reach their conversation or goals. Text the bot reflects back is escaped
(`&`, `<`, `>`), so "<!channel>" or "<@U123>" in a message is shown, never acted on.

Configured by bot/run.py from COACH_SLACK_TOKEN and COACH_SLACK_SIGNING_SECRET, or by
hand in credentials.yml under `bot.channels.slack.LabelledSlackInput`.
"""
import asyncio
import logging
import os
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import response
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.guard import GuardedBlueprint
from bot.channels.identity import local_id, person_id
from bot.channels.labels import labelled, technique_note
from bot.channels.turn import BadMetadata, run_turn

logger = logging.getLogger(__name__)

# Slack shows at most 25 elements in one actions block.
MAX_BUTTONS = 25


def escape(text: Optional[Text]) -> Text:
    """Slack's escaping for message text: & < > are its only control characters."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_text(message: Dict[Text, Any]) -> Text:
    """The labelled text, with whatever the message carries escaped."""
    return labelled("slack", escape(message.get("text")), message.get("metadata"))


def message_blocks(message: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    """Slack blocks for one bot message: the labelled text, the technique in small print,
    and the quick replies as buttons."""
    metadata = message.get("metadata") or {}
    blocks: List[Dict[Text, Any]] = [{
        "type": "section",
        "text": {"type": "mrkdwn", "text": slack_text(message)},
    }]
    note = technique_note("slack", metadata)
    if note:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(note)}]})
    buttons = message.get("buttons") or []
    if buttons:
        blocks.append({"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": b["title"][:75]},
             "value": b.get("payload") or b["title"]}
            for b in buttons[:MAX_BUTTONS]]})
    return blocks


class LabelledSlackBot(SlackBot):
    """Posts each message as one labelled Slack message (blocks, plus the plain text that
    notifications and screen readers use)."""

    def __init__(self, token: Text, slack_channel: Optional[Text] = None,
                 thread_id: Optional[Text] = None, proxy: Optional[Text] = None) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        base_url = os.environ.get("COACH_SLACK_API_URL")
        if base_url:  # a proxying gateway, or a stand-in Slack in the end-to-end tests
            self.client = AsyncWebClient(token, proxy=proxy, base_url=base_url)

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        if not (message.get("text") or message.get("buttons")):
            await super().send_response(recipient_id, message)
            return
        # A reply goes where the person wrote; a push (no channel) to their direct messages.
        await self._post_message(
            channel=self.slack_channel or local_id("slack", recipient_id),
            text=slack_text(message),
            blocks=message_blocks(message),
        )


class LabelledSlackInput(SlackInput):
    """Rasa's Slack input (signature check, retries, events and button clicks) with our
    turn handling; it keeps the name "slack" so stored conversations and the scheduler's
    pushes find it."""

    def get_output_channel(self, channel: Optional[Text] = None,
                           thread_id: Optional[Text] = None) -> OutputChannel:
        # No configured `slack_channel` fallback: without the channel the person wrote in
        # (a pushed check-in), the message goes to the person's direct messages.
        return LabelledSlackBot(self.slack_token, channel, thread_id, self.proxy)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Any:
        webhook = super().blueprint(on_new_message)
        # Rasa's blueprint, made to install the request check when it joins the app (the
        # REST and web channels install it too; it runs once).
        webhook.__class__ = GuardedBlueprint
        return webhook

    async def process_message(self, request: Request,
                              on_new_message: Callable[[UserMessage], Awaitable[Any]],
                              text: Text, sender_id: Optional[Text],
                              metadata: Optional[Dict]) -> Any:
        retry_count = request.headers.get(self.retry_num_header)
        if retry_count and request.headers.get(self.retry_reason_header) in self.errors_ignore_retry:
            # Slack resends when we are slow; the first delivery is already being answered.
            return response.text("", status=HTTPStatus.CREATED, headers={"X-Slack-No-Retry": "1"})
        metadata = metadata or {}
        thread_id = metadata.get("thread_id") if self.use_threads else None
        out = self.get_output_channel(metadata.get("out_channel"), thread_id)
        # Slack wants an answer within 3 seconds; the turn runs after we have given it.
        task = asyncio.create_task(self._answer(request.app, on_new_message, out, text, sender_id, metadata))
        self._background_tasks.add(task)
        task.add_done_callback(self._background_tasks.discard)
        return response.text("")

    async def _answer(self, app: Any, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                      out: OutputChannel, text: Text, sender_id: Optional[Text],
                      metadata: Dict[Text, Any]) -> None:
        sender = person_id(self.name(), sender_id)
        try:
            messages = await run_turn(app, on_new_message, sender, text, metadata, self.name())
        except BadMetadata as error:
            logger.warning("Slack message of sender %s refused: %s", sender, error)
            return
        for message in messages:
            try:
                await out.send_response(message.get("recipient_id") or sender, message)
            except Exception as error:  # Slack down or the token revoked: logged, not raised
                logger.warning("Could not post to Slack for sender %s: %s", sender_id, type(error).__name__)
                return
