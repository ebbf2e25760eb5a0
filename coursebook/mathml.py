"""Math rendered when the book is built, as MathML, which browsers draw themselves: a
reader downloads no math script (MathJax weighs 1.2 MB) and sees the formulas with the text.

A Sphinx math renderer; `_config.yml` selects it with `html_math_renderer: mathml`.
"""
from __future__ import annotations

from docutils import nodes
from latex2mathml.converter import convert


def _mathml(latex: str, display: str, where: str) -> str:
    try:
        return convert(latex.strip(), display=display)
    except Exception as exc:   # latex2mathml raises its own exception types, one per problem
        raise ValueError(f"{where}: cannot render the math {latex.strip()!r}: {exc}") from exc


def visit_inline(translator, node: nodes.math) -> None:
    translator.body.append(f'<span class="math notranslate">{_mathml(node.astext(), "inline", node.source or "")}</span>')
    raise nodes.SkipNode


def visit_block(translator, node: nodes.math_block) -> None:
    number = node.get("number")
    label = f'<span class="eqno">({number})</span>' if number else ""
    ident = f' id="{node["ids"][0]}"' if node.get("ids") else ""
    translator.body.append(f'<div class="math notranslate cp-math-block"{ident}>'
                           f'{_mathml(node.astext(), "block", node.source or "")}{label}</div>\n')
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", (visit_inline, None), (visit_block, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
