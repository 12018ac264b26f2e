"""Our bot as `make run` starts it (action server + Rasa server, SQLite stores), through the
e2e harness's BotServers, in a temporary var dir and on the benchmark's own ports."""
import sys
import time
from pathlib import Path
from typing import Dict, Optional

from bench import procs


class OurServers:
    def __init__(self, workdir: Path, port: int, action_port: int, model: Path, patches: str = "",
                 redis_url: str = ""):
        """`redis_url`: Rasa's Redis lock store there (keys under a fresh prefix), as each
        replica of a deployment runs; empty: the in-memory lock store of `make run`."""
        import uuid

        from tests.e2e.servers import BotServers

        self.patches = patches
        # Set explicitly either way: a COACH_REDIS_URL in the caller's environment does
        # not decide the lock store behind the bench's back.
        lock_env = {"COACH_REDIS_URL": redis_url,
                    "COACH_REDIS_PREFIX": f"bench{uuid.uuid4().hex[:8]}" if redis_url else ""}
        self.servers = BotServers(workdir, port, action_port,
                                  extra_env={"COACH_MODEL": str(model), "BENCH_PROBE_PATCH": patches, **lock_env})
        self.servers.cfg["model"] = str(model)
        self.url = self.servers.url
        procs.WEBHOOK_HEADERS[self.url] = self.servers.rest_headers  # authentication on, as deployed
        workdir.mkdir(parents=True, exist_ok=True)

    def start_actions(self) -> None:
        self.servers.start_actions()

    def start_rasa_timed(self) -> float:
        """Starts the Rasa server (the action server must be up); seconds from spawning it
        to its first REST answer, the same measurement as the baseline's."""
        from bot import run

        command = run.rasa_server_command(self.servers.cfg)
        if self.patches:  # a candidate code fix, applied by bench/probe.py at start-up
            command = [sys.executable, "-m", "bench.probe"] + run.rasa_server_arguments(self.servers.cfg)
        started = time.monotonic()
        self.servers.rasa = self.servers._spawn(command, "rasa.log")
        return procs.first_reply_seconds(self.url, self.servers.rasa, started)

    def stop_rasa(self) -> None:
        procs.stop(self.servers.rasa)

    def memory_mb(self) -> Dict[str, Optional[float]]:
        rasa, actions = self.servers.rasa, self.servers.actions
        return {
            "rasa": procs.peak_rss_mb(rasa.pid) if rasa else None,
            "actions": procs.peak_rss_mb(actions.pid) if actions else None,
        }

    def stop(self) -> None:
        self.servers.stop()
