"""Starts and stops the real action server and Rasa server for end-to-end tests.

They start as the README says to deploy: with an API token and a webhook secret (fresh
for each pair unless a test gives its own), and the HTTP API switched on
(COACH_ENABLE_API=1) because the tests read trackers; every request sends the secret or
the token in its header.
"""
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

import requests

from bot import run
from bot.paths import PROJECT_ROOT


class BotServers:
    """Both servers on their own ports, with their own database and log files."""

    def __init__(self, workdir: Path, port: int, action_port: int, extra_env: Optional[Dict[str, str]] = None):
        self.workdir = workdir
        extra_env = dict(extra_env or {})
        self.cfg = {**run.settings(), "port": str(port), "action_port": str(action_port),
                    "host": "127.0.0.1", "debug": "",
                    "token": extra_env.get("COACH_API_TOKEN") or secrets.token_urlsafe(24),
                    "secret": extra_env.get("COACH_WEBHOOK_SECRET") or secrets.token_urlsafe(24)}
        self.env = dict(os.environ)
        self.env.update({"COACH_VAR_DIR": str(workdir), "COACH_ENABLE_API": "1",
                         "COACH_API_TOKEN": self.cfg["token"], "COACH_WEBHOOK_SECRET": self.cfg["secret"],
                         **extra_env})
        self.actions: Optional[subprocess.Popen] = None
        self.rasa: Optional[subprocess.Popen] = None
        self.url = f"http://127.0.0.1:{port}"

    def _spawn(self, command: List[str], log_name: str) -> subprocess.Popen:
        env = run.child_env(self.cfg)
        env.update(self.env)
        log = open(self.workdir / log_name, "ab")
        return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def start_actions(self) -> None:
        self.actions = self._spawn(run.action_server_command(self.cfg), "actions.log")
        run.wait_for(f"http://127.0.0.1:{self.cfg['action_port']}/health", self.actions)

    def start_rasa(self) -> None:
        self.rasa = self._spawn(run.rasa_server_command(self.cfg, self.env), "rasa.log")
        run.wait_for(f"{self.url}/", self.rasa, timeout=240)

    def start(self) -> "BotServers":
        self.workdir.mkdir(parents=True, exist_ok=True)
        for port in (self.cfg["port"], self.cfg["action_port"]):
            if port_in_use(int(port)):
                raise RuntimeError(f"port {port} is busy: another bot is running there "
                                   "(set COACH_TEST_PORT to move the test servers)")
        self.start_actions()
        self.start_rasa()
        return self

    @staticmethod
    def _stop(process: Optional[subprocess.Popen]) -> None:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def stop_actions(self) -> None:
        self._stop(self.actions)

    def stop(self) -> None:
        self._stop(self.rasa)
        self._stop(self.actions)

    def restart(self) -> None:
        self.stop()
        self.start()

    def scheduler(self, *args: str) -> subprocess.CompletedProcess:
        env = run.child_env(self.cfg)
        env.update(self.env)
        return subprocess.run([sys.executable, "-m", "bot.scheduler", *args], cwd=PROJECT_ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    @property
    def rest_headers(self) -> Dict[str, str]:
        """What a REST client sends: the webhook secret."""
        return {"X-Coach-Secret": self.cfg["secret"]}

    @property
    def api_headers(self) -> Dict[str, str]:
        """What an HTTP API client sends: the API token."""
        return {"Authorization": f"Bearer {self.cfg['token']}"}

    def say(self, sender: str, message, metadata: Optional[dict] = None, timeout: float = 60):
        body = {"sender": sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata
        response = requests.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=timeout,
                                 headers=self.rest_headers)
        assert response.status_code == 200, response.text
        return response.json()

    def tracker(self, sender: str, token: Optional[str] = None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else self.api_headers
        response = requests.get(f"{self.url}/conversations/{sender}/tracker", headers=headers, timeout=30)
        response.raise_for_status()
        return response.json()


# One believable GROW conversation on delegation: the goal, then an answer per question.
DELEGATION_GROW = [
    "I want to get better at delegating to my team",
    "my team would own the weekly report without me checking every line",
    "right now I redo most of their work because I don't fully trust it yet",
    "I could hand over the weekly report and agree a short review checklist",
    "talk to Sam on Monday about taking over the report",
    "by next friday",
    "7",
    "I have done this before with a smaller team",
    "I might take it back when I'm stressed, so I'll block time to coach Sam instead",
]


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def texts(messages: List[dict]) -> List[str]:
    return [m.get("text", "") for m in messages]


def personas(messages: List[dict]) -> List[str]:
    return [m["metadata"]["persona"] for m in messages]


def techniques(messages: List[dict]) -> List[str]:
    return [m["metadata"]["technique"] for m in messages]


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
