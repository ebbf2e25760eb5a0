"""Open the course's notebooks where they can run: the course's JupyterHub (through
nbgitpuller), Binder and Google Colab.

A Sphinx extension, listed in _config.yml.  Every link is built from the settings
sphinx-book-theme reads too (`repository` and `launch_buttons` in _config.yml), so a
course that moves to its own fork or hub changes them in one place.

- Chapter pages get their download and launch buttons from the theme.  The chapters are
  MyST markdown, which Colab cannot open, so their Colab button is pointed at the
  chapter's notebook inside the published site instead; and that notebook starts with a
  cell that installs the course's package where it is missing.
- Assignment pages use ``{assignment-notebook} ch1``: the student notebook's own
  introduction, its download, and the three launch links to it in the repository.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from autograder.calendar import due_text, read_calendar
from autograder.course import Course, course_config

INTERFACES = {"classic": "tree", "jupyterlab": "lab/tree"}
SETUP_CELL_TAG = "course-setup"


@dataclass(frozen=True)
class Launcher:
    repository: str     # https://github.com/<org>/<repo>
    branch: str
    hub: str
    binder: str
    colab: str
    interface: str      # the path prefix that opens a file: "lab/tree" or "tree"
    site_branch: str    # where the built site is published (Colab reads chapter notebooks there)
    package: str | None     # the course's distribution (`course.package` in _config.yml)
    module: str | None      # a package of it the chapters import (`course.packages`)
    toolkit: str | None = None   # the toolkit's pip requirement (`course.toolkit`): the widgets' base

    @property
    def org_repo(self) -> tuple[str, str]:
        parts = urlsplit(self.repository)
        org, repo = parts.path.strip("/").split("/")
        return org, repo

    def hub_url(self, path: str) -> str:
        """nbgitpuller clones the repository into a folder named after it, then opens `path`."""
        _, repo = self.org_repo
        query = urlencode({"repo": self.repository, "branch": self.branch,
                           "urlpath": f"{self.interface}/{repo}/{path}"}, safe="/")
        return f"{self.hub}/hub/user-redirect/git-pull?{query}"

    def binder_url(self, path: str) -> str:
        org, repo = self.org_repo
        return f"{self.binder}/v2/gh/{org}/{repo}/{self.branch}?" + urlencode({"urlpath": f"{self.interface}/{path}"}, safe="/")

    def colab_url(self, path: str, branch: str | None = None) -> str:
        org, repo = self.org_repo
        return f"{self.colab}/github/{org}/{repo}/blob/{branch or self.branch}/{path}"

    def pip_requirement(self) -> str:
        return f"{self.package} @ git+{self.repository}@{self.branch}"


def launcher(config: Config, srcdir: str) -> Launcher:
    options = config.html_theme_options
    course = course_config(Path(srcdir))
    buttons = options.get("launch_buttons", {})
    repository = options.get("repository_url", "").rstrip("/")
    if urlsplit(repository).netloc != "github.com" or len(urlsplit(repository).path.strip("/").split("/")) != 2:
        raise ExtensionError(f"_config.yml: repository.url must be https://github.com/<org>/<repo> "
                             f"(Binder and Colab open notebooks from GitHub), not {repository!r}")
    missing = [key for key in ("jupyterhub_url", "binderhub_url", "colab_url") if not buttons.get(key)]
    if missing:
        raise ExtensionError(f"_config.yml: launch_buttons needs {', '.join(missing)}")
    return Launcher(repository=repository, branch=options.get("repository_branch") or "main",
                    hub=buttons["jupyterhub_url"].rstrip("/"), binder=buttons["binderhub_url"].rstrip("/"),
                    colab=buttons["colab_url"].rstrip("/"),
                    interface=INTERFACES[buttons.get("notebook_interface", "jupyterlab")],
                    site_branch=config.course_site_branch, package=course.package,
                    module=course.packages[0] if course.packages else None, toolkit=course.toolkit)


def setup_cell(launch: Launcher) -> dict:
    """The first cell of a chapter's downloadable notebook: outside the course's own
    environments (Colab, a laptop) the chapter's imports need the course's package."""
    # Without its dependencies: the toolkit's full list (jupyter-book, nbgrader) would
    # replace the notebook server Colab itself runs on; the chapters need only these, and
    # the toolkit itself (the widgets' base), which the course's package does not contain.
    toolkit = f" {json.dumps(launch.toolkit)}," if launch.toolkit else ""
    install = "" if not (launch.package and launch.module) else f"""\
if importlib.util.find_spec("{launch.module}") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "anywidget", "pyyaml"], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",{toolkit}
                    "{launch.pip_requirement()}"], check=True)
    importlib.invalidate_caches()
"""
    source = f"""\
# Run this cell first. It installs the course's package if this Python lacks it (on Colab,
# say), and lets Colab show the chapter's widgets.
import importlib, importlib.util, subprocess, sys
{install}try:
    from google.colab import output
    output.enable_custom_widget_manager()
except ImportError:
    pass"""
    return {"cell_type": "code", "execution_count": None, "id": SETUP_CELL_TAG,
            "metadata": {"tags": [SETUP_CELL_TAG]}, "outputs": [], "source": source}


def add_setup_cell(path: Path, launch: Launcher) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    if any(SETUP_CELL_TAG in cell.get("metadata", {}).get("tags", []) for cell in notebook["cells"]):
        return
    notebook["cells"].insert(0, setup_cell(launch))
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def chapter_notebook_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """After the theme has copied a markdown notebook's executed .ipynb into _sources and
    built its buttons: prepare that notebook, and send Colab to it."""
    if not context.get("ipynb_source") or not context.get("sourcename", "").endswith(".md"):
        return
    launch = launcher(app.config, app.srcdir)
    add_setup_cell(Path(app.outdir) / "_sources" / context["ipynb_source"], launch)
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("text") == "Colab":
                button["url"] = launch.colab_url(f"_sources/{context['ipynb_source']}", branch=launch.site_branch)


class AssignmentNotebook(SphinxDirective):
    """``{assignment-notebook} ch1``: what the assignment asks (the student notebook's own
    introduction), then how to get it: download, or open it on the hub, Binder or Colab."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        assignment_id = self.arguments[0]
        course = Course.at(Path(self.env.srcdir))
        folder = course.release_dir / assignment_id
        notebook_path = folder / f"{assignment_id}.ipynb"
        if not notebook_path.is_file():
            raise self.error(f"no student notebook {notebook_path}: run `course release {assignment_id}`")
        self.env.note_dependency(str(notebook_path))
        launch = launcher(self.config, self.env.srcdir)
        repo_path = notebook_path.relative_to(course.root).as_posix()

        intro = nodes.container(classes=["cp-assignment-intro"])
        self.state.nested_parse(StringList(_introduction(notebook_path)), self.content_offset, intro)
        calendar = read_calendar(course.root)
        if assignment_id in calendar.due:   # read at build time: a changed date needs no new release
            intro += nodes.paragraph("", "", nodes.strong(text="Due: "),
                                     nodes.Text(due_text(calendar.due[assignment_id], calendar.zone) +
                                                ". An extension you were given moves it."), classes=["cp-due"])

        def download(path: Path) -> addnodes.download_reference:
            ref = addnodes.download_reference("", "", reftarget="/" + path.relative_to(course.root).as_posix(),
                                              refdoc=self.env.docname, refexplicit=True)
            ref += nodes.literal(text=path.name)
            return ref

        def item(*children) -> nodes.list_item:
            return nodes.list_item("", nodes.paragraph("", "", *children))

        def link(text: str, url: str, kind: str) -> nodes.reference:
            return nodes.reference("", text, refuri=url, classes=[f"cp-launch-{kind}"])

        checks = folder / "checks.json"
        items = nodes.bullet_list()
        downloads = [nodes.Text("Download "), download(notebook_path)]
        if checks.is_file():
            downloads += [nodes.Text(" and "), download(checks),
                          nodes.Text(", and keep them in the same folder: the notebook's check reads its feedback from "),
                          nodes.literal(text=checks.name), nodes.Text(".")]
        items += item(*downloads)
        items += item(link("Open it on the course's JupyterHub", launch.hub_url(repo_path), "hub"),
                      nodes.Text(" (through nbgitpuller, which copies the course's files into your home folder)."))
        items += item(link("Open it on Binder", launch.binder_url(repo_path), "binder"),
                      nodes.Text(": free and temporary; download your notebook before you leave, or your work is lost."))
        items += item(link("Open it in Google Colab", launch.colab_url(repo_path), "colab"),
                      nodes.Text(": needs a Google account; run the first cell, which installs what the notebook needs."))
        box = nodes.container(classes=["cp-launch"])
        box += nodes.paragraph("", "", nodes.strong(text="Get the notebook"))
        box += items
        return [intro, box]


def _introduction(notebook_path: Path) -> list[str]:
    """The notebook's first Markdown cell, without its title (the page has its own)."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    first = next((c for c in notebook["cells"] if c["cell_type"] == "markdown"), None)
    if first is None:
        return []
    source = first["source"] if isinstance(first["source"], str) else "".join(first["source"])
    lines = source.splitlines()
    while lines and (not lines[0].strip() or lines[0].startswith("#")):
        lines.pop(0)
    return lines


def setup(app: Sphinx) -> dict:
    # The branch the built site is published from (ghp-import's default).
    app.add_config_value("course_site_branch", "gh-pages", "html")
    # After sphinx-book-theme (priority 501) has copied the notebook and made its buttons.
    app.connect("html-page-context", chapter_notebook_links, priority=600)
    app.add_directive("assignment-notebook", AssignmentNotebook)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
