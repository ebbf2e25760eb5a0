"""The autograded notebook, as `nbgrader autograde` leaves it in
`autograded/<student>/<assignment>/`: the submitted notebook with every locked and test
cell put back as the instructor wrote it (hidden tests included: this notebook is for the
instructor and formgrader, never for the student), and the outputs of the sandboxed run.
"""
from __future__ import annotations

import copy

import nbformat

from ..nbmeta import grade_id, is_trusted


def restore_locked_cells(submitted: nbformat.NotebookNode, source: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of `submitted` whose locked and test cells are the source's (nbgrader's
    OverwriteCells), every code cell's outputs cleared."""
    trusted = {grade_id(c): c for c in source.cells if grade_id(c) and is_trusted(c)}
    nb = copy.deepcopy(submitted)
    for index, cell in enumerate(nb.cells):
        gid = grade_id(cell)
        if gid in trusted:
            cell = nb.cells[index] = copy.deepcopy(trusted[gid])
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def fill_outputs(nb: nbformat.NotebookNode, outputs: dict[str, list]) -> nbformat.NotebookNode:
    """Put the run's outputs (by cell index, as the worker brings them back) in `nb`."""
    for index, cell_outputs in outputs.items():
        cell = nb.cells[int(index)]
        if cell.cell_type == "code":
            cell.outputs = [nbformat.from_dict(o) for o in cell_outputs]
    return nb


def restored_notebook(submitted: nbformat.NotebookNode, source: nbformat.NotebookNode,
                      outputs_by_cell: dict[str, list]) -> nbformat.NotebookNode:
    """The autograded notebook of an assignment whose answers ran apart from its test
    cells: each cell gets the outputs its grade id had in the run."""
    nb = restore_locked_cells(submitted, source)
    by_index = {str(i): outputs_by_cell[grade_id(c)] for i, c in enumerate(nb.cells)
                if c.cell_type == "code" and grade_id(c) in outputs_by_cell}
    return fill_outputs(nb, by_index)
