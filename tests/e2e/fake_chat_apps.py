"""Stand-ins for Slack's Web API and Microsoft's Bot Framework services, on loopback, so the
end-to-end tests can drive the Slack and Teams channels of the real Rasa server offline.

It records what the bot posts and answers as the real services do in the parts our
channels use: chat.postMessage; the OpenID configuration, signing keys and token endpoint
of the Bot Framework; a conversation's activities endpoint.
"""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

KEY_ID = "test-key"


class FakeChatApps:
    def __init__(self) -> None:
        self.slack_posts: List[Dict[str, Any]] = []
        self.teams_activities: List[Dict[str, Any]] = []
        self.token_requests = 0
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        self._jwks = {"keys": [{**jwk, "kid": KEY_ID, "use": "sig"}]}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> "FakeChatApps":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def teams_token(self, audience: str) -> str:
        """A Bot Framework request token signed with the key this service publishes."""
        claims = {"aud": audience, "iss": "https://api.botframework.com", "exp": int(time.time()) + 600}
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": KEY_ID})

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, body: Dict[str, Any], status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> Dict[str, Any]:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    return json.loads(raw or "{}")
                return {k: v[0] for k, v in parse_qs(raw).items()}

            def do_GET(self) -> None:
                if self.path == "/openid":
                    self._answer({"jwks_uri": f"{fake.url}/keys"})
                elif self.path == "/keys":
                    self._answer(fake._jwks)
                else:
                    self._answer({"error": "not found"}, 404)

            def do_POST(self) -> None:
                body = self._body()
                if self.path == "/api/chat.postMessage":
                    fake.slack_posts.append(body)
                    self._answer({"ok": True, "channel": body.get("channel"), "ts": str(time.time())})
                elif self.path == "/token":
                    fake.token_requests += 1
                    self._answer({"access_token": "service-token", "expires_in": 3600})
                elif "/activities" in self.path:
                    if self.headers.get("Authorization") != "Bearer service-token":
                        self._answer({"error": "unauthorised"}, 401)
                        return
                    fake.teams_activities.append(body)
                    self._answer({"id": str(len(fake.teams_activities))})
                else:
                    self._answer({"error": "not found"}, 404)

        return Handler
