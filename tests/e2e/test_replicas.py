"""Several Rasa servers on shared stores, behind a real load balancer (issue 21).

Two Rasa servers, two action servers and two follow-up schedulers on loopback, behind
HAProxy (Debian's package, installed by `make lb-deps`), on PostgreSQL (a fresh database)
and Redis (locks and socket.io rooms, keys under a fresh prefix). What it shows:

- one replica: PEOPLE_ONE people hold a GROW conversation at once, every turn on replica A;
  their replies are the reference, and the turns per second of one replica;
- two replicas: PEOPLE_TWO people at once, each person's turns alternating between A and
  B (HAProxy's use-server on a test header; a real deployment balances round robin, with
  the cookie stickiness below for socket.io), turns per second of two replicas;
- replica B is killed (SIGKILL: no shutdown of any kind) in the middle of the
  conversations, between two turns, and started again while they go on; until HAProxy's
  health check marks it down, a turn sent to it is refused at connect and HAProxy
  redispatches it to A; then its turns go to A until it is back. (A turn in flight at the
  moment of a crash is not covered: its client gets a 502 and has to send it again.)
- afterwards: every person's stored conversation holds exactly the messages sent and the
  replies received, in order (nothing lost, duplicated or reordered), their goal is
  recorded once, and their replies are word for word those one replica gave;
- web pages connected through HAProxy (socket.io long-polling, kept on one replica by
  HAProxy's cookie) get a check-in that both schedulers race to push through replica B,
  whichever replica holds the page: each page shows it exactly once.

The figures are printed (run with -s to see them) and recorded in docs/performance.md.
"""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, List, Optional

import pytest
import requests

from bot.paths import PROJECT_ROOT
from tests.e2e.coachee import DELEGATION_COACHING
from tests.e2e.servers import BotServers, port_in_use, wait_until

BASE = int(os.environ.get("COACH_REPLICA_PORT", "8805"))  # LB; A, B; their action servers +50
PG_ADMIN_URL = os.environ.get("COACH_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("COACH_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
PEOPLE_ONE = 10
PEOPLE_TWO = 50
PAGES = 3
DEMO_SEED = 21
# fourteen turns (issue 18: contract, readiness, a stay); the goal is recorded at the end
CONVERSATION = ["coach me", *DELEGATION_COACHING]
KILL_AFTER_TURN = 4  # replica B is killed after this many turns of everyone...
BACK_BEFORE_TURN = 10  # ...and is serving again from this turn on (it restarts meanwhile)


def haproxy() -> Optional[str]:
    return shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy",) if os.path.exists(p)), None)


def reachable(check) -> bool:
    try:
        check()
        return True
    except Exception:
        return False


def _pg_ok():
    from sqlalchemy import create_engine

    engine = create_engine(PG_ADMIN_URL)
    with engine.connect():
        pass
    engine.dispose()


def _redis_ok():
    import redis

    redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()


HAPROXY_CONFIG = """
global
    maxconn 1024
    log stdout format raw local0
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 180s
    timeout server 180s
    # A replica busy with everyone's turns while the other restarts (two shared cores)
    # answers its health check late: busy is not down. A killed one refuses at once.
    timeout check 120s
    timeout tunnel 1h
    retries 3
    option redispatch 1
    option http-server-close
frontend coach
    bind 127.0.0.1:{lb}
    default_backend rasa
backend rasa
    balance roundrobin
    # Sticky sessions for the web page: socket.io's long-polling requests must reach the
    # replica that holds the socket. REST and chat-app webhooks need no stickiness.
    cookie COACH_REPLICA insert indirect nocache httponly
    # The test pins turns to a replica; a server that is down is skipped (rule ignored).
    use-server a if {{ req.hdr(X-Coach-Replica) -m str a }}
    use-server b if {{ req.hdr(X-Coach-Replica) -m str b }}
    http-response set-header X-Coach-Served-By %s
    option httpchk
    http-check send meth GET uri / ver HTTP/1.1 hdr Host 127.0.0.1
    server a 127.0.0.1:{a} check inter 1s fall 3 rise 1 cookie a
    server b 127.0.0.1:{b} check inter 1s fall 3 rise 1 cookie b
"""


class Cluster:
    def __init__(self, workdir: Path, db_url: str, prefix: str):
        self.workdir = workdir
        self.db_url = db_url
        self.lb = f"http://127.0.0.1:{BASE}"
        token, secret = uuid.uuid4().hex, uuid.uuid4().hex
        env = {"COACH_DATABASE_URL": db_url, "COACH_REDIS_URL": REDIS_URL, "COACH_REDIS_PREFIX": prefix,
               "COACH_API_TOKEN": token, "COACH_WEBHOOK_SECRET": secret}
        self.replicas = {
            name: BotServers(workdir / name, port=BASE + 1 + i, action_port=BASE + 51 + i, extra_env=env)
            for i, name in enumerate("ab")}
        self.haproxy: Optional[subprocess.Popen] = None
        self.schedulers: List[subprocess.Popen] = []
        self.headers = {"X-Coach-Secret": secret}
        self.api = {"Authorization": f"Bearer {token}"}
        self.served_by: Dict[str, int] = {}
        self.lock = threading.Lock()

    def start(self) -> None:
        for name, servers in self.replicas.items():
            (self.workdir / name).mkdir(parents=True, exist_ok=True)
        errors = []

        def start(servers):
            try:
                servers.start()
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)

        threads = [threading.Thread(target=start, args=(s,)) for s in self.replicas.values()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        config = self.workdir / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(lb=BASE, a=BASE + 1, b=BASE + 2), encoding="utf-8")
        self.haproxy = subprocess.Popen([haproxy(), "-db", "-f", str(config)],
                                        stdout=open(self.workdir / "haproxy.log", "ab"), stderr=subprocess.STDOUT)
        assert wait_until(lambda: self.up("a") and self.up("b"), timeout=20), "HAProxy did not see both replicas"

    def up(self, name: str) -> bool:
        """Whether HAProxy routes a request pinned to this replica to it."""
        try:
            response = requests.get(f"{self.lb}/", headers={"X-Coach-Replica": name}, timeout=5)
        except requests.RequestException:
            return False
        return response.status_code == 200 and response.headers.get("X-Coach-Served-By") == name

    def say(self, sender: str, text: str, replica: str) -> List[dict]:
        # A workshop script's fixed seed (bot/demos.py): the coach's wording then depends only
        # on the conversation, so every person's replies can be compared word for word.
        body = {"sender": sender, "message": text, "metadata": {"demo_seed": DEMO_SEED}}
        response = requests.post(f"{self.lb}/webhooks/rest/webhook", json=body,
                                 headers={**self.headers, "X-Coach-Replica": replica}, timeout=120)
        assert response.status_code == 200, (response.status_code, response.text[:300])
        with self.lock:
            served = response.headers.get("X-Coach-Served-By", "?")
            self.served_by[served] = self.served_by.get(served, 0) + 1
        return response.json()

    def tracker(self, sender: str) -> dict:
        response = requests.get(f"{self.lb}/conversations/{sender}/tracker", headers=self.api, timeout=60)
        response.raise_for_status()
        return response.json()

    def start_schedulers(self) -> None:
        """Two schedulers racing over the same follow-ups, both pushing through replica B."""
        servers = self.replicas["b"]
        for n in range(2):
            env = dict(servers.env, RASA_URL=servers.url, PYTHONPATH=str(PROJECT_ROOT))
            self.schedulers.append(subprocess.Popen(
                [sys.executable, "-m", "bot.scheduler", "--interval", "0.5", "--worker-id", f"scheduler-{n}"],
                cwd=PROJECT_ROOT, env=env, stdout=open(self.workdir / f"scheduler-{n}.log", "ab"),
                stderr=subprocess.STDOUT))

    def kill(self, name: str) -> None:
        """A crash: SIGKILL, nothing is shut down (sockets, Redis lock tickets, rooms)."""
        process = self.replicas[name].rasa
        process.send_signal(signal.SIGKILL)
        process.wait(30)

    def stop(self) -> None:
        for process in [*self.schedulers, self.haproxy]:
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
        for servers in self.replicas.values():
            servers.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from bot import run

    if not Path(run.settings()["model"]).exists():
        pytest.skip("no trained model: run `make train` (make test does it first)")
    if haproxy() is None:
        pytest.skip("HAProxy is not installed (`make lb-deps` installs Debian's haproxy; it could not here)")
    if not reachable(_pg_ok):
        pytest.skip(f"no PostgreSQL at {PG_ADMIN_URL}")
    if not reachable(_redis_ok):
        pytest.skip(f"no Redis at {REDIS_URL}")
    busy = [p for p in (BASE, BASE + 1, BASE + 2, BASE + 51, BASE + 52) if port_in_use(p)]
    if busy:
        pytest.fail(f"ports {busy} are busy (COACH_REPLICA_PORT moves this test)")
    name = f"coach_replicas_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    db_url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    prefix = uuid.uuid4().hex[:12]
    # Tables made once before the servers start (no two processes racing to create them).
    from bot.store import Store

    store = Store(db_url)
    store.migrate()
    previous = os.environ.get("COACH_TRACKER_URL")
    os.environ["COACH_TRACKER_URL"] = db_url
    try:
        from bot.tracker_store import DatabaseUrlTrackerStore

        DatabaseUrlTrackerStore(domain=None).engine.dispose()
    finally:
        if previous is None:
            os.environ.pop("COACH_TRACKER_URL", None)
        else:
            os.environ["COACH_TRACKER_URL"] = previous
    cluster = Cluster(tmp_path_factory.mktemp("replicas"), db_url, prefix)
    cluster.store = store
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        store.dispose()
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def reply_view(messages: List[dict]) -> List[tuple]:
    return [(m.get("text"), (m.get("metadata") or {}).get("persona"), (m.get("metadata") or {}).get("technique"))
            for m in messages]


def converse(cluster: Cluster, people: List[str], turns: range, route, replies: Dict[str, list]) -> float:
    """Every person takes these turns, all people at once; returns turns per second."""
    def person(sender):
        for turn in turns:
            replies[sender].append(cluster.say(sender, CONVERSATION[turn], route(sender, turn)))

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        for future in [pool.submit(person, sender) for sender in people]:
            future.result()
    return len(people) * len(turns) / (time.monotonic() - started)


def test_two_replicas_behind_haproxy_lose_duplicate_and_reorder_nothing(cluster, capsys):
    run_id = uuid.uuid4().hex[:8]
    one = [f"replica-one-{run_id}-{n}" for n in range(PEOPLE_ONE)]
    two = [f"replica-two-{run_id}-{n}" for n in range(PEOPLE_TWO)]
    replies: Dict[str, list] = {sender: [] for sender in one + two}
    figures = {}
    began = time.monotonic()

    # One replica: every turn on A (B idles).
    first_half, second_half = range(0, KILL_AFTER_TURN), range(KILL_AFTER_TURN, len(CONVERSATION))
    figures["one"] = converse(cluster, one, first_half, lambda s, t: "a", replies)
    converse(cluster, one, second_half, lambda s, t: "a", replies)

    # Two replicas: a person's turns alternate between A and B.
    index = {sender: n for n, sender in enumerate(two)}

    def alternate(sender, turn):
        return "ab"[(index[sender] + turn) % 2]

    figures["two"] = converse(cluster, two, first_half, alternate, replies)

    # B goes down and comes back while the conversations go on.
    b = cluster.replicas["b"]
    restarted = threading.Event()

    cluster.kill("b")  # between two turns: no turn is in flight on B
    # The schedulers start now, their start-up overlapping B's (no figure is taken until
    # the end); nothing is due until the pages' check-ins are stored.
    cluster.start_schedulers()

    def restart():
        b.start_rasa()
        restarted.set()

    bouncer = threading.Thread(target=restart)
    bouncer.start()
    converse(cluster, two, range(KILL_AFTER_TURN, BACK_BEFORE_TURN), alternate, replies)
    bouncer.join(300)
    assert restarted.is_set(), "replica B did not come back"
    assert wait_until(lambda: cluster.up("b"), timeout=30), "HAProxy does not route to B again"
    served_before = dict(cluster.served_by)
    converse(cluster, two, range(BACK_BEFORE_TURN, len(CONVERSATION)), alternate, replies)
    assert cluster.served_by.get("b", 0) > served_before.get("b", 0), "B served nothing after its restart"

    # Every conversation: exactly what was sent and received, in order; the same replies
    # as one replica gave; the goal recorded once.
    reference = [reply_view(r) for r in replies[one[0]]]
    for sender in one + two:
        assert [reply_view(r) for r in replies[sender]] == reference, sender
    assert reference[-1][-1][2] == "summary", [[m[2] for m in turn] for turn in reference]
    events_checked = 0
    for sender in one + two:
        events = cluster.tracker(sender)["events"]
        events_checked += len(events)
        said = [e["text"] for e in events if e["event"] == "user"]
        assert said == CONVERSATION, sender
        shown = [e.get("text") for e in events if e["event"] == "bot" and (e.get("text") or e.get("data", {}).get("buttons"))]
        received = [m.get("text") for turn in replies[sender] for m in turn]
        assert shown == received, sender
        timestamps = [e["timestamp"] for e in events]
        assert timestamps == sorted(timestamps), sender
        goals = cluster.store.list_goals(sender)
        assert len(goals) == 1 and "delegating" in goals[0]["text"], (sender, goals)

    # Web pages through HAProxy; their check-ins pushed through replica B by two schedulers.
    import socketio

    pages = []
    for _ in range(PAGES):
        received, confirmed = [], threading.Event()
        client = socketio.Client(reconnection=False)
        client.on("bot_uttered", lambda data, box=received: box.append(data))
        client.on("session_confirm", lambda data, flag=confirmed: flag.set())
        # Long-polling through the load balancer: each request of the page carries HAProxy's
        # cookie, so all of them reach the replica that holds its socket.
        client.connect(cluster.lb, transports=["polling"], socketio_path="socket.io", wait_timeout=20)
        session_id = uuid.uuid4().hex
        client.emit("session_request", {"session_id": session_id})
        assert confirmed.wait(20), "the page's session was not confirmed"
        pages.append((client, session_id, received))
    held_by = sorted(client.eio.http.cookies.get("COACH_REPLICA", "?") for client, _, _ in pages)
    now = datetime.now(timezone.utc)
    followups = []
    for client, session_id, _ in pages:
        sender = f"web:{session_id}"
        goal = cluster.store.add_goal(sender, "give clearer feedback in one-to-ones", first_step="ask Sam for feedback")
        followups.append(cluster.store.add_followup(sender, now - timedelta(minutes=1), goal_id=goal["id"],
                                                    channel="socketio")["id"])
    try:
        assert wait_until(lambda: all(received for _, _, received in pages), timeout=60), \
            "a pushed check-in did not reach its page"
        time.sleep(3)  # several more scheduler rounds: nothing may come twice
        for (client, session_id, received), followup in zip(pages, followups):
            assert len(received) == 1, received
            assert "Sam" in received[0]["text"] or "feedback" in received[0]["text"], received[0]
            assert cluster.store.get_followup(f"web:{session_id}", followup)["status"] == "delivered"
    finally:
        for client, _, _ in pages:
            # The page goes away: engine.io's close is sent, and its pending long-poll is
            # not waited for (that held each page up to 45 s, one after the other).
            client.eio.disconnect(abort=True)

    with capsys.disabled():
        print(f"\nreplicas: one replica {figures['one']:.1f} turns/s ({PEOPLE_ONE} people), "
              f"two replicas {figures['two']:.1f} turns/s ({PEOPLE_TWO} people); the first {KILL_AFTER_TURN} turns; "
              f"served by {cluster.served_by}; {events_checked} events checked in "
              f"{len(one) + len(two)} conversations; {PAGES} check-ins each shown once, pages held by "
              f"replicas {held_by} through HAProxy; test body {time.monotonic() - began:.0f} s")
