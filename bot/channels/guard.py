"""One request check in front of every route of the Rasa server (webhooks, web page,
socket.io and the HTTP API), installed by our channels when Rasa registers them.

In order, a request is refused when:
1. its Host header names neither loopback nor a host in COACH_ALLOWED_HOSTS (403):
   a site that points its own name at 127.0.0.1 (DNS rebinding) gets nothing;
2. it carries an Origin from another site (403): a page elsewhere cannot drive the bot
   with the local user's browser;
3. it is an HTTP API route (anything outside /webhooks/, /socket.io/, / and /version)
   without the API token, given as `Authorization: Bearer <token>` (or `?token=`) (401);
   the API answers only when COACH_ENABLE_API=1, except the scheduler's trigger_intent
   (403 otherwise);
4. it sends a body as anything but JSON (400): the three content types a page on another
   site may POST without asking (text/plain, form fields, multipart) never reach a
   handler. Exempt: socket.io's own transport (it checks the Origin itself) and the Slack
   webhook, whose requests are signed and whose button clicks are form fields.

The token is compared in constant time and never logged; Rasa itself is started without
--auth-token so the token never appears in the process list.
"""
import hmac
import os
import re
from typing import Any, Optional
from urllib.parse import urlsplit

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.security import TOKEN_ENV, host_allowed

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
JSON_TYPES = frozenset({"application/json"})
YAML_TYPES = frozenset({"application/x-yaml", "application/yaml", "text/yaml", "text/x-yaml"})
# Rasa's routes that take training data or test stories as YAML as well as JSON.
YAML_ROUTES = re.compile(r"^/model/(train|test/stories|test/intents)$")
SCHEDULER_ROUTE = re.compile(r"^/conversations/.+/trigger_intent$")
SIGNED_WEBHOOKS = ("/webhooks/slack/webhook",)
PUBLIC_PATHS = frozenset({"/", "/version"})


def is_api_route(path: str) -> bool:
    return not (path in PUBLIC_PATHS or path.startswith("/webhooks/") or path.startswith("/socket.io"))


def api_enabled() -> bool:
    return os.environ.get("COACH_ENABLE_API", "").strip().lower() in ("1", "true", "yes", "on")


def _refuse(status: int, error: str) -> HTTPResponse:
    return response.json({"error": error}, status=status)


def given_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.args.get("token", "") or ""


def token_ok(request: Request) -> bool:
    expected = os.environ.get(TOKEN_ENV, "")
    given = given_token(request)
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def same_origin(origin: str, request: Request) -> bool:
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # "null" (sandboxed frames, file://) and anything odd
    hosts = {request.headers.get("host", "").lower()}
    forwarded = request.headers.get("x-forwarded-host")
    if forwarded:
        hosts.add(forwarded.split(",")[0].strip().lower())
    return parts.netloc.lower() in hosts


def _mime(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def check_request(request: Request) -> Optional[HTTPResponse]:
    path = request.path
    if not host_allowed(request.headers.get("host")):
        return _refuse(403, "unknown host name: set COACH_ALLOWED_HOSTS to the names this server answers to")
    forwarded = request.headers.get("x-forwarded-host")
    if forwarded and not host_allowed(forwarded.split(",")[0]):
        return _refuse(403, "unknown host name: set COACH_ALLOWED_HOSTS to the names this server answers to")
    origin = request.headers.get("origin")
    if origin is not None and not same_origin(origin, request):
        return _refuse(403, "requests from other sites are refused")
    if is_api_route(path):
        if not token_ok(request):
            return _refuse(401, "the HTTP API needs the API token: header 'Authorization: Bearer <token>'")
        if not api_enabled() and not (request.method == "POST" and SCHEDULER_ROUTE.match(path)):
            return _refuse(403, "the HTTP API is off; start the bot with COACH_ENABLE_API=1")
    if request.method in BODY_METHODS and not path.startswith("/socket.io") and path not in SIGNED_WEBHOOKS:
        allowed = JSON_TYPES | YAML_TYPES if YAML_ROUTES.match(path) else JSON_TYPES
        if _mime(request) not in allowed:
            return _refuse(400, "send the body as JSON with 'Content-Type: application/json'")
    return None


def install(app: Any) -> None:
    """Registers the check on the whole app (once, whichever channel comes first)."""
    app.register_middleware(check_request, "request")


class GuardedBlueprint(Blueprint):
    """A channel's blueprint that installs the request check on the app it joins."""

    def register(self, app: Any, options: Any) -> None:
        install(app)
        super().register(app, options)

