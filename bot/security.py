"""Secrets created on first run, and the host names the server answers to.

- The API token (COACH_API_TOKEN) guards every HTTP API route; the webhook secret
  (COACH_WEBHOOK_SECRET) guards the REST webhook. Given in the environment they are used
  as they are; otherwise `make run` creates each once, in the var directory, readable by
  this user only (mode 0600), and reuses it on later runs.
- The server answers only requests whose Host header names loopback or one of the host
  names in COACH_ALLOWED_HOSTS (comma separated): a page on another site cannot reach it
  through DNS rebinding.
"""
import ipaddress
import os
import secrets
from pathlib import Path
from typing import FrozenSet, Optional, Tuple

TOKEN_ENV = "COACH_API_TOKEN"
SECRET_ENV = "COACH_WEBHOOK_SECRET"
SECRET_FILES = {TOKEN_ENV: "api-token", SECRET_ENV: "webhook-secret"}
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    """localhost or a loopback address (127.0.0.0/8, ::1); never a name like 127.0.0.1.nip.io."""
    host = (host or "").strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_name(header: Optional[str]) -> str:
    """'Example.org:5005' -> 'example.org'; '[::1]:5005' -> '::1'."""
    value = (header or "").strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def allowed_hosts(env: Optional[dict] = None) -> FrozenSet[str]:
    env = os.environ if env is None else env
    names = {host_name(n) for n in (env.get("COACH_ALLOWED_HOSTS") or "").split(",") if n.strip()}
    bound = host_name(env.get("COACH_HOST") or "")
    if bound and bound not in ("0.0.0.0", "::"):
        names.add(bound)
    return frozenset(names | LOOPBACK_NAMES)


def host_allowed(header: Optional[str], env: Optional[dict] = None) -> bool:
    name = host_name(header)
    return bool(name) and (name in allowed_hosts(env) or is_loopback(name))


def _write_private(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(value + "\n")


def load_or_create(env_name: str, var_dir: Path, env: Optional[dict] = None) -> Tuple[str, Optional[Path]]:
    """The secret from the environment, else from its file in `var_dir` (created with a
    new random value, mode 0600, when missing). Returns (value, file it was created in or
    None when it already existed or came from the environment)."""
    env = os.environ if env is None else env
    given = (env.get(env_name) or "").strip()
    if given:
        return given, None
    path = Path(var_dir) / SECRET_FILES[env_name]
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        value = ""
    if value:
        path.chmod(0o600)
        return value, None
    value = secrets.token_urlsafe(32)
    if path.exists():
        path.unlink()
    _write_private(path, value)
    return value, path
