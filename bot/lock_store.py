"""The conversation lock store, chosen from the environment (endpoints.yml names this class).

Rasa serialises the turns of one conversation with a lock. Its default, the in-memory lock
store, is per process: with several Rasa servers behind a load balancer two replicas could
run turns of the same person at once and interleave their events. Rasa's documented answer
is its Redis lock store, shared by every replica; this class builds exactly that one when
COACH_REDIS_URL is set, and Rasa's in-memory one otherwise (one server, `make run`).

  COACH_REDIS_URL   redis://[user:password@]host:port/db   (db 1 when the path is empty)
  COACH_REDIS_PREFIX letters and digits before every lock key and in the socket.io channel
                     (several bots on one Redis)

Rasa's `lock_store: type: redis` is what is built; the class only reads its settings from
one URL instead of four variables, and keeps `rasa shell` working without Redis.
"""
import os
from typing import Any, Optional
from urllib.parse import unquote, urlparse

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

REDIS_URL_ENV = "COACH_REDIS_URL"
PREFIX_ENV = "COACH_REDIS_PREFIX"


def redis_url() -> Optional[str]:
    value = os.environ.get(REDIS_URL_ENV, "").strip()
    return value or None


def redis_settings(url: str) -> dict:
    """RedisLockStore's keyword arguments for a redis:// URL."""
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError(f"{REDIS_URL_ENV} must be a redis:// or rediss:// URL")
    path = parsed.path.lstrip("/")
    settings = {
        "host": parsed.hostname or "localhost",
        "port": parsed.port or 6379,
        "db": int(path) if path else 1,
        "use_ssl": parsed.scheme == "rediss",
    }
    if parsed.username:
        settings["username"] = unquote(parsed.username)
    if parsed.password:
        settings["password"] = unquote(parsed.password)
    return settings


class EnvironmentLockStore:
    """Factory Rasa calls as `EnvironmentLockStore(endpoint_config=...)`: returns Rasa's own
    RedisLockStore (COACH_REDIS_URL set) or InMemoryLockStore."""

    def __new__(cls, endpoint_config: Any = None, **_: Any) -> LockStore:  # type: ignore[misc]
        url = redis_url()
        if url is None:
            return InMemoryLockStore()
        prefix = os.environ.get(PREFIX_ENV, "").strip() or None
        return RedisLockStore(key_prefix=prefix, **redis_settings(url))


def is_shared(lock_store: Any) -> bool:
    """Whether turns on other processes see this lock store's locks."""
    return lock_store is not None and not isinstance(lock_store, InMemoryLockStore)


def socketio_client_manager() -> Any:
    """python-socketio's Redis client manager when COACH_REDIS_URL is set, else None (the
    server keeps its rooms in process). With it, an emit to a page's room on any replica
    reaches the replica that holds the page's socket: a check-in pushed through one Rasa
    server shows on a page connected to another."""
    url = redis_url()
    if url is None:
        return None
    from socketio import AsyncRedisManager

    prefix = os.environ.get(PREFIX_ENV, "").strip()
    return AsyncRedisManager(url, channel=f"coach-socketio{('-' + prefix) if prefix else ''}")
