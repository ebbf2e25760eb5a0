"""The instructor's own notebook earns nothing.

A student who hands in the source notebook (through a link, a copy fetched from the
instructor's folder, or `nbgrader collect` following a link in the exchange) would get
the model solution's points.  What gives such a notebook away is what only the source
has and nbgrader strips from the release: the solution, hidden-test and mark-scheme
markers (nbgrader's, and any the course's nbgrader_config.py sets), the text of the
hidden tests and mark schemes, and the metadata of nbgrader's "Create Assignment"
toolbar.  The model solution's answers are not such evidence: they
are what a perfect student hands in.

Evidence is found line by line (whitespace ignored), and a line the students were given
(anywhere in the released notebooks) never counts, so a course whose release quotes a
marker, or a test line, cannot flag an honest student.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..nbmeta import cell_source, grade_id, is_answer, is_test, nbgrader_meta

# nbgrader's default delimiters (ClearSolutions, ClearHiddenTests, ClearMarkScheme); it
# looks for them anywhere in a line, and so does this
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "END MARK SCHEME")
DELIMITER_SETTINGS = {"ClearSolutions": ("begin_solution_delimeter", "end_solution_delimeter"),
                      "ClearHiddenTests": ("begin_test_delimeter", "end_test_delimeter"),
                      "ClearMarkScheme": ("begin_mark_scheme_delimeter", "end_mark_scheme_delimeter")}
NBGRADER_CONFIG = "nbgrader_config.py"
# shorter hidden lines (`assert x == 3`) could be a student's own: only longer ones count
MIN_SECRET_CHARS = 20
TOOLBAR = "Create Assignment"   # the source notebook's `celltoolbar`, removed on release


def course_markers(course_root: Path) -> tuple[str, ...]:
    """nbgrader's default delimiters and those the course's nbgrader_config.py sets (the
    instructor's own file, read as nbgrader reads it); the defaults alone if it cannot be read."""
    path = course_root / NBGRADER_CONFIG
    if not path.is_file():
        return MARKERS
    try:
        from traitlets.config.loader import PyFileConfigLoader
        config = PyFileConfigLoader(NBGRADER_CONFIG, str(course_root)).load_config()
    except Exception:   # a config nbgrader itself would refuse: its commands say why
        return MARKERS
    configured = [config[section][name] for section, names in DELIMITER_SETTINGS.items() if section in config
                  for name in names if isinstance(config[section].get(name), str) and config[section][name].strip()]
    return tuple(dict.fromkeys([*MARKERS, *configured]))


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@dataclass
class InstructorSecrets:
    """The lines only the instructor's source notebooks hold, and where each comes from."""
    secret: dict[str, str] = field(default_factory=dict)   # normalised line -> what it is part of
    released: set[str] = field(default_factory=set)        # every line the students were given
    markers: tuple[str, ...] = MARKERS

    @classmethod
    def of(cls, sources: list[nbformat.NotebookNode], releases: list[nbformat.NotebookNode],
           markers: tuple[str, ...] = MARKERS) -> InstructorSecrets:
        found = cls(released={line for nb in releases for c in nb.cells for line in _lines(cell_source(c))},
                    markers=markers)
        for nb in sources:
            for cell in nb.cells:
                gid = grade_id(cell)
                if not gid or is_answer(cell):   # a model answer is not evidence; its markers are
                    continue
                what = (f"the hidden tests of '{gid}'" if is_test(cell) and cell.cell_type == "code"
                        else f"the mark scheme of '{gid}'" if nbgrader_meta(cell).get("task") or is_test(cell)
                        else f"instructor-only text of cell '{gid}'")
                for line in _lines(cell_source(cell)):
                    if line not in found.released and len(line) >= MIN_SECRET_CHARS:
                        found.secret.setdefault(line, what)
        return found

    def evidence(self, notebook: nbformat.NotebookNode) -> list[str]:
        """What in `notebook` only the instructor's source has, one phrase each (none: [])."""
        found: dict[str, None] = {}
        if notebook.get("metadata", {}).get("celltoolbar") == TOOLBAR:
            found["the metadata of nbgrader's Create Assignment toolbar"] = None
        for cell in notebook.cells:
            for line in _lines(cell_source(cell)):
                if line in self.released:
                    continue
                marker = next((m for m in self.markers if m in line), None)
                if marker:
                    found[f"the marker '{marker}'"] = None
                elif line in self.secret:
                    found[self.secret[line]] = None
        return list(found)
