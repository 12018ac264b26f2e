"""`python -m bench.profile`: where the time of one turn of our bot goes.

Starts our two servers under bench/probe.py (timers around NLU, policies, tracker load and
save, action-server round trips, the follow-up query), sends --turns messages of the
benchmark mix as one user, then the same texts to /model/parse alone, and prints the mean
milliseconds per turn of each phase. Variants try a fix without editing the project:
  --fast-validator         one prebuilt jsonschema validator for action-server answers
  --memory-tracker-store   Rasa's in-memory tracker store instead of SQLite
  --model PATH             another trained model (e.g. from a candidate config)
"""
import argparse
import asyncio
import collections
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--port", type=int, default=5605)
    parser.add_argument("--action-port", type=int, default=5655)
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "coach-mentor.tar.gz")
    parser.add_argument("--fast-validator", action="store_true")
    parser.add_argument("--patch", default="", help="more bench/probe.py patches, comma-separated")
    parser.add_argument("--memory-tracker-store", action="store_true")
    parser.add_argument("--start-at", type=int, default=0, help="first conversation of the mix")
    parser.add_argument("--baseline", action="store_true", help="profile the stock starter bot instead")
    return parser.parse_args(argv)


def aggregate(lines: List[str], turns: int) -> Dict[str, Dict[str, float]]:
    """{name: {calls_per_turn, ms_per_turn, ms_per_call}} from probe lines."""
    totals: Dict[str, float] = collections.defaultdict(float)
    counts: Dict[str, int] = collections.defaultdict(int)
    for line in lines:
        name, _, seconds = line.strip().partition("\t")
        if seconds:
            totals[name] += float(seconds)
            counts[name] += 1
    return {name: {"calls_per_turn": counts[name] / turns, "ms_per_turn": 1000 * totals[name] / turns,
                   "ms_per_call": 1000 * totals[name] / counts[name]} for name in sorted(totals)}


def render(breakdown: Dict[str, Dict[str, float]], client: Dict[str, float]) -> str:
    lines = [f"{'phase':34} {'calls/turn':>10} {'ms/turn':>9} {'ms/call':>9}"]
    for name, row in breakdown.items():
        lines.append(f"{name:34} {row['calls_per_turn']:10.2f} {row['ms_per_turn']:9.1f} {row['ms_per_call']:9.1f}")
    lines.append("")
    for name, value in client.items():
        lines.append(f"{name:34} {value:9.1f}")
    return "\n".join(lines)


async def _drive(url: str, messages: List[str], sender: str, probe_file: Path, side: str = "ours"):
    """Client-side figures, and the probe lines of the webhook turns alone."""
    import aiohttp

    from bench.client import Client
    from bench.stats import percentile

    async with Client() as http:
        for message in messages[:5]:
            await http.send(side, url, f"{sender}-warmup", message)
        await asyncio.sleep(0.5)
        probe_file.write_text("")  # only the measured turns count
        turns = [await http.send(side, url, sender, m) for m in messages]
        await asyncio.sleep(0.5)
        lines = probe_file.read_text().splitlines()
        parse_ms = []
        async with aiohttp.ClientSession() as session:
            for message in messages:
                started = time.perf_counter()
                async with session.post(f"{url}/model/parse", json={"text": message}) as response:
                    await response.read()
                parse_ms.append(1000 * (time.perf_counter() - started))
    turn_ms = [1000 * t.latency_s for t in turns]
    return lines, {
        "client: webhook turn mean (ms)": sum(turn_ms) / len(turn_ms),
        "client: webhook turn p50 (ms)": percentile(turn_ms, 50),
        "client: /model/parse mean (ms)": sum(parse_ms) / len(parse_ms),
        "client: /model/parse p50 (ms)": percentile(parse_ms, 50),
        "client: failed or empty turns": float(sum(t.failed or t.empty for t in turns)),
    }


PROBE = [sys.executable, "-m", "bench.probe"]


def profile_ours(args, workdir: Path, probe_file: Path):
    from bot import run
    from bench import procs
    from bench.scenarios import load, messages_for_user
    from tests.e2e.servers import BotServers

    patches = ",".join(p for p in ["fast_validator" if args.fast_validator else "", args.patch] if p)
    servers = BotServers(workdir, args.port, args.action_port,
                         extra_env={"BENCH_PROBE_FILE": str(probe_file), "BENCH_PROBE_PATCH": patches,
                                    "COACH_MODEL": str(args.model)})
    servers.cfg["model"] = str(args.model)
    procs.WEBHOOK_HEADERS[servers.url] = servers.rest_headers
    try:
        servers.actions = servers._spawn(PROBE + run.action_server_command(servers.cfg)[1:], "actions.log")
        run.wait_for(f"http://127.0.0.1:{args.action_port}/health", servers.actions)
        command = PROBE + run.rasa_server_arguments(servers.cfg)
        if args.memory_tracker_store:
            endpoints = Path(command[command.index("--endpoints") + 1])
            text = endpoints.read_text(encoding="utf-8")
            endpoints.write_text(text.split("tracker_store:")[0], encoding="utf-8")
        started = time.monotonic()
        servers.rasa = servers._spawn(command, "rasa.log")
        print(f"start-up to first answer: {procs.first_reply_seconds(servers.url, servers.rasa, started):.1f}s",
              flush=True)
        messages = messages_for_user(load()["ours"], args.start_at, args.turns)
        return asyncio.run(_drive(servers.url, messages, f"profile-{int(time.time())}", probe_file))
    finally:
        servers.stop()


def profile_baseline(args, workdir: Path, probe_file: Path):
    import subprocess

    from bench import baseline, procs
    from bench.scenarios import load, messages_for_user

    prepared = baseline.prepare(PROJECT_ROOT / "results", baseline.base_env(), print)
    env = dict(baseline.base_env(), BENCH_PROBE_FILE=str(probe_file), BENCH_PROBE_STOCK="1",
               PYTHONPATH=str(PROJECT_ROOT))
    command = PROBE + ["run", "--enable-api", "--model", str(prepared["model"]), "--port", str(args.port),
                       "--interface", "127.0.0.1"]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=prepared["project"], env=env, stdout=open(workdir / "rasa.log", "ab"),
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{args.port}"
    try:
        print(f"start-up to first answer: {procs.first_reply_seconds(url, process, started):.1f}s", flush=True)
        messages = messages_for_user(load()["baseline"], args.start_at, args.turns)
        return asyncio.run(_drive(url, messages, f"profile-{int(time.time())}", probe_file, "baseline"))
    finally:
        procs.stop(process)


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    os.environ["COACH_VAR_DIR"] = str(workdir)
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    os.chdir(PROJECT_ROOT)
    sys.path.insert(0, str(PROJECT_ROOT))
    probe_file = workdir / "probe.tsv"
    if args.baseline:
        lines, client = profile_baseline(args, workdir, probe_file)
    else:
        lines, client = profile_ours(args, workdir, probe_file)
    breakdown = aggregate(lines, args.turns)
    print(f"variant: baseline={args.baseline} fast_validator={args.fast_validator} patch={args.patch} "
          f"memory_tracker_store={args.memory_tracker_store} model={args.model}")
    print(render(breakdown, client))
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
