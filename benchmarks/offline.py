"""Benchmark: what saving the book for reading offline costs a reader, after a first visit.

    python benchmarks/offline.py [--site _build/html] [--page book/ch1-...html]

Serves the built site from 127.0.0.1 with gzip and answers "not modified" to a check of a
file the browser has, as a host does (benchmarks/book.py's server).  Opens one page in
headless Chromium with an empty cache and waits, after the page has loaded, until the
book's service worker (coursebook/offline.py) says the book is saved: the requests it made
and their bytes are the fill, which the page-weight figures of benchmarks/book.py do not
count.  Then the same with the browser's Save-Data setting on.  The figures go to
benchmarks/results/offline.md.
"""
from __future__ import annotations

import argparse
import datetime
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from book import CHROMIUM_ARGS, DOWN_BITS, ROOT, Request, find_chromium, kb, serve
from coursebook.offline import manifest

RESULTS = ROOT / "benchmarks" / "results" / "offline.md"
SAVED = "['ready', 'opened-only', 'incomplete', 'no-room', 'stale'].includes(document.documentElement.dataset.cpOffline)"
CACHED = "async () => (await (await caches.open((await caches.keys())[0])).keys()).map((r) => r.url)"


@dataclass
class Fill:
    state: str
    files: int        # in the offline cache once saved
    kept: int         # their bytes
    requests: int     # made by the worker (and for it: its script)
    checked: int      # of them, answered "not modified"
    raw: int
    sent: int


def measure_fill(engine, site: Path, base: str, log: list[Request], path: str, save_data: bool) -> Fill:
    context = engine.new_context()
    page = context.new_page()
    if save_data:
        context.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    log.clear()
    page.goto(base + path, wait_until="load", timeout=120_000)
    page.wait_for_function(SAVED, timeout=300_000)
    # the worker's own script, and its fetches (the page itself fetches nothing by script)
    fill = [r for r in log if r.dest in ("serviceworker", "empty")]
    cached = [unquote(urlsplit(url).path[1:]) for url in page.evaluate(CACHED)]
    sizes = manifest(site)["files"]
    figures = Fill(page.evaluate("document.documentElement.dataset.cpOffline"), len(cached),
                   sum(sizes[path][1] for path in cached), len(fill),
                   sum(1 for r in fill if r.sent == 0), sum(r.raw for r in fill), sum(r.sent for r in fill))
    context.close()
    return figures


def describe(fill: Fill) -> str:
    at_phone_speed = fill.sent * 8 / DOWN_BITS
    return (f"{fill.state}: {fill.files} files, {kb(fill.kept)} KB, in the cache; {fill.requests} request{'s' if fill.requests != 1 else ''} by the worker and for its script "
            f"({fill.checked} answered \"not modified\"), {kb(fill.raw)} KB raw, {kb(fill.sent)} KB transferred "
            f"({at_phone_speed:.1f} s at {DOWN_BITS / 1e6:.1f} Mbit/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html", help="the built book (default: _build/html)")
    parser.add_argument("--page", default="book/ch1-collective-instruments.html", help="the page of the first visit")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not (args.site / "cp-offline.js").is_file():
        sys.exit(f"{args.site}: no book with its offline worker here; run `course build` first")
    chromium = find_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        engine = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        server, log = serve(args.site)
        base = f"http://127.0.0.1:{server.server_port}/"
        whole = measure_fill(engine, args.site, base, log, args.page, save_data=False)
        lean = measure_fill(engine, args.site, base, log, args.page, save_data=True)
        server.shutdown()
        engine.close()
    lines = [f"# Reading offline: the cost of saving the book ({datetime.date.today()})", "",
             f"`python benchmarks/offline.py`: a first visit to {args.page} (empty cache), the site served from "
             "127.0.0.1 with gzip; what the book's service worker fetched once the page had loaded, until it said the "
             "book was saved. 1 KB = 1000 bytes.", "",
             f"- Whole book: {describe(whole)}.",
             f"- With Save-Data: {describe(lean)}."]
    print("\n".join(lines[-2:]))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
