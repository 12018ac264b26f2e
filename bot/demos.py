"""Workshop demos: scripted conversations a trainer runs from the web page.

Each demo is a data file under data/demos/ (one per demo): a title, a note for the
trainer, a seed and the lines the "participant" says, in order. A line is either a
message (`say`) or a comparison of the coach and the mentor on a situation (`compare`).

With a seed, the bot's wording is the same on every run: the page (and any REST client)
sends metadata `demo_seed` with each message, and the actions seed the coach's choices
(question bank, reflection openers) from it, the message and the turn (turn_seed).
Without one, wording varies as usual.
"""
import hashlib
import json
from functools import lru_cache
from typing import Any, Dict, List, Optional

import yaml

from bot.paths import PROJECT_ROOT

DEMO_DIR = PROJECT_ROOT / "data" / "demos"
LINE_KINDS = ("say", "compare")
COMPARE_INTENT = "/compare_answers"
SEED_MAX_CHARS = 64


class DemoError(ValueError):
    """A demo file that does not have the expected shape."""


def turn_seed(demo_seed: Any, text: str, turn: int, *salt: str) -> Optional[int]:
    """The seed for one turn's choices, or None when no (valid) demo seed was given.

    The same demo seed, message, turn number and salt always give the same seed, in any
    process (hashlib, not Python's randomised hash())."""
    if isinstance(demo_seed, bool) or not isinstance(demo_seed, (int, str)):
        return None
    seed = str(demo_seed).strip()
    if not seed or len(seed) > SEED_MAX_CHARS:
        return None
    key = "\x1f".join([seed, text or "", str(turn), *salt])
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big")


def _message(line: Dict[str, Any]) -> Dict[str, str]:
    """What the client sends for a script line: text, and what the page shows for it."""
    kinds = [kind for kind in LINE_KINDS if kind in line]
    if len(kinds) != 1 or not isinstance(line[kinds[0]], str) or not line[kinds[0]].strip():
        raise DemoError(f"a demo line needs exactly one of {LINE_KINDS} with text: {line!r}")
    kind, words = kinds[0], " ".join(line[kinds[0]].split())
    if kind == "say":
        return {"kind": kind, "text": words, "display": words}
    payload = COMPARE_INTENT + json.dumps({"situation": words}, ensure_ascii=False)
    return {"kind": kind, "text": payload, "display": words}


def _demo(path) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    missing = [key for key in ("id", "title", "note", "seed", "lines") if key not in raw]
    if missing:
        raise DemoError(f"{path.name}: missing {missing}")
    if raw["id"] != path.stem:
        raise DemoError(f"{path.name}: id {raw['id']!r} must be the file name")
    if turn_seed(raw["seed"], "", 0) is None:
        raise DemoError(f"{path.name}: seed must be a number or a short text")
    lines = [_message(line) for line in raw["lines"]]
    if not lines:
        raise DemoError(f"{path.name}: no lines")
    return {"id": raw["id"], "title": raw["title"], "note": raw["note"],
            "seed": str(raw["seed"]), "order": int(raw.get("order", 99)), "lines": lines}


@lru_cache(maxsize=None)
def _all() -> tuple:
    demos = [_demo(path) for path in sorted(DEMO_DIR.glob("*.yml"))]
    return tuple(sorted(demos, key=lambda d: (d["order"], d["id"])))


def demos() -> List[Dict[str, Any]]:
    """Every demo, in the order the page lists them."""
    return [dict(d, lines=[dict(line) for line in d["lines"]]) for d in _all()]


def demo(demo_id: str) -> Dict[str, Any]:
    for found in demos():
        if found["id"] == demo_id:
            return found
    raise KeyError(demo_id)


def metadata(found: Dict[str, Any], line: Dict[str, str]) -> Dict[str, str]:
    """The metadata a client sends with a script line."""
    out = {"demo_seed": found["seed"]}
    if line["display"] != line["text"]:
        out["display"] = line["display"]
    return out
