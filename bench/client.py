"""One REST client for both bots (aiohttp), so neither side gets a different HTTP stack.

A turn is one POST /webhooks/rest/webhook; its latency is from sending the request to
having read the whole JSON answer. An error is a non-200 status, a timeout or a broken
connection; an empty reply is a 200 with no message (the bot said nothing).
"""
import asyncio
import time
from dataclasses import dataclass, asdict
from typing import Dict, List, Sequence, Tuple

import aiohttp

from bench.procs import webhook_headers
from bench.stats import summarize, throughput


@dataclass
class Turn:
    side: str
    user: int
    message: str
    latency_s: float
    status: int
    replies: int
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.status != 200 or bool(self.error)

    @property
    def empty(self) -> bool:
        return not self.failed and self.replies == 0


class Client:
    def __init__(self, timeout_s: float = 60.0):
        self.timeout_s = timeout_s
        self.session: aiohttp.ClientSession

    async def __aenter__(self) -> "Client":
        # No connection limit: 20 users must really be 20 concurrent requests.
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                             timeout=aiohttp.ClientTimeout(total=self.timeout_s))
        return self

    async def __aexit__(self, *exc) -> None:
        await self.session.close()

    async def send(self, side: str, url: str, sender: str, message: str, user: int = 0) -> Turn:
        started = time.perf_counter()
        try:
            async with self.session.post(f"{url}/webhooks/rest/webhook", headers=webhook_headers(url),
                                         json={"sender": sender, "message": message}) as response:
                body = await response.json(content_type=None) if response.status == 200 else None
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            return Turn(side, user, message, time.perf_counter() - started, 0, 0, type(error).__name__)
        latency = time.perf_counter() - started
        replies = len(body) if isinstance(body, list) else 0
        return Turn(side, user, message, latency, status, replies)


async def sequential(client: Client, targets: Dict[str, Tuple[str, str, Sequence[str]]]) -> Dict[str, List[Turn]]:
    """One user per side, messages in order. Sides alternate turn by turn (and which side
    goes first alternates too) so background load hits both alike."""
    sides = list(targets)
    turns: Dict[str, List[Turn]] = {side: [] for side in sides}
    count = min(len(messages) for _, _, messages in targets.values())
    for i in range(count):
        for side in (sides if i % 2 == 0 else list(reversed(sides))):
            url, sender, messages = targets[side]
            turns[side].append(await client.send(side, url, sender, messages[i]))
    return turns


async def concurrent(client: Client, side: str, url: str, sender_prefix: str,
                     per_user: Sequence[Sequence[str]], first_user: int = 0) -> Tuple[List[Turn], float]:
    """All users at once, each sending its messages one after another (a user waits for the
    answer before the next message, like a person). Returns turns and wall time."""
    turns: List[Turn] = []

    async def user(index: int, messages: Sequence[str]) -> None:
        for message in messages:
            turns.append(await client.send(side, url, f"{sender_prefix}-{first_user + index}", message,
                                           first_user + index))

    started = time.perf_counter()
    await asyncio.gather(*(user(i, msgs) for i, msgs in enumerate(per_user)))
    return turns, time.perf_counter() - started


def phase_summary(turns: List[Turn], wall_s: float = 0.0) -> Dict[str, float]:
    """Latency figures of the answered turns, error and empty counts, throughput."""
    ok = [t.latency_s for t in turns if not t.failed]
    summary = dict(summarize(ok))
    summary.update({
        "messages": len(turns),
        "errors": sum(t.failed for t in turns),
        "empty": sum(t.empty for t in turns),
    })
    if wall_s > 0:
        summary["wall_s"] = wall_s
        summary["throughput_rps"] = throughput(len(ok), wall_s)
    return summary


def turns_as_dicts(turns: List[Turn]) -> List[dict]:
    return [asdict(t) for t in turns]
