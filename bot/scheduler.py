"""Follow-up scheduler: pushes due check-ins to people on push channels.

Rasa's own reminders die with the server process, so follow-ups live in the store and this
loop delivers them through Rasa's HTTP API (``trigger_intent`` with ``followup_due``).
Only push channels are handled here; follow-ups on other channels (e.g. ``rest``) stay
pending until the person's next message, where the channel claims them.

Run: ``python -m bot.scheduler [--once] [--interval 5] [--now ISO]``.
Logs carry sender ids and follow-up ids, never message or goal text.
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import threading
from datetime import datetime, timedelta, timezone
from typing import Dict, Iterable, Optional
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from bot.store import Store, StoreUnavailable, get_store

log = logging.getLogger("bot.scheduler")

PUSH_CHANNELS = frozenset({"socketio", "slack"})
TRIGGER_INTENT = "followup_due"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"
# A claim older than this belongs to a worker that died mid-delivery.
STALE_CLAIM_AFTER = timedelta(minutes=10)
HTTP_TIMEOUT = (3.05, 30)  # (connect, read) seconds


def http_session() -> requests.Session:
    """A session that retries transient failures before we give the claim back.

    Connection errors never reached Rasa, so retrying them cannot double-deliver; read
    errors are not retried for the same reason. Gateway errors (502-504) mean the
    request did not get through a proxy or Rasa is still starting.
    """
    retry = Retry(
        total=3,
        connect=3,
        read=0,
        status=2,
        backoff_factor=0.5,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"POST"}),
        raise_on_status=False,
    )
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def deliver(
    http: requests.Session, rasa_url: str, followup: Dict, token: Optional[str] = None
) -> bool:
    """Ask Rasa to run the follow-up turn for this person; True on a 2xx answer."""
    params = {"output_channel": followup["channel"]}
    if token:
        params["token"] = token
    # ":" stays as it is (legal in a path segment): Sanic does not unquote path
    # parameters, and channel sender ids are "slack:U123", "web:<id>", "teams:29:...".
    sender = quote(followup["sender_id"], safe=":")
    url = f"{rasa_url.rstrip('/')}/conversations/{sender}/trigger_intent"
    body = {"name": TRIGGER_INTENT, "entities": {"followup_id": followup["id"]}}
    try:
        response = http.post(url, params=params, json=body, timeout=HTTP_TIMEOUT)
    except requests.RequestException as e:
        log.warning(
            "follow-up %s for sender %s not delivered: %s",
            followup["id"], followup["sender_id"], type(e).__name__,
        )
        return False
    if 200 <= response.status_code < 300:
        return True
    log.warning(
        "follow-up %s for sender %s not delivered: HTTP %s",
        followup["id"], followup["sender_id"], response.status_code,
    )
    return False


def run_once(
    store: Store,
    now: datetime,
    worker_id: str,
    *,
    http: Optional[requests.Session] = None,
    rasa_url: Optional[str] = None,
    token: Optional[str] = None,
    channels: Iterable[str] = PUSH_CHANNELS,
    limit: int = 50,
) -> Dict[str, int]:
    """One round: free stale claims, claim what is due, deliver, record the outcome."""
    rasa_url = rasa_url or os.environ.get("RASA_URL", DEFAULT_RASA_URL)
    token = token if token is not None else os.environ.get("COACH_API_TOKEN") or None
    http = http or http_session()
    stats = {"claimed": 0, "delivered": 0, "failed": 0, "released_stale": 0}
    stats["released_stale"] = store.release_stale_claims(STALE_CLAIM_AFTER)
    due = store.claim_due_followups(now, worker_id, limit=limit, channels=set(channels))
    stats["claimed"] = len(due)
    for followup in due:
        if deliver(http, rasa_url, followup, token):
            store.mark_delivered(followup["id"])
            stats["delivered"] += 1
            log.info("follow-up %s delivered to sender %s on %s",
                     followup["id"], followup["sender_id"], followup["channel"])
        else:
            store.release_claim(followup["id"])  # pending again: retried next round
            stats["failed"] += 1
    return stats


def default_worker_id() -> str:
    return f"scheduler@{socket.gethostname()}:{os.getpid()}"


def _parse_now(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.scheduler", description="Deliver due follow-ups via Rasa."
    )
    parser.add_argument("--once", action="store_true", help="run one round and exit")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between rounds")
    parser.add_argument("--now", help="pretend the clock reads this ISO time (testing)")
    parser.add_argument("--worker-id", default=default_worker_id())
    parser.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "INFO"))
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # start-up noise

    # --now shifts the clock; later rounds keep moving forward from there.
    offset = _parse_now(args.now) - datetime.now(timezone.utc) if args.now else timedelta(0)
    stop = threading.Event()

    def _stop(signum, _frame):
        log.info("signal %s received, stopping", signum)
        stop.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    http = http_session()
    log.info("scheduler %s started (interval %ss)", args.worker_id, args.interval)
    failed_round = False
    try:
        while not stop.is_set():
            try:
                stats = run_once(
                    get_store(), datetime.now(timezone.utc) + offset, args.worker_id, http=http
                )
                failed_round = False
                if stats["claimed"] or stats["released_stale"]:
                    log.info("round: %s", stats)
            except StoreUnavailable as e:
                failed_round = True
                log.warning("store unavailable, retrying next round: %s", e)
            if args.once:
                break
            stop.wait(args.interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        http.close()
    log.info("scheduler %s stopped", args.worker_id)
    return 1 if (args.once and failed_round) else 0


if __name__ == "__main__":
    raise SystemExit(main())
