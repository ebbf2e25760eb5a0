"""The bibliography is complete and has one entry per work, and every citation in the book
points at an entry.

book/references.bib is appended to by several authors, so it is checked as a reader of the
reference list would: every entry has the fields its type needs (an article its journal, a
book its publisher), every entry tells a reader where to find the work (a `url` or a `doi`),
no key is used twice, no work appears under two keys (the same title, ignoring case, braces,
accents and punctuation, in the same year), and every `{cite}`, `{cite:p}`, `{cite:t}`... key
in book/**/*.md exists.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from pybtex.database import BibliographyDataError, parse_string

ROOT = Path(__file__).resolve().parent.parent
BIB = ROOT / "book" / "references.bib"

# per entry type: fields that must all be there, and groups of which one must be there
# ("author" and "editor" are people, not fields, in pybtex, and are checked as such)
REQUIRED: dict[str, tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]] = {
    "article": (("title", "journal", "year"), (("author",),)),
    "book": (("title", "publisher", "year"), (("author", "editor"),)),
    "incollection": (("title", "year"), (("author", "organization", "institution", "howpublished"),)),
    "techreport": (("title", "year"), (("author", "organization", "institution", "howpublished"),)),
    "misc": (("title", "year"), (("author", "organization", "institution", "howpublished"),)),
}
# any other type needs at least what a misc entry needs
FALLBACK = (("title", "year"), (("author", "editor", "organization", "institution", "howpublished", "publisher"),))
# every entry, whatever its type, needs one of these so that a reader can find the work
LOCATORS = ("url", "doi")

CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")


def bib_text() -> str:
    return BIB.read_text(encoding="utf-8")


def entry_keys(text: str) -> list[str]:
    """Every key in the order it is written, duplicates included (the parser would stop at one)."""
    return re.findall(r"^\s*@\s*[A-Za-z]+\s*\{\s*([^,\s]+)\s*,", text, flags=re.M)


def parse(text: str):
    return parse_string(text, "bibtex")


def has(entry, name: str) -> bool:
    if name in ("author", "editor"):
        return bool(entry.persons.get(name))
    return bool(entry.fields.get(name, "").strip())


def missing_fields(entry) -> list[str]:
    needed, one_of = REQUIRED.get(entry.type.lower(), FALLBACK)
    missing = [f for f in needed if not has(entry, f)]
    missing += [" or ".join(group) for group in one_of if not any(has(entry, f) for f in group)]
    if not any(has(entry, f) for f in LOCATORS):
        missing.append(" or ".join(LOCATORS))
    return missing


def normalised_title(title: str) -> str:
    """'Charter of the {United Nations}' and 'Charter of the United Nations.' are the same title."""
    title = re.sub(r"\\[a-zA-Z]+\s*|\\.", "", title)  # LaTeX commands: \textit, \'{e}
    title = title.replace("{", "").replace("}", "")
    title = unicodedata.normalize("NFKD", title)
    title = "".join(c for c in title if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", title.lower()).split())


def duplicate_works(bibliography) -> list[str]:
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, entry in bibliography.entries.items():
        work = (normalised_title(entry.fields.get("title", "")), entry.fields.get("year", "").strip())
        if work[0]:
            seen[work].append(key)
    return [f"{' and '.join(keys)}: \"{title}\" ({year})" for (title, year), keys in seen.items() if len(keys) > 1]


def cited_keys() -> dict[str, list[str]]:
    """Every key cited in the book, with where it is cited."""
    where: dict[str, list[str]] = defaultdict(list)
    for page in sorted((ROOT / "book").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for match in CITE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            for key in match[1].split(","):
                if key.strip():
                    where[key.strip()].append(f"{page.relative_to(ROOT)}:{line}")
    return where


# -- the checks, written against text so that the tests below can also feed them a planted error

def problems_in(text: str) -> list[str]:
    problems = []
    keys = [key.lower() for key in entry_keys(text)]  # BibTeX keys ignore case
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        problems.append(f"keys used for more than one entry: {', '.join(twice)}")
    try:
        bibliography = parse(text)
    except BibliographyDataError as exc:  # a repeated key, or a field given twice
        return problems or [str(exc)]
    for key, entry in bibliography.entries.items():
        missing = missing_fields(entry)
        if missing:
            problems.append(f"{key} (@{entry.type}) lacks {', '.join(missing)}")
    problems += [f"the same work twice: {dup}" for dup in duplicate_works(bibliography)]
    return problems


def test_references_bib_parses():
    assert parse(bib_text()).entries, "book/references.bib has no entries"


def test_every_entry_is_complete_and_appears_once():
    problems = problems_in(bib_text())
    assert not problems, "book/references.bib:\n  " + "\n  ".join(problems)


def test_every_cited_key_exists():
    known = {key.lower() for key in entry_keys(bib_text())}
    unknown = {key: places for key, places in cited_keys().items() if key.lower() not in known}
    assert not unknown, "cited but not in book/references.bib:\n  " + "\n  ".join(
        f"{key} ({', '.join(places[:3])})" for key, places in sorted(unknown.items()))


# -- the checks can fail -------------------------------------------------------------------

ARTICLE = """@article{doe2020study,
  author  = {Doe, Jane},
  title   = {A Study of Peace},
  journal = {Journal of Studies},
  year    = {2020},
  doi     = {10.1000/example}
}
"""


@pytest.mark.parametrize("planted, expected", [
    (ARTICLE + ARTICLE, "keys used for more than one entry: doe2020study"),
    (ARTICLE + ARTICLE.replace("doe2020study", "doe2020peace").replace("A Study of Peace", "A study of {P}eace."),
     "the same work twice"),
    (ARTICLE.replace("  journal = {Journal of Studies},\n", ""), "lacks journal"),
    ("@book{roe2019,\n  title = {A Book},\n  publisher = {A Press},\n  year = {2019}\n}\n", "lacks author or editor"),
    ("@misc{un1945,\n  title = {A Charter},\n  year = {1945}\n}\n", "lacks author or organization"),
    (ARTICLE.replace("  doi     = {10.1000/example}\n", ""), "lacks url or doi"),
    ("@misc{un1945,\n  author = {{UN}},\n  title = {A Charter},\n  year = {1945},\n  url = {}\n}\n", "lacks url or doi"),
])
def test_planted_errors_are_caught(planted, expected):
    assert any(expected in problem for problem in problems_in(planted)), problems_in(planted)


def test_a_planted_duplicate_in_the_real_file_is_caught():
    text = bib_text()
    first = re.search(r"^@article\{.*?^\}", text, flags=re.M | re.S)[0]
    renamed = re.sub(r"^@article\{[^,]+,", "@article{planted_copy,", first, count=1)
    assert any("the same work twice" in p and "planted_copy" in p for p in problems_in(text + "\n" + renamed))


def test_an_unknown_citation_is_caught():
    assert CITE.findall("as {cite:p}`lewis2022,nobody1999` and {cite:t}`peter2024` argue") == [
        "lewis2022,nobody1999", "peter2024"]
