"""The book's interactive widgets, one class per widget; their logic is in js/."""
from .base import BookWidget, asset, front_end

__all__ = ["BookWidget", "asset", "front_end"]
