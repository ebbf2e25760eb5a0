"""The book's interactive widgets, one class per widget; their logic is in js/."""
from .base import BookWidget, asset

__all__ = ["BookWidget", "asset"]
