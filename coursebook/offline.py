"""Reading offline: the book's service worker and the list of files it keeps.

A Sphinx extension, listed in _config.yml.  Every page gets a tiny inline script
(js/offline-register.js) that waits until the page has loaded, then registers the worker
(js/offline-worker.js, written to the site's root as `cp-offline.js` once the build has
finished) and asks it to save the book.  The worker knows every file the book's pages use
or offer, with a hash of its content; the book's version is the hash of that list, and
names the cache, so a new build is a new version that replaces the old one whole (the
worker's own comments say how it never mixes two).

What is saved after the first visit ("prefill"): every page and every file a page loads
(its scripts, style sheets, images, and the fonts and images its style sheets name; of
two fonts for the same letters, the one the page uses).  What a page only offers (`<a
href>` to a notebook, a PDF, a data file) is kept when the reader opens it: downloads can
be large, and a reader rarely wants them all.  A file no page uses or links (the theme's
unused scripts, source maps, translations) is not the book's, and the worker leaves it to
the network.

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
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(['"]?)([^'")\s;]+)\1""")
FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}")
DESCRIPTOR = re.compile(r"(font-family|font-weight|font-style|unicode-range)\s*:\s*([^;]+)", re.I)


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


def _descriptors(face: str) -> tuple:
    """Which letters of which font a font face is for: of two faces for the same, the later is used."""
    found = {name.lower(): " ".join(re.sub(r"\\(.)", r"\1", value).strip("'\" \n").lower().split())
             for name, value in DESCRIPTOR.findall(face)}   # Font\ Awesome and "font  awesome" alike
    weight = found.get("font-weight", "normal")
    return found.get("font-family"), {"normal": "400", "bold": "700"}.get(weight, weight), \
        found.get("font-style", "normal"), found.get("unicode-range", "")


def _style_sheet(site: Path, path: str, known: dict) -> tuple[set[str], list[tuple[tuple, str]]]:
    """What a style sheet loads besides fonts (the sheets it imports and theirs included),
    and its font faces in the order they apply (an imported sheet's first), each with the
    first file of its `src` (the one a browser takes)."""
    if path not in known:
        known[path] = (set(), [])   # a sheet that imports itself
        css = (site / path).read_text(encoding="utf-8", errors="replace")
        here = PurePosixPath(path)
        files, faces = set(), []
        for _, imported in IMPORT.findall(css):
            target = _inside(site, here, imported)
            if target:
                inner_files, inner_faces = _style_sheet(site, target, known)
                files |= {target, *inner_files}
                faces += inner_faces
        for face in FONT_FACE.finditer(css):
            first = CSS_URL.search(face.group(1))
            target = first and _inside(site, here, first.group(2))
            if target:
                faces.append((_descriptors(face.group(1)), target))
        rest = FONT_FACE.sub("", IMPORT.sub("", css))
        files |= {t for t in (_inside(site, here, m.group(2)) for m in CSS_URL.finditer(rest)) if t}
        known[path] = (files, faces)
    return known[path]


def pages(site: Path) -> list[str]:
    """The book's pages: its HTML outside the folders Sphinx keeps for itself (_static...)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).parts[0].startswith("_"))


def book_files(site: Path) -> tuple[list[str], list[str]]:
    """(prefill, offered): every page and what the pages load, style sheets' files included
    (of a font's faces, the one the page uses); and the files the pages only link to."""
    prefill, offered, sheets = set(pages(site)), set(), {}
    for page in pages(site):
        parser = _References()
        parser.feed((site / page).read_text(encoding="utf-8", errors="replace"))
        faces = []
        for reference in parser.loaded:
            target = _inside(site, PurePosixPath(page), reference)
            if target:
                prefill.add(target)
                if target.endswith(".css"):
                    files, sheet_faces = _style_sheet(site, target, sheets)
                    prefill |= files
                    faces += sheet_faces
        prefill |= set(dict(faces).values())   # the last face for the same letters wins
        offered |= {t for t in (_inside(site, PurePosixPath(page), r) for r in parser.linked) if t}
    return sorted(prefill), sorted(offered - prefill)


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
