# Coach & Mentor. `make run` and `make test` set up everything they need on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   ?= .venv
PY     := $(VENV)/bin/python
RASA   := $(VENV)/bin/rasa
MODEL  := models/coach-mentor.tar.gz
SPACY  := build/spacy_pipeline/meta.json
TRAIN_DATA := $(shell find data/nlu data/rules data/stories -name '*.yml' 2>/dev/null)
TRAIN_CODE := $(wildcard bot/nlu/*.py bot/policies/*.py bot/understanding/*.py)
DATA_ARGS  := --data data/nlu data/rules data/stories
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONHASHSEED ?= 0
# Rasa's usage telemetry would try to reach the internet; nothing here may.
export RASA_TELEMETRY_ENABLED ?= false

.PHONY: help venv spacy train run chat web test test-unit test-stories test-e2e test-browser validate lint clean browser-deps lb-deps bench crossval safety-report

help:
	@echo "make run    - set up, train if needed, start the bot on port 5005 (Ctrl-C stops)"
	@echo "make test   - set up, train if needed, run the whole test suite"
	@echo "make train | chat | lint | validate | bench | crossval | safety-report | clean"

# --- environment -----------------------------------------------------------------
$(VENV)/.installed: pyproject.toml constraints.txt
	@PY310=$$(scripts/find_python310.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PY310"; "$$PY310" -m venv $(VENV) || exit 1; fi
	@echo "Installing Rasa 3.6 and the project's pinned dependencies into $(VENV):"
	@echo "  about 3 GB on disk, 5 to 15 minutes on a first run (TensorFlow, spaCy, Rasa); later runs skip this."
	$(PY) -m pip install --progress-bar on -c constraints.txt -e ".[test]"
	@touch $@

venv: $(VENV)/.installed

# --- NLU resources and model -----------------------------------------------------
$(SPACY): $(VENV)/.installed bot/nlu/build_spacy_pipeline.py bot/topics.py data/content/topics.yml
	$(PY) -m bot.nlu.build_spacy_pipeline build/spacy_pipeline

spacy: $(SPACY)

# Rasa retrains only what changed (its cache lives in .rasa/); Make skips it entirely
# when neither data, config nor the custom components changed.
$(MODEL): $(SPACY) config.yml domain.yml $(TRAIN_DATA) $(TRAIN_CODE)
	$(RASA) train $(DATA_ARGS) --config config.yml --domain domain.yml \
	  --out models --fixed-model-name coach-mentor
	@touch $@

train: $(MODEL)

# --- web chat page: socket.io client from web/package-lock.json (served by the bot, no CDN)
web/node_modules/.installed: web/package.json web/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed for the web chat page (apt-get install npm)"; exit 1; }
	cd web && npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

web: web/node_modules/.installed

# --- running ---------------------------------------------------------------------
# npm is needed only for the web page's socket.io client: without it the bot still runs
# (REST, terminal chat, Slack, Teams) and says the page is unavailable.
run: $(MODEL)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory web; \
	 else echo "note: npm not found: the web chat page is unavailable (apt-get install npm); REST and 'make chat' work"; fi
	$(PY) -m bot.run

chat: $(VENV)/.installed
	$(PY) -m bot.chat

# --- checks ----------------------------------------------------------------------
validate: $(VENV)/.installed $(SPACY)
	$(RASA) data validate --fail-on-warnings $(DATA_ARGS) --config config.yml --domain domain.yml

lint: validate
	$(PY) -m compileall -q bot actions bench tests
	$(VENV)/bin/ruff check bot actions bench tests

browser-deps:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || \
	  { echo "Installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) || \
	    echo "warning: could not install chromium; browser tests will be skipped"; }

# HAProxy for the multi-replica test (tests/e2e/test_replicas.py), from Debian like chromium.
lb-deps:
	@command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || \
	  { echo "Installing Debian's haproxy for the multi-replica test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null) || \
	    echo "warning: could not install haproxy; the multi-replica test will be skipped"; }

test-unit: $(VENV)/.installed
	$(PY) -m pytest tests/unit -q

# The test stories, and the training stories themselves under plain `rasa test core`.
test-stories: $(MODEL)
	$(RASA) test core --stories tests/stories --model $(MODEL) --out results/stories \
	  --fail-on-prediction-errors
	$(RASA) test core --stories data/stories --model $(MODEL) --out results/stories-data \
	  --fail-on-prediction-errors

test-e2e: $(MODEL) lb-deps
	$(PY) -m pytest tests/e2e tests/nlu -q

test-browser: $(MODEL) browser-deps web/node_modules/.installed
	$(PY) -m pytest tests/browser -q -rs

test: lint $(MODEL) browser-deps lb-deps web/node_modules/.installed
	$(MAKE) test-stories
	$(PY) -m pytest tests -q -rs

# --- performance -------------------------------------------------------------------
# With COACH_REDIS_URL set (COACH_REDIS_URL=redis://127.0.0.1:6379/1 make bench), our server
# takes Rasa's Redis lock store, as each replica of a deployment does; the report says which.
bench: $(MODEL) web/node_modules/.installed
	$(PY) -m bench.run

crossval: $(VENV)/.installed $(SPACY)
	$(PY) -m bench.crossval

# Safety on the independently written sets (tests/data/safety_eval): the sealed eval half;
# `make safety-report SPLIT=dev` is the half used for tuning and lists its misses.
SPLIT ?= eval
safety-report: $(VENV)/.installed
	$(PY) -m bench.safety_report --split $(SPLIT) $(if $(filter dev,$(SPLIT)),--show)

clean:
	rm -rf build models results .rasa var/*.db tests/artifacts
