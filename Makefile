# Two commands do all the set-up: `make lab` and `make test`. Each creates .venv on first
# use and installs the course (pip install -e .) with its dependencies.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# make lab PORT=8899 NO_BROWSER=1 IP=0.0.0.0   (headless, on a remote box; as root in a
# container, --allow-root is added for you)
PORT ?= 8888
IP ?= 127.0.0.1
NO_BROWSER ?=
# make test PYTEST_ARGS="-k 01-iterators"
PYTEST_ARGS ?=
# make grade WORKERS=2   (submissions graded at once; default: the number of cores)
WORKERS ?=

# Debian packages the tests and the grader use: bubblewrap (the grading sandbox). Installed
# with apt-get when we are root and have it; otherwise a loud note says what is missing.
SYSTEM_PACKAGES ?= bubblewrap

.PHONY: install system-packages lab test release grade

install: $(VENV)/.installed

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian packages: $$missing"; \
		apt-get install -y -qq $$missing >/dev/null 2>&1 || \
		{ apt-get update -qq >/dev/null && apt-get install -y -qq $$missing >/dev/null; } || \
		echo "WARNING: could not install $$missing; the tests that need them will be skipped"; \
	else \
		echo "WARNING: missing Debian packages: $$missing (install them with: sudo apt-get install $$missing);" \
		     "the tests that need them will be skipped"; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

lab: install
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. --port=$(PORT) --ip=$(IP) \
		$(if $(NO_BROWSER),--no-browser) $(if $(filter 0,$(shell id -u)),--allow-root) \
		notebooks/00-start-here.ipynb

test: install system-packages
	$(PY) -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

release: install
	$(PY) -m autograder release

grade: install system-packages
	$(PY) -m autograder grade $(if $(WORKERS),--workers $(WORKERS))
