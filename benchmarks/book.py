"""Benchmark: how fast the built book opens on a slow connection, against a stock Jupyter Book.

    python benchmarks/book.py [--site _build/html] [--pages book/ch1-... ...] [--runs 3] [--no-control]

Serves the built site from 127.0.0.1 with gzip, as any real host does, and opens each
page in headless Chromium with an empty cache and the network emulated through the
DevTools protocol (1.6 Mbit/s down, 150 ms latency).  Per page it prints the requests,
the bytes raw and as sent (gzipped), counted after scrolling to the bottom until the
network is idle; the time to the page's text (first contentful paint); and the time until
the first widget in the page's order is drawn (the benchmark scrolls it into view as soon
as the document is parsed, as a reader heading for it would).  In the same run it measures
a control: a stock jupyter-book 1.x page with one ipywidget, built the way jupyter-book's
documentation says, its CDN scripts (require.js, the HTML widget manager, MathJax) served
from local copies.  The figures go to benchmarks/results/book.md.
"""
from __future__ import annotations

import argparse
import datetime
import email.utils
import gzip
import http.server
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "book.md"
CDN_COPIES_DIR = ROOT / ".cache" / "benchmark-tools" / "stock-cdn"   # fetched once from npm
DOWN_BITS, LATENCY_MS = 1_600_000, 150
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".ipynb", ".md", ".ttf", ".eot", ".inv")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

# Runs in the page before anything else: when the document is parsed, bring the first
# widget into view, and note the moment something is drawn in its place.
FIRST_WIDGET_PROBE = """
(() => {
  const VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  const drawn = (box) => [...box.children].some((c) => c.tagName !== 'SCRIPT' && c.getBoundingClientRect().height > 0);
  document.addEventListener('DOMContentLoaded', () => {
    const first = document.querySelector(VIEW);
    if (!first) return;
    first.parentElement.scrollIntoView();
    const poll = () => drawn(first.parentElement) ? (window.__firstWidget = performance.now()) : requestAnimationFrame(poll);
    poll();
  });
})();
"""


@dataclass
class Request:
    path: str
    raw: int
    sent: int
    dest: str = ""   # what asked for it (Sec-Fetch-Dest): "document", "script"... or "empty" for a script's fetch


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the browser accepts it; every request is noted."""

    log: list[Request]
    cache: dict[Path, bytes] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            self.log.append(Request(self.path, 0, 0))
            return
        modified = int(path.stat().st_mtime)
        since = self.headers.get("If-Modified-Since")
        if since and email.utils.parsedate_to_datetime(since).timestamp() >= modified:   # as a host answers a check
            self.send_response(304)
            self.end_headers()
            self.log.append(Request(unquote(urlsplit(self.path).path), 0, 0, self.headers.get("Sec-Fetch-Dest", "")))
            return
        body = path.read_bytes()
        raw = len(body)
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "") and path.suffix in COMPRESSIBLE
        if gzipped:
            if path not in self.cache:
                self.cache[path] = gzip.compress(body, compresslevel=6, mtime=0)
            body = self.cache[path]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(modified))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):   # the browser went on to the next page
            return
        self.log.append(Request(unquote(urlsplit(self.path).path), raw, len(body), self.headers.get("Sec-Fetch-Dest", "")))


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, list[Request]]:
    log: list[Request] = []
    handler = type("Handler", (GzipHandler,), {"log": log, "cache": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, log


@dataclass
class PageFigures:
    page: str
    requests: int
    raw: int
    sent: int
    text_s: float | None
    widget_s: float | None
    largest: list[Request]


def measure(engine, base: str, log: list[Request], path: str) -> PageFigures:
    # An empty cache for every page: a first visit.  What a first view needs, without the
    # book's offline worker, which saves the book only once the page has loaded
    # (benchmarks/offline.py measures that).
    context = engine.new_context(service_workers="block")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": LATENCY_MS, "downloadThroughput": DOWN_BITS / 8, "uploadThroughput": DOWN_BITS / 8})
    page.add_init_script(FIRST_WIDGET_PROBE)
    log.clear()
    page.goto(base + path, wait_until="load", timeout=120_000)
    has_widget = page.evaluate("!!document.querySelector('script[type=\"application/vnd.jupyter.widget-view+json\"]')")
    if has_widget:
        page.wait_for_function("window.__firstWidget !== undefined", timeout=120_000)
    # scroll to the bottom, a screen at a time, until nothing more arrives
    for _ in range(200):
        page.wait_for_load_state("networkidle", timeout=120_000)
        at_end = page.evaluate("""() => { window.scrollBy(0, window.innerHeight);
            return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2; }""")
        if at_end:
            break
    page.wait_for_timeout(600)
    page.wait_for_load_state("networkidle", timeout=120_000)
    text = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null")
    widget = page.evaluate("window.__firstWidget ?? null")
    context.close()
    requests = list(log)
    return PageFigures(path, len(requests), sum(r.raw for r in requests), sum(r.sent for r in requests),
                       text / 1000 if text is not None else None, widget / 1000 if widget is not None else None,
                       sorted(requests, key=lambda r: -r.sent)[:3])


# ---------------------------------------------------------------- the control

CONTROL_PAGE = """\
---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
# A page with one widget

Jupyter Book's documentation: put an ipywidget in a code cell; its state is saved when the
page is executed, and the page loads the widget manager to draw it.

```{code-cell} ipython3
import ipywidgets as widgets
widgets.IntSlider(value=3, min=0, max=10, description="Level")
```

Some text after the widget.
"""

# What a stock page loads from CDNs, and the local copy served in its place.
CDN_COPIES = {
    # require.js 2.3.7 from npm, unminified (the CDN serves 2.3.4 minified: about 12 KB less)
    r"https://[^\"']*/require(\.min)?\.js": "require.js",
    r"https://[^\"']*/embed-amd\.js": "embed-amd.js",
    r"https://[^\"']*/tex-chtml\.js": "mathjax/tex-chtml.js",
}


# The versions a stock jupyter-book 1.x page asks the CDNs for (the HTML manager for
# ipywidgets 8), fetched from the npm registry: package -> (version, folder, files wanted).
STOCK_SCRIPTS = {
    "@jupyter-widgets/html-manager": ("1.0.15", "package/dist/",
                                      lambda n: "/" not in n and n.endswith((".js", ".woff2", ".woff", ".ttf", ".eot", ".svg"))
                                      and (n == "embed-amd.js" or not n.endswith(".js"))),
    "requirejs": ("2.3.7", "package/", lambda n: n == "require.js"),
    "mathjax": ("3.2.2", "package/es5/", lambda n: n == "tex-chtml.js" or n.startswith("output/chtml/fonts/woff-v2/")),
}


def stock_scripts() -> Path:
    from coursebook.build import npm_files

    for package, (version, prefix, keep) in STOCK_SCRIPTS.items():
        target = CDN_COPIES_DIR / "mathjax" if package == "mathjax" else CDN_COPIES_DIR
        marker = {"mathjax": "tex-chtml.js", "requirejs": "require.js"}.get(package, "embed-amd.js")
        if not (target / marker).is_file():
            npm_files(package, version, prefix, target, keep)
    return CDN_COPIES_DIR


def build_control(scratch: Path) -> Path:
    """A one-page jupyter-book 1.x with the default configuration and one IntSlider."""
    book = scratch / "control"
    book.mkdir()
    (book / "_config.yml").write_text("title: Control\nexecute:\n  execute_notebooks: force\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: widget\n")
    (book / "widget.md").write_text(CONTROL_PAGE)
    result = subprocess.run([sys.executable, "-c", "from jupyter_book.cli.main import main; main()", "build", str(book),
                             "--quiet"], capture_output=True, text=True)
    html = book / "_build" / "html"
    if result.returncode != 0 or not (html / "widget.html").is_file():
        sys.exit(f"the control book does not build:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    # its CDN scripts, served from local copies (the same versions the course fetched)
    shutil.copytree(stock_scripts(), html / "_cdn", dirs_exist_ok=True)
    page = html / "widget.html"
    text = page.read_text(encoding="utf-8")
    for pattern, local in CDN_COPIES.items():
        text = re.sub(pattern, f"_cdn/{local}", text)
    # the pinned CDN files' integrity hashes cannot match the local copies' versions
    text = re.sub(r' integrity="[^"]*"', "", text)
    left = re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"(https?://[^\"]+)\"", text)
    if left:
        sys.exit(f"the control page still loads from another host: {left}")
    page.write_text(text, encoding="utf-8")
    return html


# ---------------------------------------------------------------- report

def median_of(runs: list[PageFigures]) -> PageFigures:
    """One page's figures over several first visits: the bytes of the first (they do not
    vary), the median of each time (the machine is shared, so one visit can be slow)."""
    def median(values):
        values = sorted(v for v in values if v is not None)
        return values[len(values) // 2] if values else None
    first = runs[0]
    return PageFigures(first.page, first.requests, first.raw, first.sent, median([r.text_s for r in runs]),
                       median([r.widget_s for r in runs]), first.largest)


def kb(n: int) -> str:
    return f"{n / 1000:.0f}"


def secs(s: float | None) -> str:
    return "–" if s is None else f"{s:.2f}"


def table(rows: list[PageFigures]) -> list[str]:
    lines = ["| page | requests | raw (KB) | transferred (KB) | text (s) | first widget (s) | largest transfers |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        largest = ", ".join(f"{Path(x.path).name} {kb(x.sent)}" for x in r.largest)
        lines.append(f"| {r.page} | {r.requests} | {kb(r.raw)} | {kb(r.sent)} | {secs(r.text_s)} | {secs(r.widget_s)} | {largest} |")
    return lines


def site_pages(site: Path) -> list[str]:
    """Every page a reader can reach, less the ones that only redirect (index.html)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).parts[0].startswith("_")
                  and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")[:2000])


def find_chromium() -> str:
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium was not found: apt-get install chromium")
    return chromium


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html", help="the built book (default: _build/html)")
    parser.add_argument("--pages", nargs="*", help="pages to open (default: every page of the site)")
    parser.add_argument("--no-control", action="store_true", help="skip the stock jupyter-book control")
    parser.add_argument("--label", default="", help="a word for the results heading (e.g. 'baseline')")
    parser.add_argument("--runs", type=int, default=3, help="first visits per page; times are their median (default 3)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        sys.exit(f"{args.site}: no built book here; run `course build` first")
    chromium = find_chromium()
    from playwright.sync_api import sync_playwright

    pages = args.pages or site_pages(args.site)
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as p:
        engine = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        server, log = serve(args.site)
        base = f"http://127.0.0.1:{server.server_port}/"
        rows = []
        for path in pages:
            rows.append(median_of([measure(engine, base, log, path) for _ in range(args.runs)]))
            print(table(rows[-1:])[-1], flush=True)
        server.shutdown()
        control = None
        if not args.no_control:
            control_site = build_control(Path(scratch))
            server, log = serve(control_site)
            control = median_of([measure(engine, f"http://127.0.0.1:{server.server_port}/", log, "widget.html")
                                 for _ in range(args.runs)])
            server.shutdown()
            print(table([control])[-1], flush=True)
        engine.close()

    lines = [f"# Book speed benchmark{' (' + args.label + ')' if args.label else ''} ({datetime.date.today()})", "",
             f"Machine: {platform.machine()}, Python {platform.python_version()}; the site served from 127.0.0.1 with "
             f"gzip; headless Chromium, empty cache, network emulated at {DOWN_BITS / 1e6:.1f} Mbit/s down and "
             f"{LATENCY_MS} ms latency. Bytes counted after scrolling to the bottom until the network is idle; "
             f"times are the median of {args.runs} first visits; 1 KB = 1000 bytes.", "", *table(rows)]
    if control:
        lines += ["", "Control: a stock jupyter-book 1.x page with one `IntSlider`, default configuration, its CDN "
                  "scripts served from local copies:", "", *table([control])]
        chapters = [r for r in rows if re.search(r"/ch\d", r.page) and "assignments" not in r.page]
        if chapters:
            worst = max(chapters, key=lambda r: r.sent)
            slowest = max(chapters, key=lambda r: r.widget_s or 0)
            lines += ["", textwrap.dedent(f"""\
                Heaviest chapter ({worst.page}): {kb(worst.sent)} KB transferred, {worst.sent / control.sent:.2f}x the
                control's {kb(control.sent)} KB; slowest first widget ({slowest.page}): {secs(slowest.widget_s)} s against
                the control's {secs(control.widget_s)} s ({(slowest.widget_s or 0) / (control.widget_s or 1):.2f}x).""")
                .replace("\n", " ")]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
