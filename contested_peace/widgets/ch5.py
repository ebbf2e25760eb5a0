"""Chapter 5's widgets: the bargaining range, the power shift that breaks a deal, and
"equal security" against collective defence (coalitions of the weaker states)."""
from __future__ import annotations

from . import BookWidget, front_end

NAMES = {"A": "Side A", "B": "Side B"}


class BargainingRange(BookWidget):
    _esm = front_end("ch5_bargaining_range", "controls", "chart")


class PowerShift(BookWidget):
    _esm = front_end("ch5_power_shift", "controls", "chart")


class EqualSecurity(BookWidget):
    _esm = front_end("ch5_equal_security")


def bargaining_range(p: float = 0.6, cost_a: float = 0.1, cost_b: float = 0.15, deal: float = 0.6) -> BargainingRange:
    return BargainingRange(label="Bargaining range explorer", data={
        "defaults": {"p": p, "cA": cost_a, "cB": cost_b, "x": deal}, "names": NAMES})


def power_shift(p0: float = 0.4, shift: float = 0.04, cost_a: float = 0.1, cost_b: float = 0.1,
                years: int = 10) -> PowerShift:
    return PowerShift(label="Power-shift simulation: when a deal stops being acceptable", data={
        "defaults": {"p0": p0, "shift": shift, "cA": cost_a, "cB": cost_b, "k": 0.0},
        "years": years, "names": NAMES})


def equal_security() -> EqualSecurity:
    # Capabilities are invented for illustration; no subset of the smaller states adds up to
    # exactly Bigland's 100, so no combination balances everyone at once.
    return EqualSecurity(label="Equal security or collective defence calculator", data={
        "big": {"name": "Bigland", "power": 100},
        "others": [
            {"name": "Eastland (neighbour)", "power": 25},
            {"name": "Northland (neighbour)", "power": 15},
            {"name": "Southland (neighbour)", "power": 10},
            {"name": "Farland (distant ally)", "power": 80},
        ],
        "note": "Illustrative figures, not measurements: five imaginary states with made-up strengths on one scale. "
                "A state counts as secure when its side is at least as strong as the strongest side it could face.",
    })
