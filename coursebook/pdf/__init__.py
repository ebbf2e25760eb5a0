"""The printed book: a PDF of the whole book and one per page of its table of contents.

`course build --pdf` builds the book on one page (Sphinx's singlehtml builder, made
printable by `single_page`), prints it with Debian's Chromium (`printer`, with `print.js`
and `print.css` in the page), then builds the online book, whose pages link their PDFs
(`links`).  As a Sphinx extension (listed in _config.yml) this package sets up the two
builders' parts.
"""
from __future__ import annotations

from sphinx.application import Sphinx

from . import links, single_page


def setup(app: Sphinx) -> dict:
    single_page.setup(app)
    links.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
