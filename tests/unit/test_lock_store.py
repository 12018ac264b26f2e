"""The lock store chosen from the environment (bot/lock_store.py): Rasa's in-memory one for
a single server, Rasa's Redis one (shared by every replica) when COACH_REDIS_URL is set;
and socket.io's Redis client manager beside it."""
import asyncio
import uuid

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import EnvironmentLockStore, is_shared, redis_settings, socketio_client_manager

REDIS_URL = "redis://127.0.0.1:6379/14"


def redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping())
    except Exception:
        return False


def test_redis_url_is_read_into_rasa_settings():
    assert redis_settings("redis://127.0.0.1:6380/3") == {
        "host": "127.0.0.1", "port": 6380, "db": 3, "use_ssl": False}
    assert redis_settings("rediss://u:p%40ss@cache.example:6379")["password"] == "p@ss"
    assert redis_settings("redis://localhost")["db"] == 1
    with pytest.raises(ValueError):
        redis_settings("http://127.0.0.1:6379")


def test_without_redis_rasa_uses_its_in_memory_lock_store(monkeypatch):
    monkeypatch.delenv("COACH_REDIS_URL", raising=False)
    store = LockStore.create(EndpointConfig(type="bot.lock_store.EnvironmentLockStore"))
    assert isinstance(store, InMemoryLockStore) and not is_shared(store)
    assert socketio_client_manager() is None


@pytest.mark.skipif(not redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_with_redis_every_replica_shares_one_lock(monkeypatch):
    prefix = uuid.uuid4().hex[:10]
    monkeypatch.setenv("COACH_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("COACH_REDIS_PREFIX", prefix)
    first = LockStore.create(EndpointConfig(type="bot.lock_store.EnvironmentLockStore"))
    second = EnvironmentLockStore()  # another Rasa server's
    assert isinstance(first, RedisLockStore) and isinstance(second, RedisLockStore)
    assert is_shared(first)
    order = []

    async def turn(store, name, hold):
        async with store.lock("web:abc", wait_time_in_seconds=0.05):
            order.append(f"{name} in")
            await asyncio.sleep(hold)
            order.append(f"{name} out")

    async def both():
        one = asyncio.ensure_future(turn(first, "one", 0.3))
        await asyncio.sleep(0.05)
        await turn(second, "two", 0)
        await one

    asyncio.run(both())
    assert order == ["one in", "one out", "two in", "two out"]
    manager = socketio_client_manager()
    assert manager is not None and manager.channel == f"coach-socketio-{prefix}"
