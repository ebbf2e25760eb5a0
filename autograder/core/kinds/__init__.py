"""The question kinds, each in its own module; `KINDS` maps a kind's name to its rules."""
from __future__ import annotations

from .base import Kind
from .choice import Multiple, Single
from .data import Data
from .essay import Essay
from .numeric import Numeric
from .ordering import Ordering, stable_shuffle
from .pairs import Classification, Matching
from .text import Text

KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Single(), Multiple(), Matching(), Ordering(), Classification(), Numeric(), Data(), Text(), Essay())}

__all__ = ["KINDS", "Kind", "stable_shuffle"]
