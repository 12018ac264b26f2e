"""`python -m bench.run`: Coach & Mentor against the stock Rasa starter bot, in one run.

Both bots run side by side on this machine and are driven by the same REST client:
  1. start-up: process start to first REST answer (ABBA order over --startup-repeats);
  2. one user, --sequential messages, turns interleaved ours/baseline;
  3. --users concurrent users x --per-user messages, in ABBA halves
     (ours, baseline, baseline, ours) so drifting background load hits both alike;
  4. peak resident memory (VmHWM) of each server process, CPU time per turn;
  5. cold training time of our model (skip with --skip-train-timing);
  6. held-out NLU accuracy and macro-F1 through our server's /model/parse.
Prints the comparison table and writes results/bench-<timestamp>.{json,md,png}.

Try a candidate config without touching config.yml: `--config /tmp/candidate.yml` trains it
cold (timed) into the temporary directory and benchmarks that model instead. Try a candidate
code fix the same way: `--patch dedupe_slots` (see bench/probe.py). Where the
time of a turn goes: `python -m bench.profile`. Method and figures: docs/performance.md.
"""
import argparse
import asyncio
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Dict, List, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=5405, help="our Rasa server (default 5405)")
    parser.add_argument("--action-port", type=int, default=5455, help="our action server (default 5455)")
    parser.add_argument("--baseline-port", type=int, default=5505, help="baseline Rasa server (default 5505)")
    parser.add_argument("--sequential", type=int, default=200, help="messages of the one sequential user")
    parser.add_argument("--users", type=int, default=20, help="concurrent users")
    parser.add_argument("--per-user", type=int, default=20, help="messages per concurrent user")
    parser.add_argument("--warmup", type=int, default=-1,
                        help="untimed messages per bot before measuring (default: each conversation once)")
    parser.add_argument("--startup-repeats", type=int, default=2, help="start-up samples per bot (median)")
    parser.add_argument("--model", type=Path, default=PROJECT_ROOT / "models" / "coach-mentor.tar.gz",
                        help="our model to serve (default models/coach-mentor.tar.gz)")
    parser.add_argument("--config", type=Path, default=None,
                        help="train this config cold and benchmark the result instead of --model")
    parser.add_argument("--patch", default="", help="candidate code fix for our Rasa server, see bench/probe.py "
                        "(fast_validator, dedupe_slots; comma-separated)")
    parser.add_argument("--redis-url", default=os.environ.get("COACH_REDIS_URL", ""),
                        help="our Rasa server takes Rasa's Redis lock store there, as a replica of a "
                        "deployment does (default $COACH_REDIS_URL; empty: the in-memory lock store)")
    parser.add_argument("--skip-train-timing", action="store_true", help="skip the cold training (quick run)")
    parser.add_argument("--results", type=Path, default=PROJECT_ROOT / "results", help="output directory")
    parser.add_argument("--label", default="", help="tag added to the output file names")
    parser.add_argument("--keep-workdir", action="store_true", help="keep server logs and databases")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def lock_store_label(redis_url: str) -> str:
    """What the report says of our server's lock store (the URL without its password)."""
    if not redis_url:
        return "in-memory"
    from urllib.parse import urlparse

    parsed = urlparse(redis_url)
    return f"redis ({parsed.hostname}:{parsed.port or 6379}{parsed.path or '/1'})"


def check_redis(redis_url: str) -> None:
    """Fails at once, before anything starts, when the Redis lock store is unreachable."""
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_timeout=3).ping()
    except Exception as error:  # noqa: BLE001 - any failure means no lock store
        raise SystemExit(f"bench: no Redis at {redis_url} for the lock store ({error})")


def startup(ours, baseline, repeats: int) -> Dict[str, float]:
    """Median start-up per bot; starts alternate ABBA. Both servers are left running."""
    from bench.stats import percentile

    samples: Dict[str, List[float]] = {"ours": [], "baseline": []}
    starters = {"ours": (ours.start_rasa_timed, ours.stop_rasa), "baseline": (baseline.start_timed, baseline.stop)}
    for r in range(repeats):
        order = ["ours", "baseline"] if r % 2 == 0 else ["baseline", "ours"]
        for side in order:
            start, stop = starters[side]
            seconds = start()
            samples[side].append(seconds)
            log(f"start-up {side}: {seconds:.1f}s")
            if r < repeats - 1:
                stop()
    return {side: percentile(values, 50) for side, values in samples.items()} | {"samples": samples}


async def drive(args, ours, baseline, mixes, run_id: str) -> Dict[str, Dict]:
    from bench import client as bc
    from bench import procs
    from bench.scenarios import messages_for_user

    urls = {"ours": ours.url, "baseline": baseline.url}
    pids = {"ours": {"rasa": ours.servers.rasa.pid, "actions": ours.servers.actions.pid},
            "baseline": {"rasa": baseline.rasa.pid}}

    def cpu() -> Dict[str, Dict[str, Optional[float]]]:
        return {side: {name: procs.cpu_seconds(pid) for name, pid in p.items()} for side, p in pids.items()}

    def cpu_per_turn(before, after, turns: int) -> Dict[str, Dict[str, float]]:
        return {side: {f"cpu_ms_per_turn_{name}": 1000 * (after[side][name] - before[side][name]) / turns
                       for name in before[side] if before[side][name] is not None and after[side][name] is not None}
                for side in before}

    out: Dict[str, Dict] = {"ours": {}, "baseline": {}}
    async with bc.Client() as http:
        # Untimed warm-up: first use of a code path (lazy imports, TensorFlow tracing a new
        # input shape) costs up to a second once; the figures are for a server in service.
        for side in ("ours", "baseline"):
            count = args.warmup if args.warmup >= 0 else sum(len(c) for c in mixes[side])
            log(f"warm-up {side}: {count} untimed messages")
            for message in messages_for_user(mixes[side], 0, count):
                await http.send(side, urls[side], f"{run_id}-warmup", message)

        log(f"sequential: {args.sequential} messages per bot, interleaved")
        before = cpu()
        seq = await bc.sequential(http, {side: (urls[side], f"{run_id}-seq", messages_for_user(mixes[side], 0, args.sequential))
                                         for side in ("ours", "baseline")})
        per_turn = cpu_per_turn(before, cpu(), args.sequential)
        for side, turns in seq.items():
            out[side]["sequential"] = bc.phase_summary(turns) | per_turn[side]
            out[side]["sequential_turns"] = bc.turns_as_dicts(turns)

        log(f"concurrent: {args.users} users x {args.per_user} messages, ABBA halves")
        half = args.per_user // 2
        per_user = {side: [messages_for_user(mixes[side], u, args.per_user) for u in range(args.users)]
                    for side in ("ours", "baseline")}
        turns: Dict[str, list] = {"ours": [], "baseline": []}
        wall = {"ours": 0.0, "baseline": 0.0}
        for side, part in (("ours", 0), ("baseline", 0), ("baseline", 1), ("ours", 1)):
            chunk = [msgs[:half] if part == 0 else msgs[half:] for msgs in per_user[side]]
            got, seconds = await bc.concurrent(http, side, urls[side], f"{run_id}-conc", chunk)
            turns[side] += got
            wall[side] += seconds
            log(f"  {side} half {part + 1}: {len(got)} turns in {seconds:.1f}s")
        for side in ("ours", "baseline"):
            out[side]["concurrent"] = bc.phase_summary(turns[side], wall[side]) | {
                "users": args.users, "per_user": args.per_user}
            out[side]["concurrent_turns"] = bc.turns_as_dicts(turns[side])
    return out


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    if args.redis_url:
        check_redis(args.redis_url)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"bench-{stamp}" + (f"-{args.label}" if args.label else "")
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    # Our servers' SQLite files and generated endpoints go to the temporary directory;
    # bot.paths reads this when first imported, so it is set before any bot import.
    os.environ["COACH_VAR_DIR"] = str(workdir / "ours")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"  # see bench/baseline.base_env
    os.chdir(PROJECT_ROOT)
    sys.path.insert(0, str(PROJECT_ROOT))

    from bench import baseline as bl
    from bench import nlu_eval, plot, report, scenarios, training
    from bench.ours import OurServers

    args.results.mkdir(parents=True, exist_ok=True)
    mixes = scenarios.load()
    env = bl.base_env()
    results: Dict[str, Dict] = {"ours": {}, "baseline": {}, "meta": {
        "timestamp": stamp, "rasa_version": bl.rasa_version(), "python": platform.python_version(),
        "cpus": os.cpu_count(), "loadavg_start": loadavg(), "sequential_messages": args.sequential,
        "users": args.users, "per_user": args.per_user, "warmup": args.warmup,
        "startup_repeats": args.startup_repeats, "workdir": str(workdir),
        "lock_store": lock_store_label(args.redis_url),
    }}
    ours = base = None
    try:
        prepared = bl.prepare(args.results, env, log)
        results["baseline"]["train_s_when_cached"] = prepared["train_s"]
        results["meta"]["baseline_model"] = str(prepared["model"])

        model = args.model
        if args.config or not args.skip_train_timing:
            config = (args.config or PROJECT_ROOT / "config.yml").resolve()
            log(f"cold training with {config} (empty Rasa cache)")
            trained = training.cold_train(PROJECT_ROOT, config, workdir / "trained", env, workdir / "train.log")
            results["ours"]["train_cold_s"] = trained["seconds"]
            results["meta"]["train_config"] = str(config)
            log(f"cold training: {trained['seconds']:.1f}s")
            if args.config:
                model = trained["model"]
                results["meta"]["served_config"] = str(config)
        if not Path(model).exists():
            raise RuntimeError(f"no model at {model}: run `make train` first")
        results["meta"]["ours_model"] = str(model)

        ours = OurServers(workdir / "ours", args.port, args.action_port, Path(model), args.patch,
                          redis_url=args.redis_url)
        results["meta"]["patch"] = args.patch
        base = bl.BaselineServer(prepared["project"], prepared["model"], args.baseline_port, workdir, env)
        base.check_no_action_server()
        ours.start_actions()
        started = startup(ours, base, max(1, args.startup_repeats))
        results["ours"]["startup_s"], results["baseline"]["startup_s"] = started["ours"], started["baseline"]
        results["meta"]["startup_samples"] = started["samples"]

        run_id = f"bench-{stamp}"
        measured = asyncio.run(drive(args, ours, base, mixes, run_id))
        for side in ("ours", "baseline"):
            results[side].update(measured[side])

        log("held-out NLU test set through /model/parse")
        results["ours"]["nlu"] = nlu_eval.evaluate(
            ours.url, PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml",
            {"Authorization": f"Bearer {ours.servers.cfg['token']}"})
        results["ours"]["memory_mb"] = ours.memory_mb()
        results["baseline"]["memory_mb"] = base.memory_mb()
    except BaseException:
        log(f"failed; server logs kept in {workdir}")
        raise
    finally:
        for server in (ours, base):
            if server is not None:
                server.stop()
    results["meta"]["loadavg_end"] = loadavg()

    png = args.results / f"{name}.png"
    plot.latency_plot(
        {s: [t["latency_s"] * 1000 for t in results[s]["sequential_turns"]] for s in ("ours", "baseline")},
        {s: [t["latency_s"] * 1000 for t in results[s]["concurrent_turns"]] for s in ("ours", "baseline")},
        args.users, png)
    results["meta"]["plot"] = png.name
    rows = report.build_rows(results)
    (args.results / f"{name}.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    (args.results / f"{name}.md").write_text(report.markdown_report(results, rows), encoding="utf-8")
    print(report.render_table(rows))
    print(report.verdict(rows))
    print(f"written: {args.results / name}.json, .md, .png")
    if not args.keep_workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"server logs and databases kept in {workdir}")
    missed = any(r.met is False for r in rows)
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
