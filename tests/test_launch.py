"""The launch links the book builds for chapters and assignments: the course's hub (through
nbgitpuller), Binder and Colab."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from coursebook.launch import Launcher, setup_cell

LAUNCH = Launcher(repository="https://github.com/org/course", branch="main", hub="https://hub.example.edu",
                  binder="https://mybinder.org", colab="https://colab.research.google.com", interface="lab/tree",
                  site_branch="gh-pages", package="my-course", module="my_course")


def test_hub_link_pulls_the_repository_and_opens_the_notebook():
    url = urlsplit(LAUNCH.hub_url("exercises/ch1/ch1.ipynb"))
    assert (url.scheme, url.netloc, url.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    query = parse_qs(url.query)
    assert query == {"repo": ["https://github.com/org/course"], "branch": ["main"],
                     "urlpath": ["lab/tree/course/exercises/ch1/ch1.ipynb"]}


def test_binder_and_colab_links():
    assert LAUNCH.binder_url("exercises/ch1/ch1.ipynb") == \
        "https://mybinder.org/v2/gh/org/course/main?urlpath=lab/tree/exercises/ch1/ch1.ipynb"
    assert LAUNCH.colab_url("exercises/ch1/ch1.ipynb") == \
        "https://colab.research.google.com/github/org/course/blob/main/exercises/ch1/ch1.ipynb"
    assert LAUNCH.colab_url("_sources/book/ch1.ipynb", branch="gh-pages").endswith("/blob/gh-pages/_sources/book/ch1.ipynb")


def test_the_chapter_setup_cell_installs_the_course_package_only_where_missing():
    source = setup_cell(LAUNCH)["source"]
    assert 'find_spec("my_course") is None' in source and '"my-course @ git+https://github.com/org/course@main"' in source
    compile(source, "setup", "exec")
    bare = setup_cell(Launcher(**{**LAUNCH.__dict__, "package": None, "module": None}))["source"]
    assert "pip" not in bare and "enable_custom_widget_manager" in bare
    compile(bare, "setup", "exec")


def test_the_setup_cells_install_the_toolkit_beside_the_course_package():
    from autograder.authoring.source_notebook import setup_source
    from autograder.core.model import Assignment

    toolkit = "coursekit @ git+https://github.com/org/course@main#subdirectory=toolkit"
    chapter = setup_cell(Launcher(**{**LAUNCH.__dict__, "toolkit": toolkit}))["source"]
    assert f'"--no-deps", "{toolkit}",\n' in chapter and chapter.index(toolkit) < chapter.index('"my-course @ git+')
    compile(chapter, "setup", "exec")
    assignment = Assignment(id="ch1", title="One", path=None, questions=[])
    notebook = setup_source(assignment, ("https://github.com/org/course", "main"), "my-course", toolkit)
    assert f'"pyyaml",\n                    "{toolkit}", "my-course @ git+https://github.com/org/course@main"' in notebook
    compile(notebook, "setup", "exec")
    assert toolkit not in setup_source(assignment, ("https://github.com/org/course", "main"), "my-course")
