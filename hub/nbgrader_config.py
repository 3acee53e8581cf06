"""Every user's system-wide nbgrader config on the course's hub.

``make hub`` finds it through JUPYTER_CONFIG_PATH; in a real class it is
/etc/jupyter/nbgrader_config.py (README.md, "A class on JupyterHub"), the same for everyone.
"""

import os

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = "asyncio-course"
# One exchange that every account can read and write (on several machines or containers: a
# shared filesystem, or ngshare/nbexchange instead). make hub names the course's exchange/.
c.Exchange.root = os.environ.get("COURSE_EXCHANGE", "/srv/nbgrader/exchange")
# A learner's fetched copies go to ~/asyncio-course/NN-slug/.
c.Exchange.path_includes_course = True
# nbgrader strongly recommends a log file on a hub; every account must be able to write it.
c.NbGrader.logfile = os.environ.get("NBGRADER_LOGFILE", "/usr/local/share/jupyter/nbgrader.log")
