"""Reading offline (issue 28, jupyter-book #1003).  What the book's service worker keeps
(coursebook/offline.py), on a small site made here; then, in headless Chromium with the
built book served from 127.0.0.1 (a secure context, as service workers need): after one
visit every page works with the network cut off, widgets drawn, and a download the reader
opened; a new version replaces the old one whole at the next visit; a reader who saves
data gets only what they open; a book opened from file:// registers no worker."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers import SiteServer, draw_widgets, page_problems, require_command

from coursebook.offline import WORKER, manifest, pages, write_service_worker

STATE = "document.documentElement.dataset.cpOffline"
FINAL = ("ready", "opened-only", "incomplete", "no-room", "stale")   # what the worker answers a page that asked it to save
CACHES = """async () => { const found = {};
  for (const name of await caches.keys()) found[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
  return found; }"""


# ---------------------------------------------------------------- what the worker keeps

def small_site(root: Path) -> Path:
    files = {
        "index.html": '<meta http-equiv="Refresh" content="0; url=book/a.html" />',
        "book/a.html": """<link rel="stylesheet" href="../_static/style.css?v=1"><link rel="canonical" href="https://x.org/a.html">
            <link rel="stylesheet" href="../_static/icons.css">
            <script src="../_static/app.js?v=2"></script><img srcset="../_static/small.png 1x, ../_static/big.png 2x">
            <a href="b.html#part">next</a> <a href="../_downloads/notes.pdf" download>notes</a>
            <a href="https://example.org/">away</a> <a href="../../outside.html">out</a> <script src="/root.js"></script>""",
        "book/b.html": "<p>no links</p>",
        "_static/style.css": """@import "more.css"; body { background: url('bg.png') }
            @font-face { font-family: F; src: url(f.woff2) format("woff2"), url(f.ttf) format("truetype"); }
            @font-face { font-family: "The G"; font-weight: bold; src: url(g.woff2) }
            i { mask: url("data:image/svg+xml,<svg/>") }""",
        # a later face for the same letters: the earlier one's font is never fetched
        "_static/icons.css": r"@font-face { font-weight: 700; font-family: The\ G; src: url(g-subset.woff) format('woff') }",
        "_static/more.css": "p { color: red }",
        "_static/app.js": "1", "_static/small.png": "s", "_static/big.png": "b", "_static/bg.png": "g",
        "_static/f.woff2": "w", "_static/f.ttf": "t", "_static/g.woff2": "g", "_static/g-subset.woff": "gs", "_static/unused.js": "u", "_downloads/notes.pdf": "%PDF",
        "_sources/b.md": "# b", "root.js": "r",
    }
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def test_the_worker_prefills_what_pages_load_and_keeps_what_they_offer_when_opened(tmp_path):
    book = manifest(small_site(tmp_path))
    assert book["prefill"] == ["_static/app.js", "_static/bg.png", "_static/big.png", "_static/f.woff2", "_static/g-subset.woff",
                               "_static/icons.css", "_static/more.css", "_static/small.png", "_static/style.css",
                               "book/a.html", "book/b.html", "index.html"]
    # offered only: a download; unknown to the worker (never kept): what no page uses or links
    assert set(book["files"]) == {*book["prefill"], "_downloads/notes.pdf"}
    data = (tmp_path / "_static/app.js").read_bytes()
    assert book["files"]["_static/app.js"] == [hashlib.sha256(data).hexdigest()[:32], len(data)]


def test_a_new_version_is_a_change_to_a_file_the_book_uses(tmp_path):
    site = small_site(tmp_path)
    first = write_service_worker(site)
    (site / "_static/unused.js").write_text("changed")
    assert manifest(site)["version"] == first["version"]
    (site / "_static/more.css").write_text("p { color: blue }")
    second = write_service_worker(site)
    assert second["version"] != first["version"]
    # the worker carries its list, and is valid JavaScript
    worker = (site / WORKER).read_text()
    assert json.loads(re.match(r"const BOOK = (.*);\n", worker).group(1)) == second
    node = require_command("node", "Node.js, to check the worker's syntax")
    checked = subprocess.run([node, "--check", str(site / WORKER)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.slow
def test_the_built_book_has_a_worker_listing_it_as_it_stands(site):
    worker = (site / WORKER).read_text(encoding="utf-8")
    book = json.loads(re.match(r"const BOOK = (.*);\n", worker).group(1))
    assert book == manifest(site)   # written last: after every extension's own files
    assert set(pages(site)) <= set(book["prefill"])
    notebooks = [p for p in book["files"] if p.endswith(".ipynb")]
    assert len(notebooks) >= 10 and not set(notebooks) & set(book["prefill"])   # downloads: kept when opened
    # every page registers it, with a script small enough not to count
    script = re.search(r'<script type="module">(.*?)</script>', (site / "book" / "intro.html").read_text(encoding="utf-8"), re.S)
    assert script and "cp-offline.js" in script.group(1) and len(script.group(1)) < 2500


# ---------------------------------------------------------------- in the browser

def saved(page, version: str, state: str = "ready") -> None:
    """Wait until the book's worker says this version is saved (the page shows it)."""
    page.wait_for_function(f"{list(FINAL)}.includes({STATE}) && document.documentElement.dataset.cpOfflineVersion === '{version}'",
                           timeout=60000)
    assert page.evaluate(STATE) == state


def site_file(site: Path, base: str, url: str) -> Path:
    path = unquote(urlsplit(url).path[len(urlsplit(base).path):])
    return site / (path + "index.html" if path == "" or path.endswith("/") else path)


def open_page(context, base: str, path: str) -> tuple[object, list[str], list]:
    page = context.new_page()
    problems = page_problems(page)
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(base + path, wait_until="load")
    return page, problems, responses


def old_files(responses, site: Path, base: str) -> list[str]:
    """The responses whose bytes are not the file `site` has now."""
    return [r.url for r in responses if r.url.startswith(base) and (not r.ok or r.body() != site_file(site, base, r.url).read_bytes())]


def download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    assert info.value.failure() is None, info.value.failure()
    return Path(info.value.path()).read_bytes()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.timeout(600)
def test_after_one_visit_the_book_reads_offline_and_a_new_version_replaces_it_whole(site, chromium, tmp_path):
    first = manifest(site)
    server = SiteServer(site)
    context = chromium.new_context(accept_downloads=True)
    try:
        # One visit, online: once the page has loaded, the whole book is saved.
        page, problems, _ = open_page(context, server.base, "book/intro.html")
        saved(page, first["version"])
        assignment, _, _ = open_page(context, server.base, "book/assignments/ch1.html")
        notebook = download(assignment, "a.download[href$='.ipynb']")          # the reader opens one download
        stored = context.pages[0].evaluate(CACHES)
        assert len(stored) == 1
        [urls] = stored.values()
        assert {unquote(urlsplit(u).path[1:]) for u in urls} == {*first["prefill"], *[p for p in first["files"]
                                                                                       if p.endswith("/ch1.ipynb")]}

        # The network cut off: every page, its widgets, the download opened.
        server.stop()
        context.set_offline(True)
        for path in pages(site):
            page, problems, _ = open_page(context, server.base, path)
            draw_widgets(page, (site / path).read_text(encoding="utf-8"))
            assert not problems, f"{path} offline:\n" + "\n".join(problems)
            page.close()
        assert download(assignment, "a.download[href$='.ipynb']") == notebook
        assert not problems

        # Version 2: a style sheet every page uses changed (so, as Sphinx does, each page
        # names it with a new checksum), and the text of one page.
        second_site = tmp_path / "v2"
        shutil.copytree(site, second_site)
        with (second_site / "_static" / "cp-book.css").open("a") as css:
            css.write("\n:root { --cp-version: 2; }\n")
        for path in pages(second_site):
            html = (second_site / path).read_text(encoding="utf-8")
            html = re.sub(r"cp-book\.css\?v=\w+", "cp-book.css?v=version2", html)
            if path == "book/intro.html":
                html = html.replace("<h1>", '<h1 data-version="2">', 1)
            (second_site / path).write_text(html, encoding="utf-8")
        second = write_service_worker(second_site)
        assert second["version"] != first["version"]

        # Back online, the next visit shows version 2 (nothing from the cache of version 1),
        # and once saved, version 1's cache is gone.
        server.folder = second_site
        server.start()
        context.set_offline(False)
        page, problems, responses = open_page(context, server.base, "book/ch1-collective-instruments.html")
        saved(page, second["version"])
        assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--cp-version').trim()") == "2"
        assert not old_files(responses, second_site, server.base) and not problems
        stored = page.evaluate(CACHES)
        assert list(stored) == [f"cp-offline {server.base} {second['version']}"], stored

        # Offline again: every page is version 2, whole (the redirecting index aside).
        server.stop()
        context.set_offline(True)
        for path in [p for p in pages(site) if 'http-equiv="Refresh"' not in (site / p).read_text(encoding="utf-8")]:
            page, problems, responses = open_page(context, server.base, path)
            assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--cp-version').trim()") == "2", path
            assert not old_files(responses, second_site, server.base), path
            assert not problems, f"{path} offline, version 2:\n" + "\n".join(problems)
            page.close()
        page, _, _ = open_page(context, server.base, "book/intro.html")
        assert page.locator("h1[data-version='2']").count() == 1
    finally:
        context.close()
        server.stop()


@pytest.mark.slow
@pytest.mark.browser
def test_a_reader_who_saves_data_keeps_only_what_they_open(site, chromium):
    book = manifest(site)
    server = SiteServer(site)
    context = chromium.new_context()
    try:
        page = context.new_page()
        # the browser's own Save-Data setting (navigator.connection.saveData, and the header)
        context.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
        problems = page_problems(page)
        loaded = []
        page.on("response", lambda response: loaded.append(response.url))
        chapter = "book/ch2-contesting-liberal-peace.html"
        page.goto(server.base + chapter)
        saved(page, book["version"], "opened-only")
        kept = {unquote(urlsplit(u).path[1:]) for u in page.evaluate(CACHES)[f"cp-offline {server.base} {book['version']}"]}
        assert kept == {unquote(urlsplit(u).path[1:]) for u in loaded} & set(book["files"]), "only what the page loaded"
        assert chapter in kept and "book/ch1-collective-instruments.html" not in kept
        assert not [p for p in problems if not p.endswith("/favicon.ico)")], problems   # the book has no icon: not ours

        # what the reader opens next is kept too, and reads offline, widgets drawn
        glossary = "book/glossary.html"
        page.goto(server.base + glossary)
        saved(page, book["version"], "opened-only")
        server.stop()
        context.set_offline(True)
        for path in (chapter, glossary):
            page, problems, _ = open_page(context, server.base, path)
            draw_widgets(page, (site / path).read_text(encoding="utf-8"))
            assert not problems, f"{path} offline:\n" + "\n".join(problems)
    finally:
        context.close()
        server.stop()


@pytest.mark.slow
@pytest.mark.browser
def test_a_book_opened_from_a_file_registers_no_worker(site, chromium):
    context = chromium.new_context()
    try:
        path = "book/ch1-collective-instruments.html"
        page = context.new_page()
        problems = page_problems(page)
        page.on("console", lambda m: problems.append(f"warning: {m.text}") if m.type == "warning" else None)
        page.goto((site / path).as_uri())
        page.wait_for_function(f"{STATE} === 'unavailable'")
        draw_widgets(page, (site / path).read_text(encoding="utf-8"))
        assert not context.service_workers and not page.evaluate("!!navigator.serviceWorker?.controller")
        assert not problems, "\n".join(problems)
    finally:
        context.close()
