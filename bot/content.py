"""Loads the content library (YAML under data/content) once per process."""
from functools import lru_cache
from typing import Any

import yaml

from bot.paths import CONTENT_DIR


@lru_cache(maxsize=None)
def load(name: str) -> Any:
    """Return the parsed data/content/<name>.yml; cached because content is read-only."""
    with open(CONTENT_DIR / f"{name}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)
