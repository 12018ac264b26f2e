"""REST channel (registered as `rest`) whose replies keep persona/technique metadata.

The webhook needs the shared secret (COACH_WEBHOOK_SECRET, which `make run` creates on
first run) in the `X-Coach-Secret` header; it is open only when no secret is configured,
which bot/run.py allows on loopback only. REST senders may not use another channel's
namespace (`slack:`, `teams:`, `web:`; see bot/channels/identity.py): 400.
Metadata beyond the allow-list is dropped; too large or too deep is a 400
(bot/channels/turn.py). The request check in bot/channels/guard.py runs first.
"""
import hmac
import os
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.guard import GuardedBlueprint
from bot.channels.identity import ReservedSender, person_id
from bot.channels.turn import BadMetadata, run_turn
from bot.security import SECRET_ENV


def _secret_ok(request: Request) -> bool:
    secret = os.environ.get(SECRET_ENV)
    if not secret:
        return True
    given = request.headers.get("X-Coach-Secret", "")
    return hmac.compare_digest(given.encode(), secret.encode())


class MetadataRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> GuardedBlueprint:
        webhook = GuardedBlueprint("coach_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not _secret_ok(request):
                return response.json({"error": "missing or wrong X-Coach-Secret"}, status=401)
            try:
                body = request.json
            except Exception:
                body = None
            if not isinstance(body, dict):
                return response.json(
                    {"error": 'send a JSON object: {"sender": "...", "message": "..."}'},
                    status=400,
                )
            try:
                sender = person_id(self.name(), body.get("sender"))
                messages = await run_turn(
                    request.app, on_new_message, sender, body.get("message"),
                    body.get("metadata"), self.name(),
                )
            except (ReservedSender, BadMetadata) as error:
                return response.json({"error": str(error)}, status=400)
            return response.json(messages)

        return webhook
