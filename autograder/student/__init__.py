"""The student's side, imported in a student's kernel: `check()` while working
(`from autograder.student import load_checker`, the assignments' first cell) and the
hidden tests' scoring for stock nbgrader.  Kept free of the grading machinery."""
from .check import CHECKS_FILE, Checker, load_checker

__all__ = ["CHECKS_FILE", "Checker", "load_checker"]
