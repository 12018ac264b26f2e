"""Trained scikit-learn models cached on disk, keyed by their training data, so the Rasa
server, the action server and the tests train each one once, not at every start."""
import hashlib
import pickle
from typing import Any, Callable

from bot.paths import PROJECT_ROOT

CACHE_DIR = PROJECT_ROOT / "build" / "safety_models"


def cached(name: str, rows: Any, params: Any, train: Callable[[Any], Any]) -> Any:
    import sklearn

    key = hashlib.sha256(repr((rows, params, sklearn.__version__)).encode()).hexdigest()[:16]
    path = CACHE_DIR / f"{name}-{key}.pickle"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        pass
    fitted = train(rows)
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{id(fitted)}.tmp")
        with open(partial, "wb") as handle:
            pickle.dump(fitted, handle)
        partial.replace(path)  # atomic: a concurrent reader sees all or nothing
    except OSError:
        pass  # a read-only checkout still works; it trains at each start
    return fitted
