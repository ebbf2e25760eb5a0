"""`course build --pdf`: what the printer needs to know of the course, and the order of
the steps (the one-page book, its PDFs, then the online book that links them)."""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

from autograder.course import yaml_mapping

from .links import book_pdf_name, staging_dir
from .printer import Book, chromium_path, paper_format, print_book, print_tools

SINGLE_PAGE = "singlehtml"   # jupyter-book's folder for the singlehtml builder, in _build


def site_address(config: dict) -> str:
    """Where the online book is published, ending in "/": `html.baseurl` in _config.yml,
    else the GitHub Pages address of `repository.url` (the course publishes its site to
    GitHub Pages with ghp-import); "" when neither is known."""
    base = str((config.get("html") or {}).get("baseurl") or "").strip()
    if base:
        return base.rstrip("/") + "/"
    parts = urlsplit(str((config.get("repository") or {}).get("url") or ""))
    owner_repo = parts.path.strip("/").split("/")
    if parts.netloc == "github.com" and len(owner_repo) == 2:
        return f"https://{owner_repo[0].lower()}.github.io/{owner_repo[1]}/"
    return ""


def check_can_print(paper: str) -> None:
    """Fail before anything is built when the PDFs cannot be printed."""
    paper_format(paper)
    chromium_path()
    print_tools()


def print_pdfs(root: Path, build_dir: Path, paper: str) -> list[Path]:
    """Print the one-page build in build_dir into build_dir/pdf."""
    config = yaml_mapping(root / "_config.yml")
    root_doc = str(yaml_mapping(root / "_toc.yml").get("root") or "index").removesuffix(".md").removesuffix(".ipynb")
    book = Book(build_dir / SINGLE_PAGE, root_doc, str(config.get("title") or ""), site_address(config))
    return print_book(book, staging_dir(build_dir), book_pdf_name(root), paper)


def drop_pdfs(build_dir: Path) -> None:
    """A build without --pdf: no PDFs, so no page links one (coursebook/pdf/links.py)."""
    shutil.rmtree(staging_dir(build_dir), ignore_errors=True)
