# filmscore: two commands on a fresh Debian 12 machine.
#   make demo   install everything, run the main job on the demo film, serve it (web)
#   make test   install everything, then run every test (ruff first)
# Everything else here is a step of those two.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_OUT ?= demo-out

# Debian packages the project needs at run time or in tests.  Vocabulary as data:
# add a package here, nowhere else.
APT_PACKAGES := ffmpeg poppler-utils postgresql fluid-soundfont-gm timgm6mb-soundfont \
	musescore-general-soundfont-lossless \
	fluidsynth python3-venv python3-dev gcc \
	librsvg2-bin musescore3 lilypond fonts-freefont-ttf fonts-dejavu-core \
	chromium

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo demo-build test install system lint bench clean

# make demo builds the demo, then serves its project to the team's web workspace (Ctrl+C
# stops; the logins are printed above the address).  make demo DEMO_SERVE=0, or
# make demo-build, stops after building (for CI).
DEMO_SERVE ?= 1
DEMO_PORT ?= 8000

demo: demo-build
	@if [ "$(DEMO_SERVE)" = 1 ]; then \
	  $(BIN)/filmscore serve $(DEMO_OUT)/popeye1936 --port $(DEMO_PORT); fi

demo-build: install
	$(BIN)/filmscore demo $(DEMO_OUT)

# The suite in two processes (pytest-xdist; a file's tests stay together, in order) on
# the machine's two cores: most tests keep one core busy.  make test TEST_WORKERS= runs
# it in one.
TEST_WORKERS ?= -n 2 --dist loadfile

test: install
	$(BIN)/ruff check src tests bench
	@set -o pipefail; url=$$(scripts/pg-test-server start) || exit 1; \
	FILMSCORE_TEST_PG=$$url $(BIN)/pytest -q -p no:cacheprovider $(TEST_WORKERS); rc=$$?; \
	scripts/pg-test-server stop >/dev/null 2>&1; exit $$rc

install: system $(VENV)/.installed

system:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

lint: install
	$(BIN)/ruff check src tests bench

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
