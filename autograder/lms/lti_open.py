"""`course/open?assignment=ID[&course=COURSE]` in a student's Jupyter server: where an LTI
launch lands (lti_hub.py sends it here).  It fetches the assignment from nbgrader's exchange
if the student has no copy yet (`nbgrader fetch_assignment`, as the student, with the
student's nbgrader configuration), then opens its notebook in JupyterLab.  A copy the
student already has is opened as it is: their work is never replaced.

Enabled in the students' environment with
    jupyter server extension enable --sys-prefix autograder.lms.lti_open"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_escape, url_path_join
from tornado import web

from .lti_config import ASSIGNMENT_ID as ID

FETCH_TIMEOUT = 120     # seconds: the exchange is a local or network folder


def assignment_folder(root: Path, course: str, assignment: str) -> Path | None:
    """Where nbgrader put the assignment: `<course>/<id>` with Exchange.path_includes_course
    (the set-up for several courses), else `<id>`."""
    for folder in ([root / course / assignment] if course else []) + [root / assignment]:
        if folder.is_dir():
            return folder
    return None


class OpenAssignmentHandler(JupyterHandler):
    auth_resource = "contents"

    @web.authenticated
    @authorized
    async def get(self):
        assignment = self.get_query_argument("assignment", "")
        course = self.get_query_argument("course", "")
        if not ID.fullmatch(assignment) or (course and not ID.fullmatch(course)):
            raise web.HTTPError(400, "the link names no valid assignment (or course) id")
        root = Path(self.settings["server_root_dir"]).expanduser()
        folder = assignment_folder(root, course, assignment)
        if folder is None:
            await self.fetch(root, course, assignment)
            folder = assignment_folder(root, course, assignment)
            if folder is None:
                raise web.HTTPError(500, f"nbgrader fetched {assignment} but it is not in {root}")
        notebooks = sorted(folder.glob("*.ipynb"))
        target = folder / notebooks[0].name if len(notebooks) == 1 else folder
        self.redirect(url_path_join(self.base_url, "lab", "tree", url_escape(str(target.relative_to(root)))))

    async def fetch(self, root: Path, course: str, assignment: str) -> None:
        command = [sys.executable, "-m", "nbgrader", "fetch_assignment", assignment]
        if course:
            command += ["--course", course]
        process = await asyncio.create_subprocess_exec(*command, cwd=root, stdout=asyncio.subprocess.PIPE,
                                                       stderr=asyncio.subprocess.STDOUT)
        try:
            out, _ = await asyncio.wait_for(process.communicate(), FETCH_TIMEOUT)
        except TimeoutError:
            process.kill()
            raise web.HTTPError(504, f"fetching {assignment} from the exchange took over {FETCH_TIMEOUT} s") from None
        if process.returncode:
            said = out.decode(errors="replace").strip().splitlines()
            self.log.error("nbgrader fetch_assignment %s: %s", assignment, "\n".join(said))
            errors = [line for line in said if "[ERROR]" in line] or said[-1:]
            raise web.HTTPError(404, f"{assignment} could not be fetched: " + " ".join(errors)[:500])


def _jupyter_server_extension_points():
    return [{"module": "autograder.lms.lti_open"}]


def _load_jupyter_server_extension(server_app):
    web_app = server_app.web_app
    route = url_path_join(web_app.settings["base_url"], "course", "open")
    web_app.add_handlers(".*$", [(route, OpenAssignmentHandler)])
