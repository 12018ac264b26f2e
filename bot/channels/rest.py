"""REST channel (registered as `rest`) whose replies keep persona/technique metadata.

Optionally requires a shared secret (COACH_WEBHOOK_SECRET) in the `X-Coach-Secret` header.
"""
import hmac
import os
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.turn import run_turn


def _secret_ok(request: Request) -> bool:
    secret = os.environ.get("COACH_WEBHOOK_SECRET")
    if not secret:
        return True
    given = request.headers.get("X-Coach-Secret", "")
    return hmac.compare_digest(given.encode(), secret.encode())


class MetadataRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("coach_rest_webhook", __name__)

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
            messages = await run_turn(
                request.app, on_new_message, body.get("sender"), body.get("message"),
                body.get("metadata"), self.name(),
            )
            return response.json(messages)

        return webhook
