"""Microsoft Teams (Bot Framework): Rasa's connector, with each turn run like every other
channel's and each message labelled with who speaks.

As for Slack (bot/channels/slack.py): the turn goes through bot/channels/turn.py (clean
text, a reply for every input, due check-ins at the next message, erasure after "delete
my data"), and each message carries the speaker's name and technique in its text.

Differences from Rasa's stock connector, and why:
- It starts without reaching Microsoft: the signing keys are fetched when the first
  message comes (a bot started offline, or during an outage, still starts; requests are
  refused until the keys can be read).
- HTTP calls to Microsoft run off the event loop, with timeouts, so a slow token service
  cannot stall every other conversation.
- Quick replies are messageBack buttons: the person sees the button's title, the bot gets
  its payload.
- A Teams user's sender id is `teams:<id>` (bot/channels/identity.py): no other channel
  can name it.
- COACH_TEAMS_OPENID_URL and COACH_TEAMS_TOKEN_URL replace Microsoft's addresses (a
  gateway, or the stand-ins of the end-to-end tests).

Configured by bot/run.py from COACH_TEAMS_APP_ID and COACH_TEAMS_APP_PASSWORD, or by hand
in credentials.yml under `bot.channels.teams.LabelledTeamsInput`.
"""
import asyncio
import datetime
import logging
import os
from functools import partial
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import requests
from rasa.core.channels.botframework import (MICROSOFT_OAUTH2_PATH, MICROSOFT_OAUTH2_URL,
                                             MICROSOFT_OPEN_ID_URI, BotFramework,
                                             BotFrameworkInput)
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import GuardedBlueprint
from bot.channels.identity import local_id, person_id
from bot.channels.labels import labelled
from bot.channels.turn import BadMetadata, run_turn

logger = logging.getLogger(__name__)

HTTP_TIMEOUT = 10  # seconds, for every call to Microsoft
TOKEN_MARGIN = datetime.timedelta(minutes=5)  # renew a token this long before it expires


def openid_url() -> str:
    return os.environ.get("COACH_TEAMS_OPENID_URL") or MICROSOFT_OPEN_ID_URI


def token_url() -> str:
    return os.environ.get("COACH_TEAMS_TOKEN_URL") or f"{MICROSOFT_OAUTH2_URL}/{MICROSOFT_OAUTH2_PATH}"


def activity(message: Dict[Text, Any]) -> Dict[Text, Any]:
    """The Bot Framework activity fields for one bot message."""
    body: Dict[Text, Any] = {
        "text": labelled("teams", message.get("text"), message.get("metadata")),
        "textFormat": "markdown",
    }
    buttons = message.get("buttons") or []
    if buttons:
        body["attachments"] = [{
            "contentType": "application/vnd.microsoft.card.hero",
            "content": {"buttons": [
                {"type": "messageBack", "title": b["title"], "displayText": b["title"],
                 "text": b.get("payload") or b["title"]}
                for b in buttons]},
        }]
    return body


class LabelledTeamsOutput(BotFramework):
    """Sends each message as one labelled activity."""

    _token: Optional[str] = None
    _token_expires = datetime.datetime.min

    @classmethod
    def name(cls) -> Text:
        return "botframework"

    def _fetch_token(self) -> Optional[str]:
        cls = LabelledTeamsOutput
        if cls._token and datetime.datetime.now() < cls._token_expires - TOKEN_MARGIN:
            return cls._token
        reply = requests.post(token_url(), timeout=HTTP_TIMEOUT, data={
            "client_id": self.app_id, "client_secret": self.app_password,
            "grant_type": "client_credentials", "scope": "https://api.botframework.com/.default"})
        if not reply.ok:
            logger.error("Could not get a Bot Framework token (HTTP %s)", reply.status_code)
            return None
        data = reply.json()
        cls._token = data["access_token"]
        cls._token_expires = datetime.datetime.now() + datetime.timedelta(seconds=int(data["expires_in"]))
        return cls._token

    def _post(self, body: Dict[Text, Any]) -> None:
        token = self._fetch_token()
        if token is None:
            return
        url = f"{self.global_uri}conversations/{self.conversation['id']}/activities"
        reply = requests.post(url, json=body, timeout=HTTP_TIMEOUT,
                              headers={"Authorization": f"Bearer {token}"})
        if not reply.ok:
            logger.error("Could not send a Bot Framework message (HTTP %s)", reply.status_code)

    async def send(self, message_data: Dict[Text, Any]) -> None:
        await asyncio.get_running_loop().run_in_executor(None, partial(self._post, message_data))

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        recipient_id = local_id(self.name(), recipient_id)  # Teams knows its own id only
        if not (message.get("text") or message.get("buttons")):
            await super().send_response(recipient_id, message)
            return
        await self.send(self.prepare_message(recipient_id, activity(message)))


class LabelledTeamsInput(BotFrameworkInput):
    """Rasa's Bot Framework input (JWT check against Microsoft's keys) with our turn
    handling; it keeps the name "botframework"."""

    def __init__(self, app_id: Text, app_password: Text) -> None:
        self.app_id = app_id
        self.app_password = app_password
        self.jwt_keys: Dict[Text, Any] = {}
        self.jwt_update_time = datetime.datetime.fromtimestamp(0)
        try:
            self._update_cached_jwk_keys()
        except requests.RequestException:
            logger.warning("Bot Framework keys unreachable at start; retrying with the first message")

    def _update_cached_jwk_keys(self) -> None:
        conf = requests.get(openid_url(), timeout=HTTP_TIMEOUT)
        conf.raise_for_status()
        keys = requests.get(conf.json()["jwks_uri"], timeout=HTTP_TIMEOUT)
        keys.raise_for_status()
        self.jwt_keys = {key["kid"]: key for key in keys.json()["keys"]}
        self.jwt_update_time = datetime.datetime.now()

    def _validate_auth(self, auth_header: Optional[Text]) -> Optional[HTTPResponse]:
        if not self.jwt_keys:
            try:
                self._update_cached_jwk_keys()
            except requests.RequestException:
                return response.text("Cannot verify requests right now.", status=503)
        return super()._validate_auth(auth_header)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = GuardedBlueprint("botframework_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = self._validate_auth(request.headers.get("Authorization"))
            if refused:
                return refused
            post = request.json or {}
            if post.get("type") != "message":
                return response.text("success")
            try:
                out = LabelledTeamsOutput(self.app_id, self.app_password, post["conversation"],
                                          post["recipient"], post["serviceUrl"])
                sender = person_id(self.name(), post["from"]["id"])
            except (KeyError, TypeError):
                return response.text("Not a Bot Framework message.", status=400)
            metadata = self.add_attachments_to_metadata(post, self.get_metadata(request))
            try:
                messages = await run_turn(request.app, on_new_message, sender, post.get("text", ""),
                                          metadata, self.name())
            except BadMetadata as error:
                return response.text(str(error), status=400)
            await self._send_all(out, sender, messages)
            return response.text("success")

        return webhook

    @staticmethod
    async def _send_all(out: LabelledTeamsOutput, sender: Text, messages: List[Dict[Text, Any]]) -> None:
        for message in messages:
            try:
                await out.send_response(sender, message)
            except requests.RequestException as error:  # Teams unreachable: logged, not raised
                logger.warning("Could not post to Teams for sender %s: %s", sender, type(error).__name__)
                return
