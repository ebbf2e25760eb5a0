"""An essay's graded cells in the gradebook, kept in step with its rubric without losing a
hand mark.

An essay is marked as a whole (one graded cell, `<question>`) or criterion by criterion (a
task cell per criterion, `<question>_<criterion>`, and the answer cell worth nothing).  When
the rubric's structure changes (criteria added, removed, renamed, or their points changed)
the gradebook's cells of that essay must change too.  Where nothing was marked yet, the
cells that went are deleted with their empty rows.  Where a person already marked or
commented on the essay, the change is refused: a mark given on one scale cannot be carried
to another without a person deciding how.  Changing only the wording of a criterion or of
its levels keeps the structure, so marks stay where they are.
"""
from __future__ import annotations

from collections import defaultdict

from nbgrader.api import Comment, Grade, Gradebook, MissingEntry, TaskCell

from ..errors import UsageError
from ..grading.results import GradebookCell


def essay_cells(cells: list[GradebookCell]) -> dict[tuple[str, str], dict[str, float]]:
    """By (notebook, essay question id): the essay's graded cells and their points."""
    essays: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for c in cells:
        if c.task:
            essays[(c.notebook, c.question_id)][c.grade_id] = c.points
    for c in cells:   # every essay's own answer cell (worth nothing where its criteria carry the points)
        if c.manual and not c.task and c.grade_id == c.question_id and c.cell_type == "markdown":
            essays[(c.notebook, c.question_id)][c.grade_id] = c.points
    return essays


def _recorded(gb: Gradebook, assignment_id: str, notebook: str, question_id: str, others: set[str]):
    """The gradebook's cells of one essay: its graded cell and the task cells named after it
    (`others`: the grade ids of the assignment's other questions, never taken as its)."""
    try:
        nb = gb.find_notebook(notebook, assignment_id)
    except MissingEntry:
        return []
    found = [c for c in nb.grade_cells if c.name == question_id]
    found += [c for c in nb.task_cells if c.name.startswith(question_id + "_") and c.name not in others]
    return found


def _marked(gb: Gradebook, cells) -> int:
    """How many submissions hold a person's mark or comment on any of `cells`."""
    ids = [c.id for c in cells]
    if not ids:
        return 0
    graded = {g.notebook_id for g in gb.db.query(Grade).filter(Grade.cell_id.in_(ids), Grade.manual_score.isnot(None))}
    commented = {c.notebook_id for c in gb.db.query(Comment).filter(Comment.cell_id.in_(ids))
                 if c.manual_comment and c.manual_comment.strip()}
    return len(graded | commented)


def keep_essays_in_step(gb: Gradebook, assignment_id: str, cells: list[GradebookCell]) -> None:
    """Check every essay's recorded cells against `cells` before they are registered: refuse
    a change of structure once a person has marked the essay, else drop the cells that went."""
    others = {c.grade_id for c in cells}
    for (notebook, qid), wanted in essay_cells(cells).items():
        recorded = _recorded(gb, assignment_id, notebook, qid, others - set(wanted))
        have = {c.name: float(c.max_score) for c in recorded}
        if not have or have == wanted:
            continue
        marked = _marked(gb, recorded)
        if marked:
            gone = sorted(set(have) - set(wanted))
            new = sorted(set(wanted) - set(have))
            what = "; ".join(filter(None, [f"cells that go: {', '.join(gone)}" if gone else "",
                                           f"new cells: {', '.join(new)}" if new else "",
                                           "points changed" if not gone and not new else ""]))
            raise UsageError(f"{assignment_id}: essay '{qid}' already has hand marks or comments in the gradebook "
                             f"({marked} submission(s)), and its rubric's structure changed ({what}); put the "
                             f"rubric's criteria and points back as they were, or record into a new gradebook (--db)")
        for cell in recorded:
            if cell.name not in wanted and isinstance(cell, TaskCell):
                gb.db.query(Grade).filter(Grade.cell_id == cell.id).delete()
                gb.db.query(Comment).filter(Comment.cell_id == cell.id).delete()
                gb.db.delete(cell)
        gb.db.commit()
