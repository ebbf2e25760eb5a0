"""Contested Peace: the book's widgets, data sets and practice questions."""
