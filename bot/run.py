"""`make run`: starts the action server, the Rasa server and the follow-up scheduler,
says where to talk to the bot, and stops all three cleanly on Ctrl-C.

Configuration (environment variables):
  COACH_PORT (5005)          Rasa server port (REST, socket.io, web page, HTTP API)
  COACH_HOST (127.0.0.1)     interface the Rasa server listens on (0.0.0.0 for Slack/Teams)
  COACH_ACTION_PORT (5055)   action server port; it listens on 127.0.0.1 only
  COACH_API_TOKEN            if set, the HTTP API (tracker, parse, trigger) requires ?token=
  COACH_WEBHOOK_SECRET       if set, the REST webhook requires header X-Coach-Secret
  COACH_DATABASE_URL         goals store and tracker store (SQLite under var/ by default)
  COACH_MODEL (models/coach-mentor.tar.gz)
  COACH_SLACK_TOKEN, COACH_SLACK_SIGNING_SECRET (COACH_SLACK_CHANNEL)   Slack, when both set
  COACH_TEAMS_APP_ID, COACH_TEAMS_APP_PASSWORD                         Teams, when both set
  COACH_DEBUG=1              debug logging (only then are message texts logged)
"""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Mapping, Optional

import requests

from bot.paths import PROJECT_ROOT, VAR_DIR

BIN = Path(sys.executable).parent


def settings() -> Dict[str, str]:
    return {
        "port": os.environ.get("COACH_PORT", "5005"),
        "host": os.environ.get("COACH_HOST", "127.0.0.1"),
        "action_port": os.environ.get("COACH_ACTION_PORT", "5055"),
        "model": os.environ.get("COACH_MODEL", str(PROJECT_ROOT / "models" / "coach-mentor.tar.gz")),
        "token": os.environ.get("COACH_API_TOKEN", ""),
        "debug": os.environ.get("COACH_DEBUG", ""),
    }


def endpoints_file(action_port: str) -> Path:
    """endpoints.yml with the action server's port filled in."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    text = (PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8")
    target = VAR_DIR / f"endpoints-{action_port}.yml"
    target.write_text(text.replace("127.0.0.1:5055", f"127.0.0.1:{action_port}"), encoding="utf-8")
    return target


# Chat apps switched on by environment variables (secrets stay out of tracked files):
# the channel class in credentials.yml's terms, and its settings -> variable.
CHAT_APP_CHANNELS = {
    "bot.channels.slack.LabelledSlackInput": {
        "slack_token": "COACH_SLACK_TOKEN", "slack_signing_secret": "COACH_SLACK_SIGNING_SECRET",
        "slack_channel": "COACH_SLACK_CHANNEL"},
    "bot.channels.teams.LabelledTeamsInput": {
        "app_id": "COACH_TEAMS_APP_ID", "app_password": "COACH_TEAMS_APP_PASSWORD"},
}


def credentials_file(port: str, env: Optional[Mapping[str, str]] = None) -> Path:
    """credentials.yml plus the Slack and Teams channels whose variables are set in `env`
    (the process's by default; the first two of each are required), written where only
    this user can read it."""
    import yaml

    env = os.environ if env is None else env
    channels = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text(encoding="utf-8")) or {}
    for channel, variables in CHAT_APP_CHANNELS.items():
        values = {key: env.get(name, "") for key, name in variables.items()}
        if all(list(values.values())[:2]):
            channels[channel] = values
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    target = VAR_DIR / f"credentials-{port}.yml"
    target.touch(mode=0o600)
    target.chmod(0o600)
    target.write_text(yaml.safe_dump(channels, sort_keys=False), encoding="utf-8")
    return target


def action_server_command(cfg: Dict[str, str]) -> List[str]:
    command = [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", cfg["action_port"]]
    return command + (["--debug"] if cfg["debug"] else [])


def rasa_server_command(cfg: Dict[str, str], env: Optional[Mapping[str, str]] = None) -> List[str]:
    command = [
        str(BIN / "rasa"), "run", "--enable-api", "--model", cfg["model"],
        "--port", cfg["port"], "--interface", cfg["host"],
        "--credentials", str(credentials_file(cfg["port"], env)),
        "--endpoints", str(endpoints_file(cfg["action_port"])),
    ]
    if cfg["token"]:
        command += ["--auth-token", cfg["token"]]
    return command + (["--debug"] if cfg["debug"] else [])


def scheduler_command(cfg: Dict[str, str]) -> List[str]:
    return [sys.executable, "-m", "bot.scheduler", "--interval", "5"]


def child_env(cfg: Dict[str, str]) -> Dict[str, str]:
    env = dict(os.environ)
    env["SANIC_HOST"] = "127.0.0.1"  # rasa-sdk's action server: loopback only
    env["RASA_URL"] = f"http://127.0.0.1:{cfg['port']}"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")  # no calls home from an offline bot
    env["PYTHONPATH"] = str(PROJECT_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def wait_for(url: str, process: subprocess.Popen, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with code {process.returncode} before {url} answered")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s")


class Supervisor:
    def __init__(self, cfg: Dict[str, str]):
        self.cfg = cfg
        self.processes: List[subprocess.Popen] = []

    def start(self, command: List[str]) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=child_env(self.cfg))
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()

    def run(self) -> int:
        from bot.store import get_store

        get_store().migrate()
        cfg = self.cfg
        actions = self.start(action_server_command(cfg))
        wait_for(f"http://127.0.0.1:{cfg['action_port']}/health", actions)
        server = self.start(rasa_server_command(cfg))
        wait_for(f"http://127.0.0.1:{cfg['port']}/", server)
        self.start(scheduler_command(cfg))
        base = f"http://{'127.0.0.1' if cfg['host'] in ('0.0.0.0', '') else cfg['host']}:{cfg['port']}"
        print(
            "\nCoach & Mentor is up.\n"
            f"  Web chat page : {base}/webhooks/socketio/chat\n"
            f"  REST          : curl -s -X POST {base}/webhooks/rest/webhook "
            "-H 'Content-Type: application/json' -d '{\"sender\": \"me\", \"message\": \"hello\"}'\n"
            f"  Terminal chat : make chat\n"
            f"  HTTP API      : {base}/conversations/<sender>/tracker"
            f"{'?token=$COACH_API_TOKEN' if cfg['token'] else ''}\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        while all(p.poll() is None for p in self.processes):
            time.sleep(0.5)
        return next((p.returncode for p in self.processes if p.poll() is not None), 0) or 1


def main(argv: Optional[List[str]] = None) -> int:
    supervisor = Supervisor(settings())

    def on_signal(signum, frame):  # Ctrl-C or kill: stop the children, then exit
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        return supervisor.run()
    except KeyboardInterrupt:
        print("\nStopping Coach & Mentor...", flush=True)
        return 0
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        supervisor.stop()


if __name__ == "__main__":
    sys.exit(main())
