"""CSV cells that are safe to open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets (CSV injection): a student whose id is
`=HYPERLINK(...)` would run it on the instructor's machine.  As OWASP recommends, such a
cell is written with a leading `'`, which spreadsheets show as text; `restore` undoes it
for this project's own readers.  A cell that already starts with quotes before such a
character gets one more, so that `restore` gives back exactly what was written.  The
csv module quotes commas, quotes and line breaks.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# OWASP's list, and the full-width forms some spreadsheets also take for a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _looks_like_formula(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(value: object) -> str:
    """The cell's text, with a leading `'` where a spreadsheet would see a formula."""
    text = "" if value is None else str(value)
    return "'" + text if _looks_like_formula(text) else text


def restore(text: str) -> str:
    """A cell as it was before `neutralise`."""
    return text[1:] if text.startswith("'") and _looks_like_formula(text) else text


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """CSV text with every cell neutralised (the first row is the header, like any other)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def read_csv_rows(text: str) -> list[dict[str, str]]:
    """The rows of a CSV made by `csv_text`, keyed by its header, every cell restored."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [restore(cell) for cell in next(reader, [])]
    return [dict(zip(header, (restore(cell) for cell in row), strict=False)) for row in reader]
