"""`python -m bench.crossval`: 5-fold cross-validation of the NLU pipeline on data/nlu.

Runs `rasa test nlu --cross-validation` (each fold trains the pipeline of config.yml on
4/5 of the examples and tests on the rest) with results under
results/crossval-<timestamp>/, then prints the intent accuracy, macro- and weighted F1
from Rasa's intent_report.json and the intents it confuses most.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Dict, List, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RASA = Path(sys.executable).parent / "rasa"


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.crossval", description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--config", type=Path, default=PROJECT_ROOT / "config.yml")
    parser.add_argument("--nlu", type=Path, default=PROJECT_ROOT / "data" / "nlu")
    parser.add_argument("--results", type=Path, default=PROJECT_ROOT / "results")
    return parser.parse_args(argv)


def summarize(report: Dict[str, Dict]) -> Dict[str, object]:
    """Headline figures from Rasa's intent_report.json (sklearn classification report)."""
    per_intent = {k: v for k, v in report.items()
                  if isinstance(v, dict) and k not in ("macro avg", "weighted avg", "micro avg")}
    weakest = sorted(per_intent.items(), key=lambda kv: kv[1].get("f1-score", 0))[:5]
    return {
        "accuracy": report.get("accuracy"),
        "macro_f1": report.get("macro avg", {}).get("f1-score"),
        "weighted_f1": report.get("weighted avg", {}).get("f1-score"),
        "intents": len(per_intent),
        "weakest": [(name, round(v.get("f1-score", 0), 3), v.get("confused_with", {})) for name, v in weakest],
    }


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    out = args.results / f"crossval-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    out.mkdir(parents=True, exist_ok=True)
    command = [str(RASA), "test", "nlu", "--nlu", str(args.nlu), "--config", str(args.config),
               "--cross-validation", "--folds", str(args.folds), "--out", str(out)]
    print("running:", " ".join(command), flush=True)
    started = time.monotonic()
    with open(out / "rasa.log", "wb") as log:
        env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
        code = subprocess.run(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
    seconds = time.monotonic() - started
    if code != 0:
        print(f"rasa test nlu failed (exit {code}); see {out / 'rasa.log'}", file=sys.stderr)
        return code
    report_file = out / "intent_report.json"
    summary = summarize(json.loads(report_file.read_text(encoding="utf-8")))
    summary.update({"folds": args.folds, "seconds": round(seconds, 1), "config": str(args.config)})
    (out / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(f"{args.folds}-fold cross-validation of {summary['intents']} intents in {seconds:.0f}s: "
          f"accuracy {summary['accuracy']:.3f}, macro-F1 {summary['macro_f1']:.3f}, "
          f"weighted F1 {summary['weighted_f1']:.3f}")
    for name, f1, confused in summary["weakest"]:
        print(f"  weakest: {name:22} F1 {f1:.3f}  confused with {confused}")
    print(f"reports in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
