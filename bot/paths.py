"""Where the project's files live, so no module guesses relative paths."""
from pathlib import Path
import os

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_ROOT / "data" / "content"
# Runtime state (SQLite files, built spaCy pipeline): never committed.
VAR_DIR = Path(os.environ.get("COACH_VAR_DIR", PROJECT_ROOT / "var"))
SPACY_PIPELINE_DIR = PROJECT_ROOT / "build" / "spacy_pipeline"
