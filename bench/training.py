"""Cold training of our model: `rasa train` as `make train` runs it, but with Rasa's
training cache pointed at a fresh empty directory (RASA_CACHE_DIRECTORY, read by
rasa/engine/caching.py) and --force, so no component comes from an earlier run. The
spaCy pipeline (build/spacy_pipeline, `make spacy`) is an input, not part of the timing."""
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional

RASA = Path(sys.executable).parent / "rasa"
DATA = ["data/nlu", "data/rules", "data/stories"]


def train_command(config: Path, out_dir: Path, name: str = "bench-cold") -> list:
    return [str(RASA), "train", "--data", *DATA, "--config", str(config), "--domain", "domain.yml",
            "--out", str(out_dir), "--fixed-model-name", name, "--force"]


def cold_train(project_root: Path, config: Path, out_dir: Path, env: Dict[str, str],
               log_file: Optional[Path] = None) -> Dict[str, object]:
    """Trains into out_dir with an empty cache; returns {"seconds", "model"}."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-rasa-cache-") as cache:
        run_env = dict(env, RASA_CACHE_DIRECTORY=cache)
        log = open(log_file, "ab") if log_file else subprocess.DEVNULL
        started = time.monotonic()
        try:
            subprocess.run(train_command(config, out_dir), cwd=project_root, env=run_env, stdout=log,
                           stderr=subprocess.STDOUT, check=True, timeout=1800)
        finally:
            if log_file:
                log.close()
        seconds = time.monotonic() - started
    model = out_dir / "bench-cold.tar.gz"
    if not model.exists():
        raise RuntimeError(f"training finished but {model} is missing")
    return {"seconds": seconds, "model": model}
