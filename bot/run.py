"""`make run`: starts the action server, the Rasa server and the follow-up scheduler,
says where to talk to the bot, and stops all three cleanly on Ctrl-C.

Secure by default (bot/security.py, bot/channels/guard.py): on first run it creates an
API token and a webhook secret in the var directory (mode 0600) unless they are given,
prints them once, and refuses to listen on anything but loopback without
COACH_ALLOWED_HOSTS. Files it creates are readable by this user only.

Configuration (environment variables):
  COACH_PORT (5005)          Rasa server port (REST, socket.io, web page, HTTP API)
  COACH_HOST (127.0.0.1)     interface the Rasa server listens on (0.0.0.0 for Slack/Teams)
  COACH_ALLOWED_HOSTS        host names the server answers to besides loopback (comma
                             separated); required when COACH_HOST is not loopback
  COACH_ACTION_PORT (5055)   action server port; it listens on 127.0.0.1 only
  COACH_API_TOKEN            the HTTP API's token (header Authorization: Bearer <token>);
                             created in var/api-token when unset
  COACH_ENABLE_API=1         the HTTP API answers (tracker, parse, model...); off otherwise,
                             except the scheduler's trigger_intent
  COACH_WEBHOOK_SECRET       the REST webhook's secret (header X-Coach-Secret); created in
                             var/webhook-secret when unset
  COACH_DATABASE_URL         goals store and tracker store (SQLite under var/ by default)
  COACH_ACTION_URL           the action server's webhook (default its port on 127.0.0.1)
  COACH_REDIS_URL            Redis for conversation locks and socket.io pushes; required
                             with several Rasa servers (README, Deployment)
  COACH_MODEL (models/coach-mentor.tar.gz)
  COACH_SLACK_TOKEN, COACH_SLACK_SIGNING_SECRET   Slack, when both set
  COACH_TEAMS_APP_ID, COACH_TEAMS_APP_PASSWORD    Teams, when both set
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
from bot.security import SECRET_ENV, TOKEN_ENV, is_loopback, load_or_create

BIN = Path(sys.executable).parent


def settings() -> Dict[str, str]:
    return {
        "port": os.environ.get("COACH_PORT", "5005"),
        "host": os.environ.get("COACH_HOST", "127.0.0.1"),
        "action_port": os.environ.get("COACH_ACTION_PORT", "5055"),
        "model": os.environ.get("COACH_MODEL", str(PROJECT_ROOT / "models" / "coach-mentor.tar.gz")),
        "token": os.environ.get(TOKEN_ENV, ""),
        "secret": os.environ.get(SECRET_ENV, ""),
        "allowed_hosts": os.environ.get("COACH_ALLOWED_HOSTS", ""),
        "debug": os.environ.get("COACH_DEBUG", ""),
    }


def prepare_secrets(cfg: Dict[str, str]) -> List[Path]:
    """Fills in the API token and the webhook secret (from the environment, else from the
    var directory, created there on first run); returns the files created now."""
    created = []
    for key, name in (("token", TOKEN_ENV), ("secret", SECRET_ENV)):
        if not cfg.get(key):
            cfg[key], path = load_or_create(name, VAR_DIR)
            if path is not None:
                created.append(path)
    return created


def check_exposure(cfg: Dict[str, str]) -> None:
    """Listening beyond loopback needs the token, the secret and the public host names."""
    if is_loopback(cfg["host"]):
        return
    missing = [name for key, name in (("token", TOKEN_ENV), ("secret", SECRET_ENV),
                                      ("allowed_hosts", "COACH_ALLOWED_HOSTS")) if not cfg.get(key)]
    if missing:
        raise RuntimeError(f"COACH_HOST={cfg['host']} exposes the bot beyond this machine; "
                           f"set {', '.join(missing)} first (see README, Security)")


def action_url(action_port: str) -> str:
    """The action server's webhook: COACH_ACTION_URL (another host, a load balancer) or
    this machine's action server on its port."""
    return os.environ.get("COACH_ACTION_URL", "").strip() or f"http://127.0.0.1:{action_port}/webhook"


def endpoints_file(action_port: str) -> Path:
    """endpoints.yml with the action server's address filled in (action_url)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    text = (PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8")
    target = VAR_DIR / f"endpoints-{action_port}.yml"
    target.write_text(text.replace("http://127.0.0.1:5055/webhook", action_url(action_port)), encoding="utf-8")
    return target


# Chat apps switched on by environment variables (secrets stay out of tracked files):
# the channel class in credentials.yml's terms, and its settings -> variable.
CHAT_APP_CHANNELS = {
    "bot.channels.slack.LabelledSlackInput": {
        "slack_token": "COACH_SLACK_TOKEN", "slack_signing_secret": "COACH_SLACK_SIGNING_SECRET"},
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


# The Rasa server's entry point: the `rasa` command line with the speed-ups of
# bot/rasa_speedups.py applied first (bot/rasa_server.py, Rasa 3.6.x only).
RASA_SERVER = [sys.executable, "-m", "bot.rasa_server"]


def rasa_server_arguments(cfg: Dict[str, str], env: Optional[Mapping[str, str]] = None) -> List[str]:
    """`rasa run ...`'s arguments (without the program)."""
    # The API is always registered (the scheduler pushes through trigger_intent); the
    # request check in bot/channels/guard.py decides who may use it. No --auth-token:
    # the token reaches the server in its environment, never in the process list.
    arguments = [
        "run", "--enable-api", "--model", cfg["model"],
        "--port", cfg["port"], "--interface", cfg["host"],
        "--credentials", str(credentials_file(cfg["port"], env)),
        "--endpoints", str(endpoints_file(cfg["action_port"])),
    ]
    return arguments + (["--debug"] if cfg["debug"] else [])


def rasa_server_command(cfg: Dict[str, str], env: Optional[Mapping[str, str]] = None) -> List[str]:
    return RASA_SERVER + rasa_server_arguments(cfg, env)


def scheduler_command(cfg: Dict[str, str]) -> List[str]:
    return [sys.executable, "-m", "bot.scheduler", "--interval", "5"]


def child_env(cfg: Dict[str, str]) -> Dict[str, str]:
    env = dict(os.environ)
    env["SANIC_HOST"] = "127.0.0.1"  # rasa-sdk's action server: loopback only
    env["RASA_URL"] = f"http://127.0.0.1:{cfg['port']}"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")  # no calls home from an offline bot
    # Sanic 21.12 closes a new connection whose request it has not read within its
    # keep-alive timeout (5 s). The action server runs actions on its event loop, so under
    # load it can stall longer: Rasa's call then fails mid-body ("Cannot write to closing
    # transport", seen once in the multi-replica test) and the person gets the fallback.
    env.setdefault("SANIC_KEEP_ALIVE_TIMEOUT", "75")
    # Start-up deprecation noise of Rasa 3.6's pinned libraries (SQLAlchemy 2.0 notices,
    # TensorFlow/numpy deprecations) says nothing a user can act on; set either to show it.
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning,ignore::PendingDeprecationWarning")
    if cfg.get("token"):
        env[TOKEN_ENV] = cfg["token"]
    if cfg.get("secret"):
        env[SECRET_ENV] = cfg["secret"]
    env["COACH_HOST"] = cfg["host"]
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

        os.umask(0o077)  # databases, secrets and generated files: this user only
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        VAR_DIR.chmod(0o700)
        cfg = self.cfg
        created = prepare_secrets(cfg)
        check_exposure(cfg)
        get_store().migrate()
        actions = self.start(action_server_command(cfg))
        wait_for(f"http://127.0.0.1:{cfg['action_port']}/health", actions)
        server = self.start(rasa_server_command(cfg))
        wait_for(f"http://127.0.0.1:{cfg['port']}/", server)
        self.start(scheduler_command(cfg))
        base = f"http://{'127.0.0.1' if cfg['host'] in ('0.0.0.0', '::', '') else cfg['host']}:{cfg['port']}"
        print(startup_message(cfg, base, created), flush=True)
        while all(p.poll() is None for p in self.processes):
            time.sleep(0.5)
        return next((p.returncode for p in self.processes if p.poll() is not None), 0) or 1


def _shell_value(env_name: str, file_name: str) -> str:
    """How a shell command refers to a secret: its variable, or its file under var/."""
    return f"${env_name}" if os.environ.get(env_name) else f"$(cat {VAR_DIR / file_name})"


def startup_message(cfg: Dict[str, str], base: str, created: List[Path]) -> str:
    secret = _shell_value(SECRET_ENV, "webhook-secret")
    token = _shell_value(TOKEN_ENV, "api-token")
    lines = ["", "Coach & Mentor is up.",
             f"  Web chat page : {base}/webhooks/socketio/chat",
             f"  REST          : curl -s -X POST {base}/webhooks/rest/webhook "
             f"-H 'Content-Type: application/json' -H \"X-Coach-Secret: {secret}\" "
             "-d '{\"sender\": \"me\", \"message\": \"hello\"}'",
             "  Terminal chat : make chat"]
    if os.environ.get("COACH_ENABLE_API", "").strip().lower() in ("1", "true", "yes", "on"):
        lines.append(f"  HTTP API      : curl -H \"Authorization: Bearer {token}\" "
                     f"{base}/conversations/<sender>/tracker")
    else:
        lines.append("  HTTP API      : off (COACH_ENABLE_API=1 turns it on; it needs the API token)")
    for path in created:  # shown once, when created; later runs only name the file
        value = cfg["token"] if path.name == "api-token" else cfg["secret"]
        use = ("HTTP API: header 'Authorization: Bearer <token>'" if path.name == "api-token"
               else "REST webhook: header 'X-Coach-Secret: <secret>'")
        lines.append(f"  Created {path} (mode 0600) for the {use}:\n    {value}")
    lines.append("Press Ctrl-C to stop.\n")
    return "\n".join(lines)


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
