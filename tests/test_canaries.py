"""Canaries for what the toolkit borrows from other packages' insides.  Each test states one
assumption about an installed package (pinned in toolkit/pyproject.toml) and fails with a
message naming the module that relies on it, so that an upgrade that breaks it is found
here, not in a student's grade or a reader's page.  toolkit/pyproject.toml pins each package
and names the module that relies on it."""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from types import SimpleNamespace

from autograder.grading.results import GradebookCell
from autograder.outputs import gradebook


def test_nbgrader_opens_our_gradebook_as_its_own_at_its_current_version(tmp_path, monkeypatch):
    """outputs/gradebook.py makes nbgrader's tables and writes alembic's stamp itself."""
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")   # nbgrader runs `alembic`
    from alembic.script import ScriptDirectory
    from nbgrader.api import Gradebook
    from sqlalchemy import create_engine, inspect, text

    ours, theirs = f"sqlite:///{tmp_path / 'ours.db'}", f"sqlite:///{tmp_path / 'theirs.db'}"
    gradebook.create_schema(ours)
    Gradebook(theirs).close()   # nbgrader's own way: create_all, then alembic stamps its head

    def layout(url):
        engine = create_engine(url)
        with engine.connect() as connection:
            inspector = inspect(connection)
            tables = {t: sorted(c["name"] for c in inspector.get_columns(t)) for t in inspector.get_table_names()}
            stamp = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        engine.dispose()
        return tables, stamp

    (our_tables, our_stamp), (their_tables, their_stamp) = layout(ours), layout(theirs)
    assert our_tables == their_tables, "nbgrader's gradebook schema changed: outputs/gradebook.py create_schema needs updating"
    head = ScriptDirectory(str(Path(gradebook.nbgrader.__file__).parent / "alembic")).get_current_head()
    assert our_stamp == their_stamp == head, "nbgrader's alembic head moved: outputs/gradebook.py create_schema needs updating"


def test_rows_we_write_read_back_through_nbgrader(tmp_path):
    """outputs/gradebook.py writes submissions and grades without nbgrader's add_submission."""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    cells = [GradebookCell(notebook="a1", grade_id="q1", question_id="q1", points=2.0, cell_type="code", manual=False),
             GradebookCell(notebook="a1", grade_id="q2", question_id="q2", points=3.0, cell_type="markdown", manual=True)]
    gb = gradebook.open_gradebook(url)
    try:
        gradebook.register_assignment(gb, "a1", cells)
        gradebook.record(gb, "a1", cells, {"s001": {"q1": 1.5, "q2": None}})
        submission = gb.find_submission_notebook("a1", "a1", "s001")
        grades = {grade.name: grade for grade in submission.grades}
        assert (grades["q1"].auto_score, grades["q1"].needs_manual_grade) == (1.5, False), \
            "nbgrader no longer reads grades the way outputs/gradebook.py writes them"
        assert grades["q2"].needs_manual_grade, "formgrader would not list the essay for a person"
        assert gb.find_submission("a1", "s001").score == 1.5
        assert {c.name for c in submission.comments} >= {"q2"}, "formgrader needs a comment row per cell a person marks"
    finally:
        gb.close()


def test_the_theme_still_has_the_icon_script_font_and_macros_icons_py_reads():
    """coursebook/icons.py scrapes the theme's fontawesome.js and subsets its solid font."""
    from coursebook import icons

    for path in (icons.ICON_SCRIPT, icons.SOLID_FONT, icons.THEME_STATIC / "webpack-macros.html"):
        assert path.is_file(), f"{path}: gone from pydata-sphinx-theme; coursebook/icons.py needs updating"
    script = icons.ICON_SCRIPT.read_text(encoding="utf-8")
    wanted = {"bars", "magnifying-glass", "download", "sun", "moon", "circle-half-stroke", "list", "expand"}
    found = icons.icon_paths(wanted, script)
    assert set(found) == wanted, f"coursebook/icons.py no longer finds {sorted(wanted - set(found))} in {icons.ICON_SCRIPT}"
    assert all(width > 0 and height > 0 and path.startswith("M") for width, height, path in found.values())
    assert icons.macros_without_icon_script  # the macros file still loads the script as icons.py removes it:
    macros = (icons.THEME_STATIC / "webpack-macros.html").read_text(encoding="utf-8")
    assert re.search(r'<script[^>]*scripts/fontawesome\.js[^>]*></script>', macros), \
        "the theme loads fontawesome.js another way: coursebook/icons.py needs updating"


def test_myst_nb_hands_the_widget_state_as_fast_pages_py_reads_it():
    """coursebook/fast_pages.py finds myst-nb's widget state among the page's scripts by its
    type and moves its body."""
    from myst_nb.core.render import WIDGET_STATE_MIMETYPE, NbElementRenderer

    from coursebook.fast_pages import WIDGET_STATE

    assert WIDGET_STATE_MIMETYPE == WIDGET_STATE, "myst-nb writes the widget state under another type"
    renderer = SimpleNamespace(document={}, nb_config=SimpleNamespace(ipywidgets_js={}))
    state = {"version_major": 2, "version_minor": 0, "state": {"m1": {"state": {"_esm": "x</script>"}}}}
    NbElementRenderer(renderer, None).render_nb_finalise({"widgets": {WIDGET_STATE: state}})
    uri, attributes = renderer.document["nb_js_files"]["ipywidgets_state"]
    assert uri is None and attributes["type"] == WIDGET_STATE, "myst-nb no longer adds the state as an inline script"
    assert json.loads(attributes["body"].replace("<\\/", "</")) == state, "myst-nb's script body is not the state's JSON"
