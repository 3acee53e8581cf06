# Two commands do all the set-up: `make lab` and `make test`. Each creates .venv on first
# use and installs the course (pip install -e .) with its dependencies.
# make lab PYTHON=python3.12   (when python3 is older than 3.11)
PYTHON ?= python3
# make lab VENV=$CONDA_PREFIX   (a conda environment made from environment.yml, which has the
# dependencies already: only the course is installed into it, and no .venv is made)
VENV ?= .venv
PY := $(VENV)/bin/python
CONDA_ENV := $(wildcard $(VENV)/conda-meta)
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
# chromium-driver (tests/test_browser.py drives JupyterLab in a real browser), node-configurable-http-proxy
# (the proxy of make hub and tests/test_hub.py). Installed with
# apt-get when we are root and have it; otherwise a loud note says what is missing.
SYSTEM_PACKAGES ?= bubblewrap chromium chromium-driver node-configurable-http-proxy
# What JupyterLab's file browser hides: jupyter_server's defaults and pip's *.egg-info.
HIDE_GLOBS := ["__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", "*.egg-info"]

# make assignment 01   (or 01-iterators, or several): the learner's own copy of a chapter's
# exercises, in asyncio-course/NN-slug/, where nbgrader's fetch_assignment puts it too. It is
# made only where none exists, and no command of the course writes there. The release it came
# from is kept in asyncio-course/.released/, so that a newer release (after a git pull) is
# noticed; make assignment 01 RESET=1 then moves the copy to asyncio-course/NN-slug.old-<date>/
# (answers, feedback and all) and makes a new one.
RESET ?=
ifeq (assignment,$(firstword $(MAKECMDGOALS)))
  NN := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
  $(eval $(NN):;@:)
endif
# make release   (every assignment), or make release 01 (or 01-iterators, or several)
ifeq (release,$(firstword $(MAKECMDGOALS)))
  RELEASE := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
  $(eval $(RELEASE):;@:)
endif

.PHONY: install system-packages lab assignment test release grade

# Running a lesson saves its outputs into notebooks/. nbstripout's git filter (.gitattributes
# names it) leaves them out of what git stores and compares: `git diff` of a run lesson is
# empty, and `git add` of it stages nothing. It keeps what the course's notebooks hold (cell
# ids, nbgrader metadata, the kernelspec) and strips what a run or JupyterLab adds. Set up at
# the top of a git clone only (not in a linked worktree, nor in a repository this folder
# merely sits in). Not `required`: without the venv, git works as if there were no filter.
STRIPPED_KEYS := $(addprefix metadata.language_info.,codemirror_mode file_extension mimetype \
	nbconvert_exporter pygments_lexer version) cell.metadata.jp-MarkdownHeadingCollapsed
STRIP := $(PY) -m nbstripout --keep-id --extra-keys '$(STRIPPED_KEYS)'

install: $(VENV)/.installed
	@if [ -d .git ] && [ "$$(git config filter.nbstripout.clean)" != "$(STRIP)" ]; then \
		git config filter.nbstripout.clean "$(STRIP)" && \
		git config filter.nbstripout.smudge cat && \
		git config diff.ipynb.textconv "$(STRIP) -t" && \
		echo "git: notebooks are compared without their outputs (nbstripout's filter; .gitattributes)"; \
	fi

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
ifeq ($(CONDA_ENV),)
	@test -x $(PY) || $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "The course needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; \
		echo "Name a newer one, e.g.: make $(or $(firstword $(MAKECMDGOALS)),install) PYTHON=python3.12"; \
		exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
else
	$(PY) -m pip install --quiet --no-deps -e .
endif
	touch $@

# Opens (and prints the URL of) the start notebook. mkdir: nbgrader's exchange (nbgrader_config.py)
# must exist before the Formgrader and the Assignment List look for it.
lab: install
	@mkdir -p -m 0777 exchange
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=. --port=$(PORT) --ip=$(IP) \
		--LabApp.default_url=/lab/tree/notebooks/00-start-here.ipynb \
		'--ContentsManager.hide_globs=$(HIDE_GLOBS)' \
		--FileContentsManager.post_save_hook=autograder.gitclean.keep_git_clean \
		$(if $(NO_BROWSER),--no-browser) $(if $(filter 0,$(shell id -u)),--allow-root)

assignment: install
	@if [ -z "$(NN)" ]; then \
		echo "usage: make assignment NN   (NN: $$(ls source | tr '\n' ' '))"; exit 2; fi
	@for n in $(NN); do \
		name=$$(cd source && ls -d $$n $$n-* 2>/dev/null | head -n 1); \
		if [ -z "$$name" ]; then echo "no assignment $$n in source/"; exit 2; fi; \
		mine=asyncio-course/$$name; released=release/$$name/$$name.ipynb; \
		origin=asyncio-course/.released/$$name.ipynb; \
		if [ ! -f $$released ] || [ source/$$name/$$name.ipynb -nt $$released ]; then \
			$(PY) -m autograder release $$name || exit 1; fi; \
		if [ -e $$mine ] && [ -z "$(RESET)" ]; then \
			echo "$$mine/$$name.ipynb is already there; left as it is"; \
			if [ -f $$origin ] && ! cmp -s $$origin $$released; then \
				echo "A newer release of $$name exists than the one your copy came from."; \
				echo "To take it without losing your answers: make assignment $$n RESET=1"; \
				echo "(your copy moves to $$mine.old-<date>/, beside the new one)"; \
			fi; continue; fi; \
		if [ -e $$mine ]; then \
			old=$$mine.old-$$(date +%Y-%m-%d-%H%M%S); \
			while [ -e $$old ]; do old=$$old-1; done; \
			mv $$mine $$old || exit 1; \
			echo "your previous copy, answers and all: $$old/$$name.ipynb"; fi; \
		mkdir -p asyncio-course/.released && cp -R release/$$name $$mine && \
			rm -rf $$mine/.ipynb_checkpoints && cp $$released $$origin || exit 1; \
		echo "your copy: $$mine/$$name.ipynb (open it in JupyterLab: make lab)"; \
	done

# One test worker more than the cores: many tests spend part of their time waiting (a kernel or
# a server starting, a browser, a sandbox's handshakes), and the extra worker fills those waits
# (2 cores: 551 s in pytest with 2 workers, 474 s with 3; BENCHMARKS.md). make test TEST_WORKERS=2
# for fewer. A test worker that crashes (a segfault) fails the run at once: pytest-xdist would
# start another, and its loadgroup scheduler has been seen to wait for ever after that.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

test: install system-packages
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --max-worker-restart=0 $(PYTEST_ARGS)

release: install
	$(PY) -m autograder release $(foreach n,$(RELEASE),$$(cd source && ls -d $(n) $(n)-* 2>/dev/null | head -n 1))

grade: install system-packages
	$(PY) -m autograder grade $(if $(WORKERS),--workers $(WORKERS))

# make hub   (HUB_PORT=8000 HUB_INSTRUCTORS="instructor"): a JupyterHub serving this
# course on this machine (hub/jupyterhub_config.py): log in as an instructor, or under any other
# name as a learner, with any password (so it listens on IP, 127.0.0.1, only). Ctrl-C stops it.
HUB_PORT ?= 8000
HUB_INSTRUCTORS ?= instructor

hub: install system-packages
	@command -v configurable-http-proxy >/dev/null || { echo "JupyterHub needs configurable-http-proxy:" \
		"sudo apt-get install node-configurable-http-proxy (or npm install -g configurable-http-proxy)"; exit 2; }
	@mkdir -p -m 0777 exchange
	HUB_INSTRUCTORS="$(HUB_INSTRUCTORS)" exec $(VENV)/bin/jupyterhub -f hub/jupyterhub_config.py \
		--JupyterHub.bind_url=http://$(IP):$(HUB_PORT)

# make report 07   (or 07-running-many, or several; none: every graded assignment): after
# make grade, per test cell how many passed and the commonest failures, the score distribution;
# the same as a page with pictures in reports/.
ifeq (report,$(firstword $(MAKECMDGOALS)))
  REPORT := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
  $(eval $(REPORT):;@:)
endif
ASSIGNMENT ?=

report: install
	$(PY) -m autograder report $(ASSIGNMENT) $(REPORT)

.PHONY: hub report

# make mutants   (every assignment; ASSIGNMENTS="07 09-synchronisation" for some, WORKERS=3):
# mutation testing of the exercises' tests, the full set; records each mutant's verdict in
# tests/mutants/NN-slug.json, which make test checks (CONTRIBUTING.md, "Mutation testing").
ASSIGNMENTS ?=
.PHONY: mutants
mutants: install
	$(PY) -m autograder mutants $(if $(WORKERS),--workers $(WORKERS)) $(ASSIGNMENTS)
