"""JupyterHub serving this course to an instructor and learners: ``make hub``.

On one machine, for trying the class out and for tests/test_hub.py: JupyterHub's dummy
authenticator (any password) and ``SimpleLocalProcessSpawner`` (every user's server runs as
the Unix user who started the hub, with a home folder of its own under hub/homes/). Nothing is
isolated: a learner can read everyone's files. For a real class keep the rest and change the
authenticator and the spawner (README.md, "A class on JupyterHub").

What each account gets, as nbgrader's "Using nbgrader with JupyterHub" recommends:
- everyone: this course's .venv for their server and kernels (installed once), and one shared
  exchange with one course id (hub/nbgrader_config.py, loaded by every user's nbgrader);
- the instructors (``HUB_INSTRUCTORS``): a server whose root is the course directory, with the
  Formgrader, Create Assignment, the Assignment List and the Course List;
- learners (any other name): their home folder, the Assignment List and Validate only.
"""

import json
import os
import socket
import sys
from pathlib import Path

HUB = Path(__file__).resolve().parent
COURSE = HUB.parent  # the course directory: nbgrader_config.py, source/, gradebook.db
HOMES = HUB / "homes"  # one folder per user (git ignores it)
STATE = HUB / "state"  # the hub's database, cookie secret, logs (git ignores it)
VENV_BIN = Path(sys.executable).parent  # this hub runs from the course's .venv
INSTRUCTORS = set(os.environ.get("HUB_INSTRUCTORS", "instructor").split())
# The exchange every account uses. On one machine: the course's own exchange/ (what its
# nbgrader_config.py names); in a real class a shared folder such as /srv/nbgrader/exchange.
EXCHANGE = os.environ.get("COURSE_EXCHANGE", str(COURSE / "exchange"))

# nbgrader's extensions (JupyterLab plugins, server extensions) that only instructors get.
INSTRUCTOR_PLUGINS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:course-list"]
INSTRUCTOR_SERVER_EXTENSIONS = ["nbgrader.server_extensions.formgrader",
                                "nbgrader.server_extensions.course_list"]

# The course runs offline: no "get notified about Jupyter news?" (it asks the internet).
OFFLINE_PLUGINS = {"@jupyterlab/apputils-extension:announcements": True}

c = get_config()  # noqa: F821 - provided by JupyterHub
STATE.mkdir(parents=True, exist_ok=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Where people connect (make hub IP=... HUB_PORT=... changes it); the hub's own API and the
# proxy's take free ports, so two hubs on one machine do not collide.
c.JupyterHub.bind_url = "http://127.0.0.1:8000"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server

# Debian's configurable-http-proxy (node-configurable-http-proxy) finds its modules through
# NODE_PATH only when it runs on Debian's own node; the proxy inherits this process' environment.
if Path("/usr/share/nodejs/configurable-http-proxy").is_dir():
    os.environ["NODE_PATH"] = os.pathsep.join(
        p for p in ["/usr/share/nodejs", os.environ.get("NODE_PATH", "")] if p)

c.JupyterHub.authenticator_class = "dummy"  # any name, any password: one machine only
c.Authenticator.admin_users = INSTRUCTORS
c.JupyterHub.spawner_class = "simple"  # SimpleLocalProcessSpawner: no Unix user per person
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
if os.getuid() == 0:  # as root (a container, CI), Jupyter's servers want to be told
    c.Spawner.args = ["--allow-root"]
# A loaded machine needs more than the default 60 s and 30 s to start a server.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.environment = {
    # nbgrader's commands start `alembic` from the same bin folder
    "PATH": os.pathsep.join([str(VENV_BIN), os.environ.get("PATH", "/usr/bin:/bin")]),
    # hub/nbgrader_config.py is every user's system-wide nbgrader config (/etc/jupyter/ in a
    # real class), found through this extra config folder
    "JUPYTER_CONFIG_PATH": str(HUB),
    "COURSE_EXCHANGE": EXCHANGE,
    "NBGRADER_LOGFILE": str(STATE / "nbgrader.log"),
}


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")


def prepare_account(spawner) -> None:
    """Before each start: the user's nbgrader config and extensions, as nbgrader's demos set
    them up per account (``jupyter labextension disable --level=user``, ``jupyter server
    extension disable --user``: the same files, written directly, which takes no time)."""
    from jupyterhub.spawner import SimpleLocalProcessSpawner

    name = spawner.user.name
    home = Path(getattr(spawner, "home_dir", "") or os.path.expanduser(f"~{name}"))
    config = home / ".jupyter"
    instructor = name in INSTRUCTORS
    nbgrader = "c = get_config()\n"
    if instructor:
        spawner.notebook_dir = str(COURSE)  # the Formgrader needs the course inside the server's root
        nbgrader += f"c.CourseDirectory.root = {str(COURSE)!r}\n"
    else:
        spawner.notebook_dir = str(home)
        if isinstance(spawner, SimpleLocalProcessSpawner):
            # nbgrader names a learner by their Unix user (JUPYTERHUB_USER only for "jovyan", the
            # Docker images' user). Here every server runs as one Unix user, so each learner's
            # config names them, as `nbgrader submit --student` does.
            nbgrader += f"c.CourseDirectory.student_id = {name!r}\n"
    config.mkdir(parents=True, exist_ok=True)
    (config / "nbgrader_config.py").write_text(nbgrader)
    write_json(config / "labconfig" / "page_config.json",
               {"disabledExtensions": {p: not instructor for p in INSTRUCTOR_PLUGINS} | OFFLINE_PLUGINS})
    write_json(config / "jupyter_server_config.json",
               {"ServerApp": {"jpserver_extensions": {e: instructor for e in INSTRUCTOR_SERVER_EXTENSIONS}}})


c.Spawner.pre_spawn_hook = prepare_account
