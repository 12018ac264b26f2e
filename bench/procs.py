"""Server processes: start-up timing to the first REST answer, peak memory, stopping."""
import json
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

PROBE_MESSAGE = "hello"
# Headers a server's REST webhook needs (our bot's webhook secret), by base URL.
WEBHOOK_HEADERS: Dict[str, Dict[str, str]] = {}


def webhook_headers(url: str) -> Dict[str, str]:
    return dict(WEBHOOK_HEADERS.get(url.rstrip("/"), {}))


def _status_kb(pid: int, field: str) -> Optional[int]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _children(pid: int) -> List[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    kids = [int(p) for p in text.split()]
    return kids + [g for k in kids for g in _children(k)]


def peak_rss_mb(pid: int) -> Optional[float]:
    """Peak resident set (VmHWM) of a process and its descendants, in MB. The kernel keeps
    the high-water mark, so reading it once before stopping covers the whole run."""
    values = [_status_kb(p, "VmHWM") for p in [pid] + _children(pid)]
    known = [v for v in values if v is not None]
    return sum(known) / 1024.0 if known else None


def first_reply_seconds(url: str, process: subprocess.Popen, started: float, timeout: float = 300.0,
                        sender: str = "bench-startup-probe") -> float:
    """Polls the REST webhook until it answers with at least one message; returns seconds
    since `started` (a time.monotonic() taken just before the process was spawned)."""
    body = json.dumps({"sender": sender, "message": PROBE_MESSAGE}).encode()
    deadline = started + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before answering {url}")
        request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body,
                                         headers={"Content-Type": "application/json", **webhook_headers(url)})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                if response.status == 200 and json.loads(response.read() or b"[]"):
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, OSError, ValueError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} gave no answer within {timeout:.0f}s")


def stop(process: Optional[subprocess.Popen], timeout: float = 20.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def cpu_seconds(pid: int) -> Optional[float]:
    """User + system CPU time of a process and its live descendants so far. Per-turn CPU
    is steadier than wall latency when other jobs share the machine."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    total, found = 0.0, False
    for p in [pid] + _children(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime (fields 14, 15)
        found = True
    return total if found else None
