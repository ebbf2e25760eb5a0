"""The theme's icons without its 1.5 MB icon script.

pydata-sphinx-theme draws its icons (menu, search, colour mode, download...) with Font
Awesome's JavaScript, which carries every icon there is and turns each `<i class="fa-...">`
into an SVG.  This extension leaves that script out of every page (a copy of the theme's
`static/webpack-macros.html` without it, put first on the template path) and writes a
small style sheet, `_static/cp-icons.css`, that paints only the icons the site uses, each
as a CSS mask made from the same drawing in the theme's copy of the script.

The theme's own style sheet also draws a few icons with Font Awesome's font (the download
links, admonition titles, external links): for those the style sheet points the font at
`_static/cp-icons-solid.woff`, a copy of the font with only the glyphs the site's style
sheets name (a few KB instead of 156 KB).
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

THEME_STATIC = Path(__import__("pydata_sphinx_theme").__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
ICON_SCRIPT = THEME_STATIC / "scripts" / "fontawesome.js"
SOLID_FONT = THEME_STATIC / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.ttf"
STYLE_SHEET = "cp-icons.css"
FONT_SUBSET = "cp-icons-solid.woff"
FONT_FACE = """\
/* the theme's styles draw a few icons with Font Awesome's solid font: only those glyphs */
@font-face { font-family: "Font Awesome 6 Free"; font-style: normal; font-weight: 900; font-display: block;
  src: url(FONT) format("woff"); }
"""
# an icon's entry in the script: name: [width, height, [aliases], unicode, "svg path"]
ICON = r'(?:"{name}"|[{{,]{name}):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","([^"]+)"\]'
BASE_RULE = """\
/* the theme's Font Awesome icons, painted in the text's colour (see coursebook/icons.py);
   never in Font Awesome's own font, which would be one more download */
.fa-solid, .fa-regular, .fa-brands, .fas, .far, .fab { font-family: inherit !important; }
.fa-solid::before, .fa-regular::before, .fa-brands::before, .fas::before, .far::before, .fab::before {
  content: "" !important; display: inline-block; width: 1em; height: 1em; vertical-align: -0.125em;
  background-color: currentColor; -webkit-mask: var(--cp-icon) center / contain no-repeat; mask: var(--cp-icon) center / contain no-repeat; }
"""


def icon_paths(names: set[str], script: str) -> dict[str, tuple[int, int, str]]:
    """The drawing (width, height, path) of each named icon in the solid style: the script
    holds the regular style first, then the solid one (which begins again at 'address-book'),
    so the last drawing of a name is the solid one."""
    found = {}
    for name in sorted(names):
        matches = list(re.finditer(ICON.format(name=re.escape(name)), script))
        if matches:
            width, height, path = matches[-1].groups()
            found[name] = (int(width), int(height), path)
    return found


def theme_glyphs(css: str) -> set[int]:
    """The Font Awesome code points a style sheet of the site draws by itself (not the
    `.fa-<name>:before` definitions, which `<i class="fa-...">` icons use)."""
    points = set()
    for selector, body in re.findall(r"([^{}]*)\{([^{}]*)\}", css):
        if re.match(r"\s*(\*/)?\s*\.fa[a-z0-9-]*:+before", selector):
            continue
        points |= {int(code, 16) for code in re.findall(r'"\\(f[0-9a-f]{3})"', body)}   # written as "\f019"
        points |= {ord(glyph) for glyph in re.findall("[\uf000-\uf8ff]", body)}            # or as the character
    return points


def font_subset(points: set[int], target: Path) -> None:
    """Font Awesome's solid font with only `points`, as WOFF."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    font = subset.load_font(str(SOLID_FONT), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(points))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def style_sheet(names: set[str], script: str) -> str:
    rules = [FONT_FACE.replace("FONT", FONT_SUBSET), BASE_RULE]
    for name, (width, height, path) in icon_paths(names, script).items():
        drawing = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
        encoded = quote(drawing, safe=" =/:<>'")
        rules.append(f'.fa-{name} {{ --cp-icon: url("data:image/svg+xml,{encoded}"); }}')
    return "\n".join(rules) + "\n"


def macros_without_icon_script(doctree_dir: Path) -> Path:
    """A templates folder holding the theme's `static/webpack-macros.html` less the icon script."""
    macros = (THEME_STATIC / "webpack-macros.html").read_text(encoding="utf-8")
    slimmed = re.sub(r'[ \t]*<script[^>]*scripts/fontawesome\.js[^>]*></script>\n?', "", macros)
    if slimmed == macros:
        raise RuntimeError(f"{THEME_STATIC / 'webpack-macros.html'}: the theme no longer loads fontawesome.js this way; "
                           "coursebook/icons.py needs updating")
    folder = doctree_dir.parent / "coursebook-templates"
    (folder / "static").mkdir(parents=True, exist_ok=True)
    (folder / "static" / "webpack-macros.html").write_text(slimmed, encoding="utf-8")
    return folder


def _templates_first(app, config) -> None:
    config.templates_path = [str(macros_without_icon_script(Path(app.doctreedir))), *config.templates_path]


def _write_style_sheet(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    used = set()
    for page in out.rglob("*.html"):
        classes = " ".join(re.findall(r'class="([^"]*)"', page.read_text(encoding="utf-8")))
        used |= set(re.findall(r"\bfa-([a-z0-9-]+)", classes))
    (out / "_static" / STYLE_SHEET).write_text(style_sheet(used, ICON_SCRIPT.read_text(encoding="utf-8")), encoding="utf-8")
    styles = [p for p in (out / "_static").rglob("*.css") if p.name != STYLE_SHEET]
    font_subset(set().union(*(theme_glyphs(p.read_text(encoding="utf-8")) for p in styles)), out / "_static" / FONT_SUBSET)


def setup(app):
    app.connect("config-inited", _templates_first)
    app.connect("build-finished", _write_style_sheet)
    app.add_css_file(STYLE_SHEET)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
