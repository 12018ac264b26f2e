"""Loads bench/scenarios.yml and turns its conversations into per-user message lists."""
from pathlib import Path
from typing import Dict, List

import yaml

SCENARIOS_FILE = Path(__file__).with_name("scenarios.yml")


def load(path: Path = SCENARIOS_FILE) -> Dict[str, List[List[str]]]:
    """{"ours": [[msg, ...], ...], "baseline": [...]}: one list per conversation."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mixes = {}
    for side in ("ours", "baseline"):
        conversations = [[str(m) for m in c["messages"]] for c in data.get(side) or []]
        if not conversations or not all(conversations):
            raise ValueError(f"{path}: '{side}' needs at least one conversation with messages")
        mixes[side] = conversations
    return mixes


def messages_for_user(conversations: List[List[str]], user: int, count: int) -> List[str]:
    """`count` messages for user number `user`: conversations played back to back, starting
    at conversation `user` (mod their number) so concurrent users are spread over the mix."""
    out: List[str] = []
    index = user % len(conversations)
    while len(out) < count:
        out.extend(conversations[index])
        index = (index + 1) % len(conversations)
    return out[:count]
