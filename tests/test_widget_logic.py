"""The widgets' reasoning, run in Node.js on the very modules the book ships: what a reader
would see the arms race, the bargaining range, the power shift and the sorters conclude."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import require_command

from contested_peace.widgets.ch2 import ModesSorter
from contested_peace.widgets.ch4 import ArmsRaceSimulator, CommitmentSorter
from contested_peace.widgets.ch5 import BargainingRange, PowerShift

TOOL = Path(__file__).parent / "tools" / "widget_logic.js"
WORKED_EXAMPLE = {"a": 0.3, "b": 0.3, "m": 0.5, "n": 0.5, "g": 2, "h": 2, "x0": 0, "y0": 0}   # chapter 4's


def run(widget, *calls: tuple) -> list:
    node = require_command("node", "Node.js (node), which runs the widgets' logic")
    ran = subprocess.run([node, str(TOOL)], capture_output=True, text=True, timeout=60, input=json.dumps(
        {"module": widget._esm, "calls": [{"fn": fn, "args": list(args)} for fn, *args in calls]}))
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)


def test_the_arms_race_settles_where_the_chapter_says_or_spirals():
    # the chapter's worked example: x* = (a h + n g) / (m n - a b) = 1.6 / 0.16 = 10
    settled, series, spiral, borderline = run(
        ArmsRaceSimulator, ("equilibrium", WORKED_EXAMPLE), ("simulate", WORKED_EXAMPLE, 40, 1),
        ("equilibrium", {**WORKED_EXAMPLE, "a": 0.6, "b": 0.5}), ("equilibrium", {**WORKED_EXAMPLE, "a": 0.5, "b": 0.5}))
    assert settled["kind"] == "stable" and settled["x"] == pytest.approx(10) and settled["y"] == pytest.approx(10)
    # whole-year steps give the chapter's table (2, 3.6, 4.88) and approach the equilibrium
    assert [round(r["x"], 2) for r in series[1:4]] == [2, 3.6, 4.88]
    assert series[-1]["x"] == pytest.approx(10, abs=0.01)
    assert spiral["kind"] == "spiral" and borderline["kind"] == "borderline"


def test_the_chart_axis_ends_at_a_round_number():
    assert run(ArmsRaceSimulator, ("niceMax", 7.3), ("niceMax", 0), ("niceMax", 180), ("niceMax", 10)) == [10, 1, 200, 10]


def test_the_bargaining_range_and_who_rejects_a_deal():
    state = {"p": 0.6, "cA": 0.1, "cB": 0.15}
    bounds, fair, greedy, stingy, costly = run(
        BargainingRange, ("bargainingRange", state), ("rejectedBy", {**state, "x": 0.6}), ("rejectedBy", {**state, "x": 0.8}),
        ("rejectedBy", {**state, "x": 0.45}), ("bargainingRange", {"p": 0.9, "cA": 0.1, "cB": 0.3}))
    assert bounds["low"] == pytest.approx(0.5) and bounds["high"] == pytest.approx(0.75)
    assert (fair, greedy, stingy) == (None, "B", "A")        # too much for A: B would rather fight
    assert costly["high"] == 1                                 # cut at the end of the line


def test_a_shift_in_power_breaks_a_deal_in_the_year_it_leaves_the_range():
    deal = {"p0": 0.4, "shift": 0.04, "cA": 0.1, "cB": 0.1, "k": 0}
    (middle,) = run(PowerShift, ("middleDeal", deal))
    assert middle == pytest.approx(0.4)
    deal["x"] = middle
    # A's chance grows by 0.04 a year; the deal of 0.4 fails once p - cA > 0.4, that is p > 0.5
    # (year 3); with the extra cost k = 0.1 of breaking it, once p > 0.6 (year 6, not 5, where p = 0.6)
    first, steady, anchored, why = run(PowerShift, ("firstBreak", deal, 10), ("firstBreak", {**deal, "shift": 0}, 10),
                                       ("firstBreak", {**deal, "k": 0.1}, 10), ("dealBreak", deal, 3))
    assert (first, steady, anchored) == (3, -1, 6)
    assert why["who"] == "A" and why["war"] == pytest.approx(0.42) and why["gets"] == pytest.approx(0.4)


@pytest.mark.parametrize("widget", [ModesSorter, CommitmentSorter])
def test_both_sorters_judge_a_sorting_the_same_way(widget):
    (outcome,) = run(widget, ("judgeSorting", ["guarantee", "", "assurance"], ["guarantee", "assurance", "declaration"]))
    assert outcome == {"marks": ["right", "blank", "wrong"], "right": 1, "blank": 1, "total": 3}
