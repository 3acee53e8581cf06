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
# make grade WORKERS=2   (submissions graded at once; default: the number of cores + 1)
WORKERS ?=

# Debian packages the tests and the grader use: bubblewrap (the grading sandbox), chromium and
# chromium-driver (tests/test_browser.py drives JupyterLab in a real browser). Installed with
# apt-get when we are root and have it; otherwise a loud note says what is missing.
SYSTEM_PACKAGES ?= bubblewrap chromium chromium-driver
# What JupyterLab's file browser hides: jupyter_server's defaults and pip's *.egg-info.
HIDE_GLOBS := ["__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", "*.egg-info"]

# make assignment 01   (or 01-iterators, or several): the learner's own copy of a chapter's
# exercises, in asyncio-course/NN-slug/, where nbgrader's fetch_assignment puts it too. It is
# made only where none exists, and no command of the course writes there.
ifeq (assignment,$(firstword $(MAKECMDGOALS)))
  NN := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
  $(eval $(NN):;@:)
endif

.PHONY: install system-packages lab assignment test release grade

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

# Opens (and prints the URL of) the start notebook. mkdir: nbgrader's exchange (nbgrader_config.py)
# must exist before the Formgrader and the Assignment List look for it.
lab: install
	@mkdir -p exchange
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. --port=$(PORT) --ip=$(IP) \
		--LabApp.default_url=/lab/tree/notebooks/00-start-here.ipynb \
		'--ContentsManager.hide_globs=$(HIDE_GLOBS)' \
		$(if $(NO_BROWSER),--no-browser) $(if $(filter 0,$(shell id -u)),--allow-root)

assignment: install
	@if [ -z "$(NN)" ]; then \
		echo "usage: make assignment NN   (NN: $$(ls source | tr '\n' ' '))"; exit 2; fi
	@for n in $(NN); do \
		name=$$(cd source && ls -d $$n $$n-* 2>/dev/null | head -n 1); \
		if [ -z "$$name" ]; then echo "no assignment $$n in source/"; exit 2; fi; \
		mine=asyncio-course/$$name; \
		if [ -e $$mine ]; then echo "$$mine/$$name.ipynb is already there; left as it is"; continue; fi; \
		if [ ! -f release/$$name/$$name.ipynb ] || \
		   [ source/$$name/$$name.ipynb -nt release/$$name/$$name.ipynb ]; then \
			$(PY) -m autograder release $$name || exit 1; fi; \
		mkdir -p asyncio-course && cp -R release/$$name $$mine && rm -rf $$mine/.ipynb_checkpoints; \
		echo "your copy: $$mine/$$name.ipynb (open it in JupyterLab: make lab)"; \
	done

test: install system-packages
	$(PY) -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

release: install
	$(PY) -m autograder release

grade: install system-packages
	$(PY) -m autograder grade $(if $(WORKERS),--workers $(WORKERS))

# make mutants   (every assignment; ASSIGNMENTS="07 09-synchronisation" for some, WORKERS=3):
# mutation testing of the exercises' tests, the full set; records each mutant's verdict in
# tests/mutants/NN-slug.json, which make test checks (CONTRIBUTING.md, "Mutation testing").
ASSIGNMENTS ?=
.PHONY: mutants
mutants: install
	$(PY) -m autograder mutants $(if $(WORKERS),--workers $(WORKERS)) $(ASSIGNMENTS)
