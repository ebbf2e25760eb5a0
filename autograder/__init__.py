"""Contested Peace's autograder: questions as data, hashed student checks, and grading
that decides scores outside the student's kernel."""

__version__ = "0.1.0"
