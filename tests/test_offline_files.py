"""What the book's service worker keeps (coursebook/offline.py), on a small site made here:
every page and what pages load, the font a page uses, downloads kept when opened, nothing
that no page uses; a new version only when a file the book uses changes.  In the browser:
tests/test_offline.py."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

from helpers import require_command

from coursebook.offline import WORKER, manifest, write_service_worker


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
        "_static/f.woff2": "w", "_static/f.ttf": "t", "_static/g.woff2": "g", "_static/g-subset.woff": "gs",
        "_static/unused.js": "u", "_downloads/notes.pdf": "%PDF", "_sources/b.md": "# b", "root.js": "r",
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
