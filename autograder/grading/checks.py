"""The integrity checks of a submitted notebook, as small steps.

Each check is a function of the `Opened` notebook (what was submitted, what was
released, what only the instructor has) that returns its findings, and `CHECKS` runs them
in order, as nbgrader runs its preprocessors.  A check never changes the notebook: what
runs is decided elsewhere (the instructor's cells are put back whatever a check finds).
Adding a check is a function here, its place in `CHECKS`, and its test in
tests/test_integrity.py.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

import nbformat

from ..authoring.source_notebook import SETUP_ID
from ..nbmeta import grade_id, nbgrader_meta
from ..student.check import ran_as
from .instructor_copy import InstructorSecrets
from .results import Finding, Status
from .submission import Submission, answer_sources


@dataclass(frozen=True)
class Opened:
    """What the checks read about one submitted notebook."""
    submission: Submission
    release: nbformat.NotebookNode
    secrets: InstructorSecrets
    assignment_id: str
    student: str | None = None   # the folder's student, where questions vary by student


def _tampered(*what: str) -> list[Finding]:
    return [Finding(Status.TAMPERED, line) for line in what]


def _graded_cells(nb: nbformat.NotebookNode) -> dict[str, list]:
    found: dict[str, list] = {}
    for cell in nb.cells:
        if grade_id(cell):
            found.setdefault(grade_id(cell), []).append(cell)
    return found


def instructor_copy(opened: Opened) -> list[Finding]:
    """The instructor's own source notebook (it scores nothing, and is not run)."""
    evidence = opened.secrets.evidence(opened.submission.notebook)
    if not evidence:
        return []
    return [Finding(Status.INSTRUCTOR_COPY,
                    f"{opened.submission.path.name} is the instructor's source notebook (it holds "
                    f"{', '.join(evidence[:3])}); it scores nothing on {opened.assignment_id}")]


def deleted_or_repeated_cells(opened: Opened) -> list[Finding]:
    seen = _graded_cells(opened.submission.notebook)
    found = []
    for cell in opened.release.cells:
        gid = grade_id(cell)
        if gid and gid not in seen:
            found.append(f"cell '{gid}' was deleted")
        elif gid and len(seen[gid]) > 1:
            found.append(f"cell '{gid}' appears {len(seen[gid])} times")
    return _tampered(*found)


def changed_settings(opened: Opened) -> list[Finding]:
    """nbgrader's settings of a cell (graded, answer, locked, task, points) and its type."""
    seen = _graded_cells(opened.submission.notebook)
    found = []
    for original in opened.release.cells:
        copies = seen.get(grade_id(original))
        if not copies:
            continue
        cell, want = copies[0], nbgrader_meta(original)
        # "task": a rubric criterion's cell (nbgrader's manually graded task) stays one
        changed = next((key for key in ("grade", "solution", "locked", "task", "points")
                        if nbgrader_meta(cell).get(key) != want.get(key)), None)
        if changed:
            found.append(f"cell '{grade_id(original)}': its '{changed}' setting was changed")
        if cell.cell_type != original.cell_type:
            found.append(f"cell '{grade_id(original)}' was changed from {original.cell_type} to {cell.cell_type}")
    return _tampered(*found)


def edited_cells(opened: Opened) -> list[Finding]:
    """The text of a locked cell, or of a test cell even where the instructor left it
    unlocked (stock would run the student's edit of that one; here the instructor's runs)."""
    from nbgrader.utils import compute_checksum

    seen = _graded_cells(opened.submission.notebook)
    found = []
    for original in opened.release.cells:
        copies, want = seen.get(grade_id(original)), nbgrader_meta(original)
        if not copies or copies[0].cell_type != original.cell_type or want.get("solution"):
            continue
        test = want.get("grade") and original.cell_type == "code"
        if (want.get("locked") or test) and compute_checksum(copies[0]) != want.get("checksum"):
            what = "locked cell" if want.get("locked") else "test cell"
            found.append(f"{what} '{grade_id(original)}' was edited")
    return _tampered(*found)


def unknown_cells(opened: Opened) -> list[Finding]:
    known = {grade_id(c) for c in opened.release.cells if grade_id(c)}
    unknown = sorted(set(_graded_cells(opened.submission.notebook)) - known)
    return _tampered(f"cells with unknown ids: {', '.join(unknown[:3])}") if unknown else []


def reordered_cells(opened: Opened) -> list[Finding]:
    seen = _graded_cells(opened.submission.notebook)
    expected = [grade_id(c) for c in opened.release.cells if grade_id(c) in seen]
    actual = list(dict.fromkeys(grade_id(c) for c in opened.submission.notebook.cells if grade_id(c) in expected))
    return _tampered("cells were reordered") if actual != expected else []


# Modules a student's answer has no business touching: the grading machinery and the
# interpreter's own switchboard.  Importing them in an answer cell is reported as tampering.
GRADING_MODULES = {"autograder", "nbgrader", "nbclient", "ipykernel", "jupyter_client", "builtins"}
GRADING_NAMES = {"__builtins__", "get_ipython"}
# the shell's own ways of reporting an error: replacing one hides a failing test from a
# Jupyter kernel (nbgrader's classic hole), however the shell was reached
SHELL_HOOKS = {"showtraceback", "_showtraceback", "showsyntaxerror", "set_custom_exc", "CustomTB", "run_cell",
               "run_cell_async", "run_code", "run_ast_nodes", "excepthook"}


def grader_patching(opened: Opened) -> list[Finding]:
    """What the answer cells do to patch the kernel or the grading code.  Patching cannot
    raise a score here (errors are read from the run itself, answers outside the kernel),
    but it is not an honest answer either: the instructor should see it."""
    return _tampered(*patching_lines(answer_sources(opened.submission)))


def patching_lines(sources: dict[str, str]) -> list[str]:
    """One line for each patch found in `sources` (answer text by grade id)."""
    from IPython.core.inputtransformer2 import TransformerManager

    to_python = TransformerManager().transform_cell
    modules: set[str] = set()
    found: list[str] = []
    for gid, source in sources.items():
        try:
            tree = ast.parse(to_python(source))
        except (SyntaxError, ValueError):
            continue   # a syntax error is the student's own problem, reported when it runs
        for node in ast.walk(tree):
            found += _patch(node, gid, source, modules)
    return list(dict.fromkeys(found))


def _patch(node: ast.AST, gid: str, source: str, modules: set[str]) -> list[str]:
    """What one node of a cell's syntax tree patches, by the kind of node."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return _imported(node, gid, modules)
    if isinstance(node, ast.Name) and node.id in GRADING_NAMES and node.id in source:   # not a magic's
        return [f"cell '{gid}' uses {node.id}"]
    if isinstance(node, ast.Attribute):
        return _attribute_replaced(node, gid, modules)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr" and node.args:
        return _setattr_replaced(node, gid, modules)
    return []


def _imported(node: ast.Import | ast.ImportFrom, gid: str, modules: set[str]) -> list[str]:
    """An import of the grading code; every imported name is remembered as a module the
    cell may then patch."""
    names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
    modules.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    hit = sorted({n.split(".")[0] for n in names} & GRADING_MODULES)
    return [f"cell '{gid}' imports {hit[0]}"] if hit else []


def _attribute_replaced(node: ast.Attribute, gid: str, modules: set[str]) -> list[str]:
    if isinstance(node.ctx, (ast.Store, ast.Del)):
        # a dunder (`obj.__class__ = ...`), a module's attribute or a shell hook; `self.__x`
        # is a student's own private attribute, not a patch
        dunder = node.attr.startswith("__") and node.attr.endswith("__")
        if dunder or node.attr in SHELL_HOOKS or (isinstance(node.value, ast.Name) and node.value.id in modules):
            return [f"cell '{gid}' replaces {ast.unparse(node)}"]
    if node.attr == "set_custom_exc":   # called, it changes how errors are reported
        return [f"cell '{gid}' replaces how the shell reports errors ({ast.unparse(node)})"]
    return []


def _setattr_replaced(node: ast.Call, gid: str, modules: set[str]) -> list[str]:
    target, attribute = node.args[0], node.args[1] if len(node.args) > 1 else None
    if isinstance(target, ast.Name) and target.id in modules:
        return [f"cell '{gid}' replaces an attribute of {target.id}"]
    if isinstance(attribute, ast.Constant) and attribute.value in SHELL_HOOKS:
        return [f"cell '{gid}' replaces {attribute.value}"]
    return []


def old_format(opened: Opened) -> list[Finding]:
    return [Finding(Status.OLD_FORMAT, note) for note in opened.submission.notes]


def other_variant(opened: Opened) -> list[Finding]:
    """Where questions vary: a notebook last run as another student (graded on the
    questions of the folder's student all the same)."""
    if opened.student is None:
        return []
    who = notebook_identity(opened.submission.notebook, opened.assignment_id)
    if who is None or who == opened.student:
        return []
    return [Finding(Status.OTHER_VARIANT, f"the notebook was run as student {who!r}: "
                                          f"graded on the questions of {opened.student!r}")]


def notebook_identity(notebook, assignment_id: str) -> str | None:
    """The student a submitted notebook last ran as (its setup cell's output says), or None."""
    for cell in notebook.cells:
        if grade_id(cell) == SETUP_ID:
            for output in cell.get("outputs", []):
                text = output.get("text", "")
                who = ran_as(text if isinstance(text, str) else "".join(text), assignment_id)
                if who is not None:
                    return who
    return None


CHECKS = [instructor_copy, deleted_or_repeated_cells, changed_settings, edited_cells, unknown_cells,
          reordered_cells, grader_patching, old_format, other_variant]


def run_checks(opened: Opened, checks=CHECKS) -> list[Finding]:
    """Every check's findings; the changes to what may not be changed as one finding, which
    names the notebook.  An instructor's copy stops the checks (nothing else matters)."""
    findings: list[Finding] = []
    for check in checks:
        findings += check(opened)
        if any(f.status == Status.INSTRUCTOR_COPY for f in findings):
            return findings
    tampering = [f.message for f in findings if f.status == Status.TAMPERED]
    rest = [f for f in findings if f.status != Status.TAMPERED]
    if tampering:
        rest.insert(0, Finding(Status.TAMPERED, f"{opened.submission.path.name} changed what may not be changed: "
                                                + "; ".join(tampering[:4])))
    return rest
