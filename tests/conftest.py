"""Shared test set-up: the project root on sys.path, quiet TensorFlow, and the servers
for e2e and browser tests: one pair for the whole session (start-up costs ~40 s); tests
that must restart or stop servers get their own pair."""
import itertools
import os
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from tests.e2e.servers import BotServers  # noqa: E402  (needs the project root on sys.path)

# Test servers use ports from COACH_TEST_PORT (default 5105) upwards.
BASE_PORT = int(os.environ.get("COACH_TEST_PORT", "5105"))
MODEL_MISSING = "no trained model: run `make train` (make test does it first)"
_ports = itertools.count(0)


def _model_exists() -> bool:
    from bot import run

    return Path(run.settings()["model"]).exists()


@pytest.fixture(scope="session")
def bot(tmp_path_factory):
    if not _model_exists():
        pytest.skip(MODEL_MISSING)
    servers = BotServers(tmp_path_factory.mktemp("bot"), port=BASE_PORT, action_port=BASE_PORT + 50).start()
    yield servers
    servers.stop()


@pytest.fixture
def own_bot(tmp_path_factory):
    """A private pair of servers, for tests that stop or restart them."""
    if not _model_exists():
        pytest.skip(MODEL_MISSING)
    offset = next(_ports)
    created = []

    def make(**extra_env):
        servers = BotServers(tmp_path_factory.mktemp("ownbot"), port=BASE_PORT + 100 + offset * 2,
                             action_port=BASE_PORT + 150 + offset * 2, extra_env=extra_env)
        created.append(servers)
        return servers

    yield make
    for servers in created:
        servers.stop()


@pytest.fixture
def sender():
    return f"test-{uuid.uuid4().hex[:12]}"
