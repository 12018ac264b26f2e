"""Socket.IO channel (registered as `socketio`) for the web chat page.

Replies carry persona/technique metadata like the REST channel. With session persistence
the browser keeps a session id across reloads, so the conversation (the tracker) survives a
reload. Pushed messages (follow-ups via trigger_intent) go to the session's room.

The blueprint also serves the web chat page (web/static/), the pinned socket.io client
(web/node_modules, installed from web/package-lock.json; never a CDN) and two small JSON
routes the page needs: a session's past messages (for a reload) and its goals, and the
workshop demo scripts (bot/demos.py).

The page knows its session id (32 hex digits, handed out by the server); the person's
sender id is `web:<session id>` (bot/channels/identity.py), a namespace no other channel
can name. Socket.io accepts only the page's own origin, and the request check of
bot/channels/guard.py runs in front of every route here.
"""
import asyncio
import inspect
import json
import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.collector import to_wire
from bot.channels.guard import install as install_guard
from bot.channels.identity import local_id, person_id
from bot.channels.turn import BadMetadata, run_turn
from bot.paths import PROJECT_ROOT

logger = logging.getLogger(__name__)

WEB_DIR = PROJECT_ROOT / "web"
STATIC_FILES = {  # the only files the page routes serve: name -> (path, content type)
    "chat.js": (WEB_DIR / "static" / "chat.js", "text/javascript; charset=utf-8"),
    "chat.css": (WEB_DIR / "static" / "chat.css", "text/css; charset=utf-8"),
    "favicon.svg": (WEB_DIR / "static" / "favicon.svg", "image/svg+xml"),
    "socket.io.min.js": (WEB_DIR / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
                         "text/javascript; charset=utf-8"),
}
PAGE_HEADERS = {  # the page loads nothing from elsewhere and runs no inline script
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self'; connect-src 'self'; object-src 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
# Session ids this channel issues (uuid4().hex). The JSON routes serve only these, so a
# REST or Slack conversation can never be read through them.
WEB_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
HISTORY_LIMIT = 300  # messages; older ones are not re-rendered after a reload
DISPLAY_MAX = 200  # characters of a quick reply's title kept for the history


def is_web_session_id(value: Any) -> bool:
    return isinstance(value, str) and bool(WEB_SESSION_ID.match(value))


def web_sender(session_id: Text) -> Text:
    """The stored sender id of a web page's session: `web:<session id>`."""
    return person_id("socketio", session_id)


def page_wire(message: Dict[Text, Any]) -> Dict[Text, Any]:
    """A wire message as the page expects it: recipient_id is its session id."""
    recipient = message.get("recipient_id")
    return {**message, "recipient_id": local_id("socketio", recipient)} if recipient else message


def is_web_conversation(events: List[Any]) -> bool:
    """True unless some user message of the conversation came through another channel."""
    return all(e.input_channel in (None, "socketio") for e in events if isinstance(e, UserUttered))


def bot_metadata(event_metadata: Optional[Dict[Text, Any]]) -> Dict[Text, Any]:
    """persona/technique of a stored bot message.

    Rasa keeps a custom action's message metadata under the event's own "metadata" key,
    next to bookkeeping such as model_id; a domain response may carry it at the top level.
    """
    outer = event_metadata or {}
    inner = outer.get("metadata") if isinstance(outer.get("metadata"), dict) else {}
    top = {k: outer[k] for k in ("persona", "technique") if k in outer}
    return {**top, **inner}


def history_messages(session_id: Text, events: List[Any], limit: int = HISTORY_LIMIT) -> List[Dict[Text, Any]]:
    """The person's and the bot's messages, oldest first, in the shape the page renders.

    Bot messages have the same shape as live ones (to_wire: metadata, buttons), pushed
    check-ins included; the trigger events behind them are not user messages and are left
    out. A quick reply shows the title the person clicked (metadata "display").
    """
    out: List[Dict[Text, Any]] = []
    for event in events:
        if isinstance(event, UserUttered):
            metadata = event.metadata or {}
            if metadata.get("is_external") or not (event.text or "").strip():
                continue
            display = metadata.get("display")
            text = display[:DISPLAY_MAX] if isinstance(display, str) and display.strip() else event.text
            out.append({"sender": "user", "text": text})
        elif isinstance(event, BotUttered):
            data = event.data or {}
            if not (event.text or data.get("buttons")):
                continue
            message = to_wire(session_id, {"text": event.text, "buttons": data.get("buttons"),
                                           "metadata": bot_metadata(event.metadata)})
            out.append({"sender": "bot", **message})
    return out[-limit:]


async def _web_events(app: Any, session_id: Text) -> Optional[List[Any]]:
    """The events of a web conversation; None for a conversation of another channel."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    if agent is None or agent.tracker_store is None:
        return []
    tracker = await agent.tracker_store.retrieve_full_tracker(web_sender(session_id))
    events = list(tracker.events) if tracker is not None else []
    return events if is_web_conversation(events) else None


async def may_join(app: Any, session_id: Any) -> bool:
    """A page may use a session id only if it has the web format and its conversation, if
    any, came only through the web page: no socket can read or write as a REST, Slack or
    Teams sender by naming its id."""
    if not is_web_session_id(session_id):
        return False
    try:
        return await _web_events(app, session_id) is not None
    except Exception:  # conversation store down: the id's format is all we can check
        logger.warning("Could not check the channel of web session %s", session_id)
        return True


def _session_from_body(request: Request) -> Optional[Text]:
    # POST with a JSON body: the session id works like a password, so keep it out of URLs.
    try:
        body = request.json
    except Exception:
        return None
    session_id = body.get("session_id") if isinstance(body, dict) else None
    return session_id if is_web_session_id(session_id) else None


def _goals_for(session_id: Text) -> List[Dict[Text, Any]]:
    from bot.store import get_store  # imported lazily: the Rasa server starts without a DB

    fields = ("number", "text", "status", "deadline", "deadline_text", "last_progress")
    return [{k: goal.get(k) for k in fields} for goal in get_store().list_goals(web_sender(session_id))]


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
        if message.get("text") or message.get("buttons"):  # room: the stored sender id
            await self.sio.emit(self.bot_message_evt, to_wire(local_id("socketio", recipient_id), message),
                                room=recipient_id)

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
        # cors_allowed_origins=None: engine.io accepts only the page's own origin.
        # Several Rasa servers: rooms shared through Redis (bot/lock_store.py).
        from bot.lock_store import socketio_client_manager

        manager = socketio_client_manager()
        extra = {"client_manager": manager} if manager is not None else {}
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=None, **extra)
        webhook = GuardedSocketBlueprint(sio, self.socketio_path, "coach_socketio_webhook", __name__)
        self.sio = sio

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/chat", methods=["GET"])
        async def chat_page(_: Request) -> HTTPResponse:
            return await response.file(WEB_DIR / "static" / "index.html", headers=PAGE_HEADERS,
                                       mime_type="text/html; charset=utf-8")

        @webhook.route("/chat/<name>", methods=["GET"])
        async def chat_asset(_: Request, name: Text) -> HTTPResponse:
            path, mime_type = STATIC_FILES.get(name, (None, None))
            if path is None:
                return response.json({"error": "not found"}, status=404)
            if not path.exists():  # the socket.io client comes from `make` (npm ci in web/)
                logger.error("Web chat file missing: %s (run `make run` to install it)", path)
                return response.json({"error": f"{name} is not installed; run `make run`"}, status=404)
            return await response.file(path, headers=PAGE_HEADERS, mime_type=mime_type)

        @webhook.route("/demos", methods=["GET"])
        async def demo_scripts(_: Request) -> HTTPResponse:
            from bot.demos import demos  # the workshop scripts of data/demos/ (page: Demos)

            return response.json({"demos": demos()}, headers={"Cache-Control": "no-cache"})

        @webhook.route("/history", methods=["POST"])
        async def history(request: Request) -> HTTPResponse:
            session_id = _session_from_body(request)
            if session_id is None:
                return response.json({"error": "unknown session"}, status=404)
            try:
                events = await _web_events(request.app, session_id)
            except Exception:  # the tracker store's database is down: the live chat may still work
                logger.warning("Could not read the history of web session %s", session_id)
                return response.json({"error": "history unavailable"}, status=503)
            if events is None:
                return response.json({"error": "unknown session"}, status=404)
            return response.json({"session_id": session_id,
                                  "messages": history_messages(session_id, events)})

        @webhook.route("/goals", methods=["POST"])
        async def goals(request: Request) -> HTTPResponse:
            from bot.store import StoreUnavailable

            session_id = _session_from_body(request)
            if session_id is None:
                return response.json({"error": "unknown session"}, status=404)
            loop = asyncio.get_running_loop()
            try:
                if await _web_events(request.app, session_id) is None:
                    return response.json({"error": "unknown session"}, status=404)
                found = await loop.run_in_executor(None, _goals_for, session_id)
            except StoreUnavailable:
                logger.warning("Goals store unavailable for the web page of sender %s", session_id)
                return response.json({"available": False, "goals": []}, status=503)
            return response.json({"available": True, "goals": found})

        confirmed: Dict[Text, Text] = {}  # socket id -> the session id it was given

        async def confirm(sid: Text, requested: Any) -> Text:
            """The requested session if the page may use it, else a new one; the page is
            told which (session_confirm) and joins its room for pushed messages."""
            if requested and requested == confirmed.get(sid):
                return requested
            session_id = requested if await may_join(_APP.get("app"), requested) else uuid.uuid4().hex
            if requested and session_id != requested:
                logger.warning("Web socket %s asked for a session id it may not use; gave a new one", sid)
            previous = confirmed.get(sid)
            if previous and previous != session_id:  # "new conversation": stop its pushes
                await _maybe_await(sio.leave_room(sid, web_sender(previous), namespace=self.namespace))
            confirmed[sid] = session_id
            await _maybe_await(sio.enter_room(sid, web_sender(session_id), namespace=self.namespace))
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            return session_id

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            await confirm(sid, data.get("session_id"))

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            confirmed.pop(sid, None)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            data = data if isinstance(data, dict) else {"message": data}
            # A reconnecting page may send before re-requesting its session: the same
            # check applies, and a refused id gets a new session before the message.
            session_id = await confirm(sid, data.get("session_id"))
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            sender = web_sender(session_id)
            try:
                messages = await run_turn(
                    _APP.get("app"), on_new_message, sender, data.get("message", ""), metadata, self.name(),
                )
            except BadMetadata as error:  # only a hand-made client sends such metadata
                await sio.emit("coach_error", {"error": str(error)}, room=sid, namespace=self.namespace)
                return
            for message in messages:
                await sio.emit(self.bot_message_evt, page_wire(message), room=sender,
                               namespace=self.namespace)

        @webhook.listener("before_server_start")
        async def remember_app(app: Any, _loop: Any) -> None:
            _APP["app"] = app

        return webhook


class GuardedSocketBlueprint(SocketBlueprint):
    """Rasa's socket.io blueprint that installs the request check on the app it joins."""

    def register(self, app: Any, options: Dict[Text, Any]) -> None:
        install_guard(app)
        super().register(app, options)


# The Sanic app, needed after a turn to reach the tracker store (erasure).
_APP: Dict[str, Any] = {}
