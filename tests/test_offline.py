"""Reading offline (issue 28, jupyter-book #1003), in the built book: its service worker
(coursebook/offline.py) lists the site as it stands; and in headless Chromium, the book
served from 127.0.0.1 (a secure context, as service workers need): after one visit every
page works with the network cut off, widgets drawn, and a download the reader opened; a
new version replaces the old one whole at the next visit; a reader who saves data gets
only what they open; a book opened from file:// registers no worker.  What the worker
keeps, on a small site: tests/test_offline_files.py."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers import SiteServer, draw_widgets, page_problems

from coursebook.offline import WORKER, manifest, pages, write_service_worker

STATE = "document.documentElement.dataset.cpOffline"
FINAL = ("ready", "opened-only", "incomplete", "no-room", "stale")   # what the worker answers a page that asked it to save
CACHES = """async () => { const found = {};
  for (const name of await caches.keys()) found[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
  return found; }"""


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


def site_path(url: str) -> str:
    """The file of the site (served from the host's root) that a URL names."""
    path = unquote(urlsplit(url).path[1:])
    return path + "index.html" if path == "" or path.endswith("/") else path


def kept(page) -> dict[str, set[str]]:
    """The browser's offline caches of the site, by name: the files each holds."""
    return {name: {site_path(url) for url in urls} for name, urls in page.evaluate(CACHES).items()}


def open_page(context, base: str, path: str) -> tuple[object, list[str], list]:
    page = context.new_page()
    problems = page_problems(page)
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(base + path, wait_until="load")
    return page, problems, responses


def old_files(responses, site: Path, base: str) -> list[str]:
    """The responses whose bytes are not the file `site` has now."""
    return [r.url for r in responses if r.url.startswith(base) and (not r.ok or r.body() != (site / site_path(r.url)).read_bytes())]


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
        [files] = kept(context.pages[0]).values()
        assert files == {*first["prefill"], *[p for p in first["files"] if p.endswith("/ch1.ipynb")]}

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
        assert list(kept(page)) == [f"cp-offline {server.base} {second['version']}"]

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
        files = kept(page)[f"cp-offline {server.base} {book['version']}"]
        assert files == {site_path(url) for url in loaded} & set(book["files"]), "only what the page loaded"
        assert chapter in files and "book/ch1-collective-instruments.html" not in files
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
