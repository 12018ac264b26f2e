# Coach & Mentor: one image for every part (Rasa server, action server, scheduler); the
# part is the command (`python -m bot.serve rasa|actions|scheduler`, see compose.yaml).
# The trained model and the built spaCy pipeline are baked in; it runs as a non-root user.
# UNTESTED HERE: the development machine has no container engine and no image registry
# (README, Deployment). The files are checked by tests/unit/test_deployment_files.py.

# --- the web page's socket.io client, from web/package-lock.json ----------------------
FROM node:20-bookworm-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

# --- the bot: dependencies, spaCy pipeline, trained model -----------------------------
FROM python:3.10-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TF_CPP_MIN_LOG_LEVEL=2 \
    PYTHONHASHSEED=0 \
    RASA_TELEMETRY_ENABLED=false \
    COACH_VAR_DIR=/app/var \
    COACH_PORT=5005 \
    COACH_ACTION_PORT=5055
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 --shell /usr/sbin/nologin coach
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY bot ./bot
COPY actions ./actions
RUN pip install -c constraints.txt -e . \
 && apt-get purge -y build-essential && apt-get autoremove -y
COPY config.yml domain.yml endpoints.yml credentials.yml ./
COPY data ./data
COPY web/static ./web/static
COPY --from=web /web/node_modules/socket.io-client/dist ./web/node_modules/socket.io-client/dist
RUN python -m bot.nlu.build_spacy_pipeline build/spacy_pipeline \
 && rasa train --data data/nlu data/rules data/stories --config config.yml --domain domain.yml \
      --out models --fixed-model-name coach-mentor \
 && rm -rf .rasa \
 && mkdir -p /app/var && chown coach:coach /app/var
USER coach
EXPOSE 5005 5055
# The Rasa server's health; compose.yaml gives the action server and the scheduler theirs.
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/' % os.environ.get('COACH_PORT', '5005'), timeout=4)"
CMD ["python", "-m", "bot.serve", "rasa"]
