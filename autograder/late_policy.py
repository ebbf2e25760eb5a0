"""A late policy: what handing in late costs, applied to a score after grading (hand
marks included), never in the student's kernel.

`none` records lateness and costs nothing; `zero` takes the whole score; a deduction takes
points (`deduct: 2`) or a percentage of the score (`deduct: 10%`) per hour or day late, a
part of one counting whole, with an optional cap (in the same unit) and a grace period in
minutes within which a submission is not penalised."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .errors import UsageError

UNITS = {"hour": 1.0, "day": 24.0}
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")


@dataclass(frozen=True)
class LatePolicy:
    """What a late submission costs (see the module's docstring)."""
    kind: str = "none"             # none | zero | deduct
    amount: float = 0.0            # per unit late: points, or percent of the score
    percent: bool = False
    per: str = "day"               # hour | day
    cap: float | None = None       # the most deducted, in the same unit as `amount`
    grace_minutes: float = 0.0

    def penalty(self, score: float, late_hours: float | None) -> float:
        """The points deducted from `score` (hand marks included) for a submission
        `late_hours` after its due date (None: its time is unknown, so nothing)."""
        if late_hours is None or late_hours * 60 <= self.grace_minutes or score <= 0 or self.kind == "none":
            return 0.0
        if self.kind == "zero":
            return score
        units = math.ceil(late_hours / UNITS[self.per] - 1e-9)
        deducted = self.amount * units if self.cap is None else min(self.cap, self.amount * units)
        points = score * deducted / 100 if self.percent else deducted
        return round(min(score, points), 4)

    def describe(self) -> str:
        if self.kind != "deduct":
            return {"none": "late work is not penalised", "zero": "late work scores zero"}[self.kind]
        unit = "%" if self.percent else " points"
        text = f"{self.amount:g}{unit} {'of the score ' if self.percent else ''}per {self.per} late"
        text += f", at most {self.cap:g}{unit}" if self.cap is not None else ""
        return text + (f", after {self.grace_minutes:g} minutes' grace" if self.grace_minutes else "")


def parse_policy(value, where: str) -> LatePolicy:
    if value in ("none", "zero"):
        return LatePolicy(kind=value)
    if not isinstance(value, dict):
        raise UsageError(f"{where}: late must be none, zero or a mapping with 'deduct' (e.g. "
                         f"{{deduct: 10%, per: day, cap: 50%, grace_minutes: 15}})")
    unknown = set(value) - {"deduct", "per", "cap", "grace_minutes"}
    if unknown:
        raise UsageError(f"{where}: unknown key(s) in late: {', '.join(sorted(map(str, unknown)))}")
    amount, percent = _amount(value.get("deduct"), f"{where}: late.deduct")
    per = value.get("per", "day")
    if per not in UNITS:
        raise UsageError(f"{where}: late.per must be hour or day, not '{per}'")
    cap = None
    if value.get("cap") is not None:
        cap, cap_percent = _amount(value["cap"], f"{where}: late.cap")
        if cap_percent != percent:
            raise UsageError(f"{where}: late.cap must be in the same unit as late.deduct (both points or both %)")
    grace = value.get("grace_minutes", 0)
    if isinstance(grace, bool) or not isinstance(grace, int | float) or grace < 0:
        raise UsageError(f"{where}: late.grace_minutes must be a number of minutes, not '{grace}'")
    return LatePolicy("deduct", amount, percent, per, cap, float(grace))


def _amount(value, where: str) -> tuple[float, bool]:
    """`10%` (a percentage of the score) or `2` (points)."""
    found = _NUMBER.match(str(value)) if value is not None and not isinstance(value, bool) else None
    if not found or (found.group(2) and float(found.group(1)) > 100):
        raise UsageError(f"{where} must be points (e.g. 2) or a percentage up to 100% (e.g. 10%), not '{value}'")
    return float(found.group(1)), bool(found.group(2))
