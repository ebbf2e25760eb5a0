"""Fingerprints of a text: Schleimer, Wilkerson and Aiken's winnowing (SIGMOD 2003).

A text becomes a list of tokens, each remembering where it stands in the original (so
that a shared passage can be marked there).  Every run of `k` tokens is hashed, and of
each window of `w` consecutive hashes the smallest is kept.  Two texts that share a run
of at least k + w - 1 tokens are sure to share a kept hash, wherever the run stands in
each; a run shorter than k tokens never counts.  So passages are found after sentences
are moved about, and a changed word breaks a match only locally.

Prose is compared word by word, lowercased, without the text in quotation marks (a quote
is not a copy).  Code is compared by its Python tokens with every name the student chose
replaced by a number in order of first use, string literals written one way, and
comments and layout dropped: renaming the variables or reformatting the code changes nothing.

Why not a library: copydetect (the best-known winnowing package on PyPI, last release
2024) is a tool for folders of code files: it hashes characters of Pygments' filtered code
and has no notion of prose, of words or of quotations; the package
`winnowing` (last release 2019) keeps 16-bit hashes by default, which collide across a class; and
datasketch's MinHash estimates whether two whole sets are alike and cannot say which
passage is shared, nor how much of a short essay lies inside a long reading.  The
winnowing itself is the twenty lines of `winnow` below.
"""
from __future__ import annotations

import ast
import builtins
import hashlib
import io
import keyword
import re
import tokenize
from dataclasses import dataclass

PROSE_K, PROSE_W = 5, 4     # a shared run of 8 words is always seen; of 5, sometimes
CODE_K, CODE_W = 10, 3      # a shared run of 12 code tokens is always seen


@dataclass(frozen=True)
class Token:
    text: str       # as compared (lowercased word, or a code token with names made canonical)
    start: int      # where it stands in the original text (characters)
    end: int


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# text quoted with straight or curly double quotes, curly single quotes (British style:
# the closing one, also an apostrophe, counts when no letter follows it), or a Markdown
# quotation line
_QUOTED = re.compile(r'"[^"\n]{1,600}"|“[^”\n]{1,600}”|‘[^‘\n]{1,600}?’(?!\w)|^[ \t]*>.*$', re.MULTILINE)


def prose_tokens(text: str, skip_quoted: bool = True) -> list[Token]:
    """The words of `text`, lowercased; outside quotation marks unless `skip_quoted` is
    False (a reading's own quotations are part of what a student may copy from it)."""
    quoted = [m.span() for m in _QUOTED.finditer(text)] if skip_quoted else []
    tokens, q = [], 0
    for m in _WORD.finditer(text):
        while q < len(quoted) and quoted[q][1] <= m.start():
            q += 1
        if q < len(quoted) and quoted[q][0] <= m.start() < quoted[q][1]:
            continue
        tokens.append(Token(m.group().lower().replace("’", "'"), m.start(), m.end()))
    return tokens


_KEEP = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins))
_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
         tokenize.ENCODING, tokenize.ENDMARKER}


def code_tokens(source: str) -> list[Token]:
    """The Python tokens of `source`: a name the student chose becomes `v<n>` (the n-th
    such name met), a name after a dot (an attribute or method of a library) and
    Python's own names stay; comments and layout are dropped.  Code that does not
    tokenize (a student's syntax error) falls back to its words."""
    offsets = [0]
    for line in source.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    names: dict[str, str] = {}
    tokens: list[Token] = []
    previous = ""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in _SKIP:
                continue
            start = offsets[tok.start[0] - 1] + tok.start[1]
            end = offsets[tok.end[0] - 1] + tok.end[1]
            text = tok.string
            if tok.type == tokenize.NAME and text not in _KEEP and previous != ".":
                text = names.setdefault(text, f"v{len(names)}")
            elif tok.type == tokenize.STRING:
                text = canonical_string(text)
            tokens.append(Token(text, start, end))
            previous = tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return prose_tokens(source)
    return tokens


def canonical_string(literal: str) -> str:
    """A string literal as Python writes its value: 'a' and "a" are the same string."""
    try:
        return repr(ast.literal_eval(literal))
    except (ValueError, SyntaxError, MemoryError, RecursionError):   # an f-string, say
        return literal


def kgram_hash(words: tuple[str, ...]) -> int:
    # a stable 64-bit hash (Python's own hash differs between runs)
    return int.from_bytes(hashlib.blake2b("\x1f".join(words).encode(), digest_size=8).digest(), "big")


def winnow(tokens: list[Token], k: int, w: int) -> dict[int, list[int]]:
    """The kept hashes of `tokens`, each with the token positions where its k-gram starts."""
    texts = [t.text for t in tokens]
    hashes = [kgram_hash(tuple(texts[i:i + k])) for i in range(len(texts) - k + 1)]
    kept: dict[int, list[int]] = {}
    if not hashes:
        return kept
    last = -1
    for start in range(max(1, len(hashes) - w + 1)):
        window = hashes[start:start + w]
        # the rightmost smallest, as the paper does, so a run of equal hashes keeps few
        low = min(window)
        pick = start + max(i for i, h in enumerate(window) if h == low)
        if pick != last:
            kept.setdefault(hashes[pick], []).append(pick)
            last = pick
    return kept
