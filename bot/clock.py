"""The one clock the bot reads, so tests and demos can move it (COACH_CLOCK_OFFSET_SECONDS)."""
import os
from datetime import datetime, timedelta, timezone


def now() -> datetime:
    offset = float(os.environ.get("COACH_CLOCK_OFFSET_SECONDS", "0") or 0)
    return datetime.now(timezone.utc) + timedelta(seconds=offset)
