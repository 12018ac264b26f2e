"""Held-out NLU figures (tests/nlu/test_nlu.yml, never trained on), parsed through the
running server's /model/parse so they describe exactly the model being benchmarked."""
import asyncio
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import aiohttp

from bench.stats import accuracy, macro_f1


def load_examples(path: Path) -> List[Tuple[str, str]]:
    """(text, intent) pairs, with entity annotations stripped by Rasa's own reader."""
    from rasa.shared.nlu.training_data.loading import load_data

    return [(e.get("text"), e.get("intent")) for e in load_data(str(path)).intent_examples]


async def _parse_all(url: str, texts: List[str], headers: Optional[Dict[str, str]] = None) -> List[str]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60), headers=headers) as session:
        predicted = []
        for text in texts:
            async with session.post(f"{url}/model/parse", json={"text": text}) as response:
                response.raise_for_status()
                body = await response.json()
                predicted.append((body.get("intent") or {}).get("name") or "")
        return predicted


def evaluate(url: str, path: Path, headers: Optional[Dict[str, str]] = None) -> Dict[str, float]:
    """`headers`: the API token's (the HTTP API is guarded as deployed)."""
    examples = load_examples(path)
    expected = [intent for _, intent in examples]
    predicted = asyncio.run(_parse_all(url, [text for text, _ in examples], headers))
    misses = [f"{t!r}: {e} -> {p}" for (t, e), p in zip(examples, predicted) if e != p]
    return {
        "n": len(expected),
        "accuracy": accuracy(expected, predicted),
        "macro_f1": macro_f1(expected, predicted),
        "misses": misses,
    }
