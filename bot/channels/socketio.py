"""Socket.IO channel (registered as `socketio`) for the web chat page.

Replies carry persona/technique metadata like the REST channel. With session persistence
the browser keeps a session id across reloads, so the conversation (the tracker) survives a
reload. Pushed messages (follow-ups via trigger_intent) go to the session's room.
"""
import inspect
import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.collector import to_wire
from bot.channels.turn import run_turn

logger = logging.getLogger(__name__)


async def _maybe_await(result: Any) -> None:
    # python-socketio made enter_room a coroutine in 5.x; Rasa 3.6 calls it synchronously.
    if inspect.isawaitable(result):
        await result


class MetadataSocketIOOutput(OutputChannel):
    def __init__(self, sio: AsyncServer, bot_message_evt: Text) -> None:
        self.sio = sio
        self.bot_message_evt = bot_message_evt

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        if message.get("text") or message.get("buttons"):
            await self.sio.emit(self.bot_message_evt, to_wire(recipient_id, message), room=recipient_id)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text, **kwargs})


class MetadataSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def get_output_channel(self) -> Optional[OutputChannel]:
        if self.sio is None:
            return None
        return MetadataSocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        webhook = SocketBlueprint(sio, self.socketio_path, "coach_socketio_webhook", __name__)
        self.sio = sio

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id") or uuid.uuid4().hex
            await _maybe_await(sio.enter_room(sid, session_id, namespace=self.namespace))
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            data = data if isinstance(data, dict) else {"message": data}
            session_id = data.get("session_id") or sid
            # A reconnecting page may send before re-requesting its session: join anyway.
            await _maybe_await(sio.enter_room(sid, session_id, namespace=self.namespace))
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            messages = await run_turn(
                _APP.get("app"), on_new_message, session_id, data.get("message", ""), metadata, self.name(),
            )
            for message in messages:
                await sio.emit(self.bot_message_evt, message, room=session_id,
                               namespace=self.namespace)

        @webhook.listener("before_server_start")
        async def remember_app(app: Any, _loop: Any) -> None:
            _APP["app"] = app

        return webhook


# The Sanic app, needed after a turn to reach the tracker store (erasure).
_APP: Dict[str, Any] = {}
