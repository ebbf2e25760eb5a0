"""Each page of the online book links its PDF, and the PDFs are served with the site.

`course build --pdf` prints the PDFs into _build/pdf before it builds the site (see
coursebook/build.py); the site then serves them from `_pdf/` and each page's download menu
(the theme's, in the page header) offers the page's own PDF and the whole book's in place
of the theme's "print this page" button.  A page links a PDF only if that PDF is there, so
a link is never dead: `course build` without `--pdf` removes the PDFs, and the pages lose
their links.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

STAGING = "pdf"       # _build/pdf: where `course build --pdf` prints them
SERVED = "_pdf"       # _build/html/_pdf: where the site serves them
PDF_BUTTON = "download-pdf-button"   # the theme's "print this page" entry of the download menu


def staging_dir(build_dir: Path) -> Path:
    return build_dir / STAGING


def book_pdf_name(srcdir: str | Path) -> str:
    """The whole book's file: the course's name (`course.name` in _config.yml)."""
    from autograder.course import course_config

    return f"{course_config(Path(srcdir)).name}.pdf"


def _staged(app: Sphinx) -> Path:
    return staging_dir(Path(app.outdir).parent)


def note_pdfs(app: Sphinx, config: Config) -> None:
    """Which PDFs there are, as a setting of the build: when they change, every page is
    written again (with or without its links)."""
    folder = _staged(app)
    config.coursebook_pdfs = sorted(
        f"{p.relative_to(folder).as_posix()}:{p.stat().st_mtime_ns}" for p in folder.rglob("*.pdf")) if folder.is_dir() else []


def _link(url: str, text: str, tooltip: str, label: str) -> dict:
    return {"type": "link", "url": url, "text": text, "tooltip": tooltip, "icon": "fas fa-file-pdf", "label": label}


def pdf_buttons(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The page's own PDF and the whole book's in its download menu, where they exist."""
    if app.builder.name != "html":
        return
    folder, pathto = _staged(app), context["pathto"]
    book = book_pdf_name(app.srcdir)
    links = []
    if (folder / f"{pagename}.pdf").is_file():
        links.append(_link(pathto(f"{SERVED}/{pagename}.pdf", 1), "this page (.pdf)",
                           "Download this page as a PDF to print or annotate", PDF_BUTTON))
    if (folder / book).is_file():
        links.append(_link(pathto(f"{SERVED}/{book}", 1), "the whole book (.pdf)",
                           "Download the whole book as a PDF", "download-book-pdf-button"))
    if not links:
        return
    for group in context.get("header_buttons", []):
        buttons = group.get("buttons", [])
        for i, button in enumerate(buttons):
            if button.get("label") == PDF_BUTTON:
                buttons[i:i + 1] = links


def serve_pdfs(app: Sphinx, exception: Exception | None) -> None:
    """The site's _pdf/ is exactly the PDFs printed for this build."""
    if exception is not None or app.builder.name != "html":
        return
    served = Path(app.outdir) / SERVED
    shutil.rmtree(served, ignore_errors=True)
    if _staged(app).is_dir():
        shutil.copytree(_staged(app), served)


def setup(app: Sphinx) -> None:
    app.add_config_value("coursebook_pdfs", [], "html")
    app.connect("config-inited", note_pdfs)
    app.connect("html-page-context", pdf_buttons, priority=600)   # after the theme builds its buttons
    app.connect("build-finished", serve_pdfs)
