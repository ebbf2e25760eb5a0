"""Print the book on one page (singlehtml) to PDF with Debian's Chromium, driven by
Playwright: the whole book, and each of its chapters (each page of the table of contents
but the first) alone.

Chromium is the machine's own (`chromium` on PATH); nothing is downloaded.  The page is
served to it from the build folder under the online book's address (so that a link to a
file of the book leaves the PDF for the online book), and every other request is refused:
the PDF needs no network, and a page that asks for one fails the build naming it.
What a PDF holds beyond the page (stills of the widgets, practice answers, a chapter's
references) is made in the page by print.js (see there).
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

PAPERS = {"a4": "A4", "letter": "Letter"}
NO_SITE = "https://book.invalid/"   # where the page is served when the book has no known address
MARGIN = {"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
HEADER = '<div style="font-size: 8px; width: 100%; text-align: center; color: #4a5263;"><span class="title"></span></div>'
FOOTER = ('<div style="font-size: 9px; width: 100%; text-align: center; color: #1d2330;">'
          'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')
PAGE = "index.html"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class PdfError(RuntimeError):
    pass


@dataclass
class Book:
    folder: Path      # the singlehtml build
    root_doc: str     # its page, e.g. book/intro (the first page of the table of contents)
    title: str
    site: str         # the online book's address, ending in "/", or ""


def paper_format(paper: str) -> str:
    try:
        return PAPERS[paper.lower()]
    except KeyError:
        raise PdfError(f"--paper {paper}: unknown paper size; choose one of {', '.join(PAPERS)}") from None


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        raise PdfError("chromium was not found: the PDFs are printed by Debian's chromium (apt-get install chromium)")
    return path


def print_tools():
    """Playwright's sync API, once Playwright and pypdf are known to be there (both come
    with coursekit[pdf])."""
    try:
        import pypdf  # noqa: F401
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise PdfError(f"{exc.name} is not installed: pip install 'coursekit[pdf]' to print the PDFs") from None
    return sync_playwright


class _Server:
    """Answers the page's requests from the build folder; records those for another host.  The one page
    is served at the top of the site (PAGE), where singlehtml's addresses are written from."""

    def __init__(self, book: Book, origin: str):
        self.folder, self.origin, self.refused = book.folder.resolve(), origin, []
        self.root_page = f"{book.root_doc}.html"

    def __call__(self, route) -> None:
        url = route.request.url
        if not url.startswith(self.origin):
            self.refused.append(url)
            return route.abort()
        path = unquote(urlsplit(url).path)[len(urlsplit(self.origin).path):]
        file = (self.folder / (self.root_page if path == PAGE else path)).resolve()
        if file.is_relative_to(self.folder) and file.is_file():
            return route.fulfill(path=file)
        return route.fulfill(status=404)   # the theme's search index: singlehtml has no search


def print_book(book: Book, out: Path, book_file: str, paper: str) -> list[Path]:
    """Print the whole book into out/<book_file> and each chapter into out/<page>.pdf;
    `out` is replaced only once every PDF is printed."""
    paper_size, chromium, sync_playwright = paper_format(paper), chromium_path(), print_tools()
    from .outline import HEADINGS_JS, tidy_outline  # needs pypdf

    script = (resources.files(__package__) / "print.js").read_text(encoding="utf-8")
    style = (resources.files(__package__) / "print.css").read_text(encoding="utf-8")
    origin = book.site or NO_SITE
    server, errors = _Server(book, origin), []
    scratch = Path(tempfile.mkdtemp(prefix="pdf-", dir=out.parent))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            context = browser.new_context(service_workers="block")
            context.route("**/*", server)
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.emulate_media(media="print")   # what the headings' visibility is read in (tidy_outline)

            def print_one(doc: str | None, target: Path) -> None:
                page.goto(origin + PAGE, wait_until="load")
                page.add_style_tag(content=style)
                page.add_script_tag(content=script)
                page.evaluate("o => window.cpPrint.prepare(o)", {"doc": doc, "site": book.site, "bookTitle": book.title})
                headings = page.evaluate(HEADINGS_JS)
                target.parent.mkdir(parents=True, exist_ok=True)
                page.pdf(path=str(target), format=paper_size, outline=True, tagged=True, print_background=True,
                         display_header_footer=True, header_template=HEADER, footer_template=FOOTER, margin=MARGIN)
                tidy_outline(target, headings)

            print_one(None, scratch / book_file)
            for chapter in page.evaluate("window.cpPrint.chapters()"):
                print_one(chapter["doc"], scratch / f"{chapter['doc']}.pdf")
            browser.close()
        if server.refused or errors:
            raise PdfError(f"{book.folder}: the one-page book asked for another host, or failed: "
                           f"{'; '.join([*server.refused, *errors][:3])}")
        shutil.rmtree(out, ignore_errors=True)
        scratch.rename(out)
    except Exception as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        if isinstance(exc, PdfError):
            raise
        raise PdfError(f"{book.folder}: printing the PDFs failed: {(str(exc).splitlines() or [type(exc).__name__])[0]}") from exc
    return sorted(out.rglob("*.pdf"))
