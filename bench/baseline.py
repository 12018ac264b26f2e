"""The baseline: the stock starter bot of `rasa init`, trained and served by the same Rasa.

Its project and trained model are cached under results/cache/baseline-rasa-<version>/
(training it takes about 1.5 minutes here and never changes for a given Rasa version).
Its endpoints.yml enables no action server (the starter bot only utters responses from
its domain) and no tracker store, so it runs as one process with the in-memory store.
"""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Optional

from bench import procs

RASA = Path(sys.executable).parent / "rasa"


def rasa_version() -> str:
    from importlib.metadata import version

    return version("rasa")


def cache_dir(results_dir: Path) -> Path:
    return results_dir / "cache" / f"baseline-rasa-{rasa_version()}"


def _model(project: Path) -> Optional[Path]:
    models = sorted((project / "models").glob("*.tar.gz"))
    return models[-1] if models else None


def uses_action_server(project: Path) -> bool:
    """True when the project's endpoints.yml enables an action endpoint."""
    import yaml

    endpoints = yaml.safe_load((project / "endpoints.yml").read_text(encoding="utf-8")) or {}
    return bool(endpoints.get("action_endpoint"))


def prepare(results_dir: Path, env: Dict[str, str], log) -> Dict[str, object]:
    """The cached project with a trained model; creates and trains it on a cache miss.
    Returns {"project", "model", "train_s" (None when cached)}."""
    project = cache_dir(results_dir)
    model = _model(project) if project.exists() else None
    if model is not None:
        return {"project": project, "model": model, "train_s": None}
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    log(f"baseline: rasa init --no-prompt --init-dir {project} (creates and trains the starter bot)")
    started = time.monotonic()
    with open(project.parent / f"{project.name}-init.log", "wb") as out:
        # `rasa init --no-prompt` trains the initial model itself (into <dir>/models).
        subprocess.run([str(RASA), "init", "--no-prompt", "--init-dir", str(project)], cwd=project,
                       env=env, stdout=out, stderr=subprocess.STDOUT, check=True, timeout=1800)
        if _model(project) is None:
            subprocess.run([str(RASA), "train", "--out", "models"], cwd=project, env=env, stdout=out,
                           stderr=subprocess.STDOUT, check=True, timeout=1800)
    model = _model(project)
    if model is None:
        raise RuntimeError(f"baseline training produced no model in {project / 'models'}")
    return {"project": project, "model": model, "train_s": time.monotonic() - started}


class BaselineServer:
    """`rasa run --enable-api` in the starter project (its own credentials with REST)."""

    def __init__(self, project: Path, model: Path, port: int, workdir: Path, env: Dict[str, str]):
        self.project, self.model, self.port, self.workdir = project, model, port, workdir
        self.env = dict(env)
        self.url = f"http://127.0.0.1:{port}"
        self.rasa: Optional[subprocess.Popen] = None

    def check_no_action_server(self) -> None:
        """The stock starter project utters domain responses only: its endpoints.yml keeps
        the action endpoint commented out. Should a Rasa release change that, say so rather
        than benchmark a half-working baseline."""
        if uses_action_server(self.project):
            raise RuntimeError(f"{self.project}/endpoints.yml enables an action server; "
                               "bench/baseline.py would need to start it")

    def start_timed(self) -> float:
        """Starts the Rasa server; seconds from spawning it to its first REST answer."""
        command = [str(RASA), "run", "--enable-api", "--model", str(self.model), "--port", str(self.port),
                   "--interface", "127.0.0.1"]
        log = open(self.workdir / "baseline-rasa.log", "ab")
        started = time.monotonic()
        self.rasa = subprocess.Popen(command, cwd=self.project, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        return procs.first_reply_seconds(self.url, self.rasa, started)

    def memory_mb(self) -> Dict[str, Optional[float]]:
        return {"rasa": procs.peak_rss_mb(self.rasa.pid) if self.rasa else None}

    def stop(self) -> None:
        procs.stop(self.rasa)


def base_env() -> Dict[str, str]:
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # No usage reports to Rasa's servers: this machine has no such network, and the
    # attempts would be background noise in the timings (both bots alike).
    env["RASA_TELEMETRY_ENABLED"] = "false"
    return env
