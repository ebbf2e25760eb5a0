"""The printed book (`course build --pdf`), read back from the PDFs the session's one build
printed (the `site` fixture, with Chromium): the whole book and a PDF per chapter, with
bookmarks, page numbers, links that land, a chapter's references, widget stills with their
captions and text equivalents, practice answers at the chapter's end, tagged, and no key
of an assignment; every page links its PDF, and bad input stops with one clear line."""
from __future__ import annotations

import html
import re
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from helpers import BIN, ENV, ROOT, keys_in_plain, require_command
from pypdf import PdfReader

from contested_peace.practice import load_practice

SITE = "https://contested-peace.github.io/contested-peace/"   # the GitHub Pages address of repository.url
BOOK_PDF = "contested-peace.pdf"                               # course.name in _config.yml
CHAPTER = "book/ch1-collective-instruments"
ASSIGNMENTS = sorted(p.name for p in (ROOT / "exercises").iterdir() if (p / f"{p.name}.ipynb").is_file())


def toc_pages() -> list[str]:
    """Every page of the table of contents but the first (the book's own PDF is its)."""
    return re.findall(r"file: (\S+)", (ROOT / "_toc.yml").read_text(encoding="utf-8"))


def plain(text: str) -> str:
    """Text as a reader sees it: ligatures as letters, one space between words."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def text_of(reader: PdfReader) -> str:
    return plain(" ".join(page.extract_text() for page in reader.pages))


def bookmarks(outline) -> list[str]:
    titles = []
    for item in outline:
        titles += bookmarks(item) if isinstance(item, list) else [plain(item.title)]
    return titles


def headings(page_html: str) -> list[str]:
    """The section headings of a built page (those with a link to themselves)."""
    found = [h for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", page_html, flags=re.S) if 'class="headerlink"' in h]
    return [plain(html.unescape(re.sub(r"<[^>]+>", "", h.split('<a class="headerlink"')[0]))) for h in found]


def links(reader: PdfReader) -> tuple[list[str], list[str]]:
    """The PDF's links: (the named places inside it they go to, the addresses outside)."""
    inside, outside = [], []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annotation:
                inside.append(str(annotation["/Dest"]))
            elif annotation.get("/A", {}).get("/S") == "/URI":
                outside.append(str(annotation["/A"]["/URI"]))
    return inside, outside


@pytest.fixture(scope="module")
def pdfs(site) -> Path:
    require_command("chromium", "Debian's chromium (apt-get install chromium), which prints the PDFs")
    folder = site / "_pdf"
    assert (folder / BOOK_PDF).is_file(), f"the book was built without its PDFs: {sorted(site.iterdir())}"
    return folder


@pytest.fixture(scope="module")
def chapter(pdfs) -> PdfReader:
    return PdfReader(pdfs / f"{CHAPTER}.pdf")


@pytest.fixture(scope="module")
def chapter_text(chapter) -> str:
    return text_of(chapter)


@pytest.mark.slow
@pytest.mark.browser
def test_the_book_and_every_chapter_have_a_pdf_and_each_page_links_its_own(pdfs, site):
    for page in toc_pages():
        assert len(PdfReader(pdfs / f"{page}.pdf").pages) > 0, page
    book = PdfReader(pdfs / BOOK_PDF)
    assert len(book.pages) > sum(len(PdfReader(pdfs / f"{page}.pdf").pages) for page in toc_pages()[:5])
    for page in ["book/intro", *toc_pages()]:
        built = site / f"{page}.html"
        targets = {unquote(urljoin(built.as_uri(), href)) for href in re.findall(r'href="([^"]+\.pdf)"', built.read_text())}
        expected = {(pdfs / BOOK_PDF).as_uri()} | ({(pdfs / f"{page}.pdf").as_uri()} if page != "book/intro" else set())
        assert targets == expected, page
    assert all(Path(unquote(t.removeprefix("file://"))).is_file() for t in targets)


@pytest.mark.slow
@pytest.mark.browser
def test_a_chapter_pdf_has_the_chapters_headings_as_bookmarks_and_page_numbers(chapter, site):
    titles = bookmarks(chapter.outline)
    expected = headings((site / f"{CHAPTER}.html").read_text(encoding="utf-8"))
    assert len(expected) > 10 and [t for t in expected if t not in titles] == []
    assert titles[-3:] == ["Answers to the practice questions", "References", "Glossary"]
    pages = len(chapter.pages)
    box = chapter.pages[0].mediabox
    assert abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2   # A4 in points (Letter: 612 x 792)
    assert f"Page 1 of {pages}" in plain(chapter.pages[0].extract_text())
    assert f"Page {pages} of {pages}" in plain(chapter.pages[-1].extract_text())


@pytest.mark.slow
@pytest.mark.browser
def test_every_link_in_a_chapter_pdf_lands_inside_it_or_on_the_online_book(chapter):
    inside, outside = links(chapter)
    places = chapter.named_destinations
    assert len(inside) > 50 and [d for d in inside if d not in places] == []
    assert all(chapter.get_destination_page_number(places[d]) >= 0 for d in set(inside))
    # a citation and a glossary term lead to their entries, printed with the chapter
    assert any(d.startswith("/book/references/") for d in inside) and any("/term-" in d for d in inside)
    # another page of the book: its online page; never the address the printer served from
    assert f"{SITE}book/assignments/ch1.html" in outside
    assert not [u for u in outside if not u.startswith(("https://", "http://", "mailto:")) or "book.invalid" in u]


@pytest.mark.slow
@pytest.mark.browser
def test_a_chapter_pdf_lists_the_works_it_cites(chapter_text, site):
    page = (site / f"{CHAPTER}.html").read_text(encoding="utf-8")
    cited = {plain(html.unescape(t)) for t in re.findall(r'class="reference internal" href="references.html#[^"]+" title="([^"]+)"', page)}
    assert len(cited) >= 5
    # each entry by its authors and title, spaces aside (an entry may run on past a page's
    # footer, and a long address breaks across lines)
    printed = re.sub(r"\s+", "", chapter_text[chapter_text.rindex("References"):])
    missing = [entry for entry in cited if re.sub(r"\s+", "", entry)[:80] not in printed]
    assert not missing, missing


@pytest.mark.slow
@pytest.mark.browser
def test_each_widget_is_a_still_with_its_caption_and_text_equivalent(chapter_text, pdfs):
    assert "Widget: Classify a scenario among the UN's four instruments." in chapter_text
    assert "Widget: Mandate stress test: which peacekeeping principles does a mandate strain?" in chapter_text
    arms_race = text_of(PdfReader(pdfs / "book/ch4-security-guarantees.pdf"))
    assert re.search(r"Chart: Arms levels of A and B over \d+ years\. \S", arms_race)


@pytest.mark.slow
@pytest.mark.browser
def test_practice_answers_come_at_the_end_of_the_chapter_and_only_in_print(chapter_text, site):
    questions = load_practice("contested_peace.practice", "ch1")
    answers = chapter_text.index("Answers to the practice questions")
    for n, q in enumerate(questions, start=1):
        assert f"Practice question {n}." in chapter_text[:answers], q.id
        assert plain(q.rules.answer_text(q)) in chapter_text[answers:], q.id
    assert chapter_text.index("Key takeaways") < answers
    assert "Answers to the practice questions" not in (site / f"{CHAPTER}.html").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.browser
def test_every_pdf_is_tagged_and_the_book_has_every_chapter_as_a_bookmark(pdfs, site):
    for pdf in pdfs.rglob("*.pdf"):
        assert "/StructTreeRoot" in PdfReader(pdf).trailer["/Root"], pdf
    book = PdfReader(pdfs / BOOK_PDF)
    titles = bookmarks(book.outline)
    for page in toc_pages():
        assert headings((site / f"{page}.html").read_text(encoding="utf-8"))[0] in titles, page
    inside, _ = links(book)
    assert len(inside) > 500 and [d for d in inside if d not in book.named_destinations] == []


@pytest.mark.slow
@pytest.mark.browser
def test_no_assignment_key_is_in_any_pdf(pdfs):
    """The whole book holds all that a chapter's PDF prints (a chapter adds only copies of
    the book's references and glossary entries)."""
    text = text_of(PdfReader(pdfs / BOOK_PDF))
    for aid in ASSIGNMENTS:
        leaked = [key for key in keys_in_plain(aid) if key in text]
        assert not leaked, f"{aid}: keys in the PDFs: {leaked[:5]}"


# ---------------------------------------------------------------- bad input, before any build

def build(*args: str, path: str = ENV["PATH"]) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "course"), "build", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**ENV, "PATH": path})


def test_an_unknown_paper_size_is_refused_in_one_line(tmp_path):
    result = build("--pdf", "--paper", "a5", "--output", str(tmp_path))
    assert result.returncode != 0 and not (tmp_path / "_build").exists()
    assert result.stderr.strip().splitlines() == ["course build: error: --paper a5: unknown paper size; choose one of a4, letter"]


def test_a_paper_size_without_pdf_is_refused(tmp_path):
    result = build("--paper", "letter", "--output", str(tmp_path))
    assert result.returncode != 0 and "add --pdf" in result.stderr and not (tmp_path / "_build").exists()


def test_without_chromium_the_pdfs_are_refused_naming_it(tmp_path):
    result = build("--pdf", "--output", str(tmp_path), path=str(BIN))   # the course's tools, but no chromium
    assert result.returncode != 0 and not (tmp_path / "_build").exists()
    assert len(result.stderr.strip().splitlines()) == 1 and "chromium was not found" in result.stderr


def test_a_bookmark_chromium_wrote_twice_or_without_spaces_gets_its_headings_words():
    from coursebook.pdf.outline import _made_from

    assert _made_from("TimelineTimeline", "Timeline")
    assert _made_from("How stabilization mandates underminedHow stabilization mandates underminedpeacekeeping",
                      "How stabilization mandates undermined peacekeeping")
    assert _made_from("the principles ofpeacekeeping", "the principles of peacekeeping")
    assert not _made_from("Timeline", "Key takeaways") and not _made_from("Glossary", "")


def test_a_page_links_a_pdf_only_when_that_pdf_was_printed(tmp_path):
    """Without --pdf (no _build/pdf) the theme's print button stays; with the PDFs, the
    page's download menu offers its own and the whole book's."""
    from types import SimpleNamespace

    from coursebook.pdf.links import pdf_buttons

    app = SimpleNamespace(builder=SimpleNamespace(name="html"), outdir=str(tmp_path / "_build" / "html"), srcdir=str(ROOT))

    def menu(page: str) -> list[dict]:
        context = {"pathto": lambda path, resource: f"../{path}",
                   "header_buttons": [{"buttons": [{"label": "download-pdf-button", "type": "javascript"}]}]}
        pdf_buttons(app, page, "page.html", context, None)
        return context["header_buttons"][0]["buttons"]

    assert menu(CHAPTER) == [{"label": "download-pdf-button", "type": "javascript"}]
    (tmp_path / "_build" / "pdf" / "book").mkdir(parents=True)
    (tmp_path / "_build" / "pdf" / BOOK_PDF).write_bytes(b"%PDF")
    (tmp_path / "_build" / "pdf" / f"{CHAPTER}.pdf").write_bytes(b"%PDF")
    assert [b["url"] for b in menu(CHAPTER)] == [f"../_pdf/{CHAPTER}.pdf", f"../_pdf/{BOOK_PDF}"]
    assert [b["url"] for b in menu("book/glossary")] == [f"../_pdf/{BOOK_PDF}"]   # its own was not printed
