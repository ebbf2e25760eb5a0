"""Students see the due date where they meet the assignment: on its page in the book, and
in the setup output of the released notebook, read from the course's configuration when
the notebook runs (a changed date needs no new release)."""
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from helpers import ENV, ROOT

from autograder.student import load_checker

COURSE = """course:
  source: solutions
  release: exercises
  timezone: Europe/London
  assignments:
    ch1: {due: 2026-10-02 17:00}
"""


def released(tmp_path: Path) -> Path:
    (tmp_path / "exercises").mkdir()
    shutil.copytree(ROOT / "exercises" / "ch1", tmp_path / "exercises" / "ch1")
    (tmp_path / "solutions").mkdir()
    return tmp_path / "exercises" / "ch1"


def test_the_setup_output_says_the_due_date_as_configured_now(tmp_path, capsys):
    folder = released(tmp_path)
    load_checker(folder / "checks.json")
    assert "Due:" not in capsys.readouterr().out      # no date set: nothing said
    (tmp_path / "_config.yml").write_text(COURSE)
    load_checker(folder / "checks.json")
    assert "Due: 2026-10-02 17:00 (Europe/London time)." in capsys.readouterr().out
    (tmp_path / "_config.yml").write_text(COURSE.replace("2026-10-02 17:00", "2026-10-09 17:00 UTC"))
    load_checker(folder / "checks.json")              # the same released files, the new date
    assert "Due: 2026-10-09 17:00 UTC." in capsys.readouterr().out


def test_the_released_notebooks_setup_cell_prints_it(tmp_path):
    folder = released(tmp_path)
    (tmp_path / "_config.yml").write_text(COURSE)
    nb = nbformat.read(folder / "ch1.ipynb", as_version=4)
    setup = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    run = subprocess.run([sys.executable, "-c", setup.source], cwd=folder, capture_output=True, text=True,
                         env=ENV, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Due: 2026-10-02 17:00 (Europe/London time)." in run.stdout


@pytest.mark.slow   # builds a one-page book with Sphinx
def test_the_assignment_page_in_the_book_says_it(tmp_path):
    released(tmp_path)
    (tmp_path / "_config.yml").write_text(COURSE)
    (tmp_path / "conf.py").write_text(
        "extensions = ['myst_parser', 'coursebook.launch']\n"
        "html_theme_options = {'repository_url': 'https://github.com/org/course', 'launch_buttons': "
        "{'jupyterhub_url': 'https://hub.example.edu', 'binderhub_url': 'https://mybinder.org', "
        "'colab_url': 'https://colab.research.google.com'}}\n")
    (tmp_path / "index.md").write_text("# Assignment 1\n\n```{assignment-notebook} ch1\n```\n")
    out = tmp_path / "_build"
    build = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(tmp_path), str(out)],
                           capture_output=True, text=True, env=ENV, timeout=300)
    assert build.returncode == 0, build.stderr[-2000:]
    page = (out / "index.html").read_text()
    assert "Due: </strong>Friday 2 October 2026, 17:00 (Europe/London time; 16:00 UTC)" in page
