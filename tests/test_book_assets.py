"""What the book serves instead of the heavy stock scripts: the widget loader (minified),
math as MathML, the theme's icons as a small style sheet and font, and pages whose widget
state comes after their text.  Fast checks of the parts; tests/test_book.py checks the
built site in Chromium."""
from __future__ import annotations

import json
import re
import subprocess
from importlib import resources
from types import SimpleNamespace

from helpers import require_command

from coursebook import fast_pages, icons, mathml
from coursebook.build import minify_js


def test_the_widget_loader_is_served_without_comments_and_still_runs():
    source = (resources.files("coursebook.widgets") / "js" / "loader.js").read_text(encoding="utf-8")
    served = minify_js(source)
    assert len(served) < 0.7 * len(source)
    assert not [line for line in served.splitlines() if line.lstrip().startswith("//")]
    node = require_command("node", "Node.js (node), to parse the served loader")
    checked = subprocess.run([node, "--check", "-"], input=served, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_math_is_mathml_made_at_build_time():
    translator = SimpleNamespace(body=[])
    node = SimpleNamespace(astext=lambda: r"x^* = \frac{a\,h + n\,g}{m\,n - a\,b}", get=lambda key: None, source="ch4.md")
    try:
        mathml.visit_block(translator, node)
    except Exception as skip:   # docutils' SkipNode: the renderer wrote the node itself
        assert type(skip).__name__ == "SkipNode"
    html = "".join(translator.body)
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html and "<mfrac>" in html


def test_every_icon_a_page_uses_is_painted_and_no_other():
    script = icons.ICON_SCRIPT.read_text(encoding="utf-8")
    css = icons.style_sheet({"bars", "magnifying-glass", "lg", "no-such-icon"}, script)
    assert ".fa-bars {" in css and ".fa-magnifying-glass {" in css
    assert ".fa-lg {" not in css and "no-such-icon" not in css
    assert css.count("--cp-icon: url(") == 2


def test_the_theme_styles_own_icons_come_from_a_font_of_only_their_glyphs(tmp_path):
    # the theme's download links draw U+F019 with Font Awesome's font, written as the character
    points = icons.theme_glyphs('a.download:before{content:"\uf019";font:var(--fa-font-solid)}'
                                '.fa-bars:before{content:"\\f0c9"}')
    assert points == {0xF019}
    icons.font_subset(points, tmp_path / "subset.woff")
    assert (tmp_path / "subset.woff").stat().st_size < 5000


def test_a_pages_widget_state_moves_after_its_text_and_theme_scripts_wait():
    state = SimpleNamespace(filename=None, attributes={"type": fast_pages.WIDGET_STATE, "body": '{"state": {}}'})
    copy = SimpleNamespace(filename="_static/copybutton.js", attributes={})
    options = SimpleNamespace(filename="_static/documentation_options.js", attributes={})
    context = {"script_files": [options, copy, state], "body": "<p>text</p>"}
    fast_pages._text_first(None, "ch1", "page.html", context, None)
    assert context["script_files"] == [options, copy]
    assert context["body"].index("<p>text</p>") < context["body"].index(fast_pages.WIDGET_STATE)
    assert copy.attributes.get("defer") and "defer" not in options.attributes   # inline scripts use the options at once


def test_each_widget_front_end_is_in_the_page_once():
    chart, question = "export default {render() {}}; // a chart", "export default {}; // </script> a question"
    models = {f"m{i}": {"model_module": "anywidget", "state": {"_esm": esm, "_css": ".cp{}", "data": {"n": i}}}
              for i, esm in enumerate([question, chart, question, chart, question])}
    models["layout"] = {"model_module": "@jupyter-widgets/base", "state": {}}
    body = '{"version_major": 2, "state": ' + json.dumps(models).replace("</", "<\\/") + "}"
    context = {"script_files": [SimpleNamespace(filename=None, attributes={"type": fast_pages.WIDGET_STATE, "body": body})], "body": ""}
    fast_pages._text_first(None, "ch5", "page.html", context, None)
    script = re.search(r"<script[^>]*>(.*)</script>", context["body"], re.S).group(1)
    assert "</script>" not in script        # a module's own text cannot end the script early
    state = json.loads(script)["state"]
    assert [state[m]["state"]["_esm"] for m in ("m0", "m1", "m2", "m3", "m4")] == [
        question, chart, {"cp-same-as": "m0"}, {"cp-same-as": "m1"}, {"cp-same-as": "m0"}]
    assert [state[m]["state"]["_css"] for m in ("m0", "m1", "m4")] == [".cp{}", {"cp-same-as": "m0"}, {"cp-same-as": "m0"}]
    assert state["m2"]["state"]["data"] == {"n": 2} and state["layout"] == {"model_module": "@jupyter-widgets/base", "state": {}}
    assert json.loads(script)["version_major"] == 2
