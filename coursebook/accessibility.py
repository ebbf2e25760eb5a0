"""Repairs to the HTML that Sphinx and its themes write, where an automated accessibility
check (axe-core, run by tests/test_book.py) finds a serious problem we can fix at the source.

A Sphinx extension, listed in _config.yml.  The theme's own buttons are repaired by the
templates in templates/ beside this module, which it puts after the course's own
`templates_path` (so a course can still override them).
"""
from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

TEMPLATES = Path(__file__).resolve().parent / "templates"


def add_templates(app: Sphinx, config: Config) -> None:
    config.templates_path = [*config.templates_path, str(TEMPLATES)]


def citation_list_roles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """docutils wraps a bibliography in role="list" but gives each entry the deprecated
    role "doc-biblioentry", so assistive technology is told about a list with no items.
    Each entry is a list item."""
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", add_templates)
    app.connect("html-page-context", citation_list_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
