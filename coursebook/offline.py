"""Reading offline: the book's service worker and the list of files it keeps.

A Sphinx extension, listed in _config.yml.  Every page gets a tiny inline script
(js/offline-register.js) that waits until the page has loaded, then registers the worker
(js/offline-worker.js, written to the site's root as `cp-offline.js` once the build has
finished) and asks it to save the book.  The worker knows every file the book's pages use
or offer, with a hash of its content; the book's version is the hash of that list, and
names the cache, so a new build is a new version that replaces the old one whole (the
worker's own comments say how it never mixes two).

What is saved after the first visit ("prefill"): every page and every file a page loads
(its scripts, style sheets, images, and the fonts and images its style sheets name).  What
a page only offers (`<a href>` to a notebook, a PDF, a data file) is kept when the reader
opens it: downloads can be large, and a reader rarely wants them all.  A file no page uses
or links (the theme's unused scripts, source maps, translations) is not the book's.

Whatever adds files to the site after Sphinx (a PDF per chapter, say) calls
`write_service_worker(site)` again, so that the worker knows them.
"""
from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

WORKER = "cp-offline.js"     # at the site's root: a worker's scope is its folder and below
HASH_CHARS = 32              # of sha256's hex: enough to tell two versions of a file apart
BUILDERS = ("html", "dirhtml")   # one page per document; a single-page build is not read offline

# Where an element names a file the page loads (src and srcset of media, <link href>),
# rather than a file it links to (<a href>).
LOADED = {("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
          ("video", "src"), ("video", "poster"), ("audio", "src"), ("iframe", "src"), ("embed", "src"),
          ("object", "data"), ("input", "src"), ("link", "href")}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}")


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []
        self.linked: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value:
                continue
            if (tag, name) in LOADED and not (tag == "link" and dict(attrs).get("rel") in ("canonical", "alternate")):
                self.loaded += [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
            elif (tag, name) == ("a", "href"):
                self.linked.append(value)


def _inside(site: Path, base: PurePosixPath, reference: str) -> str | None:
    """The site file (a path relative to the site) a reference in `base`'s folder names, if any."""
    parts = urlsplit(reference.strip())
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None   # another host, or the host's root (the book may be hosted in a folder of it)
    target = base.parent / unquote(parts.path)
    resolved = []
    for part in target.parts:
        if part == "..":
            if not resolved:
                return None
            resolved.pop()
        elif part not in (".", "/"):
            resolved.append(part)
    path = "/".join(resolved)
    if path and (site / path).is_dir():
        path += "/index.html"
    return path if path and (site / path).is_file() else None


def _css_references(css: str) -> list[str]:
    """What a style sheet loads; of a font's alternatives, the first (the one a browser takes)."""
    found = []
    for face in FONT_FACE.finditer(css):
        first = CSS_URL.search(face.group(1))
        if first:
            found.append(first.group(2) or first.group(4))
    rest = FONT_FACE.sub("", css)
    found += [m.group(2) or m.group(4) for m in CSS_URL.finditer(rest)]
    return [url for url in found if not url.startswith("data:")]


def pages(site: Path) -> list[str]:
    """The book's pages: its HTML outside the folders Sphinx keeps for itself (_static...)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).parts[0].startswith("_"))


def book_files(site: Path) -> tuple[list[str], list[str]]:
    """(prefill, offered): every page and what the pages load, styles' files included; and
    the files the pages only link to (downloads)."""
    prefill, offered = set(pages(site)), set()
    queue = sorted(prefill)
    while queue:
        path = queue.pop()
        text = (site / path).read_text(encoding="utf-8", errors="replace")
        if path.endswith(".css"):
            loaded, linked = _css_references(text), []
        elif path.endswith(".html"):
            parser = _References()
            parser.feed(text)
            loaded, linked = parser.loaded, parser.linked
        else:
            continue
        for reference in loaded:
            target = _inside(site, PurePosixPath(path), reference)
            if target and target not in prefill:
                prefill.add(target)
                queue.append(target)
        offered.update(t for t in (_inside(site, PurePosixPath(path), r) for r in linked) if t)
    offered -= prefill
    return sorted(prefill), sorted(offered)


def manifest(site: Path) -> dict:
    """What the worker knows: the version, each file's hash and size, and what it prefills."""
    prefill, offered = book_files(site)
    files = {}
    for path in sorted({*prefill, *offered} - {WORKER}):
        data = (site / path).read_bytes()
        files[path] = [hashlib.sha256(data).hexdigest()[:HASH_CHARS], len(data)]
    version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    return {"version": version, "files": files, "prefill": [p for p in prefill if p != WORKER]}


def write_service_worker(site: Path) -> dict:
    """Write the worker for the site as it now stands into its root; returns its manifest."""
    from .build import minify_js

    book = manifest(site)
    code = (resources.files("coursebook") / "js" / "offline-worker.js").read_text(encoding="utf-8")
    (site / WORKER).write_text(f"const BOOK = {json.dumps(book, separators=(',', ':'))};\n" + minify_js(code),
                               encoding="utf-8")
    return book


# ---------------------------------------------------------------- the Sphinx extension

def _register_in_every_page(app) -> None:
    if app.builder.name in BUILDERS:
        from .build import minify_js

        script = (resources.files("coursebook") / "js" / "offline-register.js").read_text(encoding="utf-8")
        # A module: run once the page is parsed, never in the way of its text.  Given to the
        # builder alone (app.add_js_file would also put it in the registry, which the pages
        # read as well: the script would be written twice).
        app.builder.add_js_file(None, body=minify_js(script).strip(), type="module")


def _write_worker(app, exception) -> None:
    if exception is None and app.builder.name in BUILDERS:
        write_service_worker(Path(app.outdir))


def setup(app):
    app.connect("builder-inited", _register_in_every_page)
    # last: other extensions still write files when the build finishes (the theme rewrites pygments.css)
    app.connect("build-finished", _write_worker, priority=10_000)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
