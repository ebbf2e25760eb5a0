"""The widgets' reasoning, run in Node.js on the very modules the book ships, with the data
the book gives them: what a reader would see each widget conclude for a given setting."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helpers import require_command

from contested_peace.widgets.ch1 import (
    STRESS_VERDICTS,
    InstrumentMatrix,
    MandateStressTest,
    MissionsExplorer,
    instrument_matrix,
    mandate_stress_test,
    missions_explorer,
)
from contested_peace.widgets.ch2 import ModesSorter, NormSpiral, Table1Explorer, norm_spiral, table1_explorer
from contested_peace.widgets.ch3 import (
    CstoMembership,
    SovereigntySpectrum,
    UprisingsTimeline,
    csto_membership,
    sovereignty_spectrum,
    uprisings_timeline,
)
from contested_peace.widgets.ch4 import ArmsRaceSimulator, CommitmentSorter
from contested_peace.widgets.ch5 import BargainingRange, EqualSecurity, PowerShift, equal_security
from contested_peace.widgets.synthesis import ReadingsCompared, readings_compared

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


@pytest.mark.parametrize("widget", [ModesSorter, CommitmentSorter])
def test_feedback_says_in_a_symbol_what_its_colour_says(widget):
    tones = run(widget, ("feedbackTone", 1), ("feedbackTone", 0.25), ("feedbackTone", 0))
    assert tones == [{"tone": "cp-correct", "symbol": "✔"}, {"tone": "cp-partial", "symbol": "◐"},
                     {"tone": "cp-wrong", "symbol": "✘"}]


def test_the_sorters_sum_up_a_sorting_and_say_what_a_wrong_kind_is_not():
    all_right, partly = run(ModesSorter, ("modesSummary", {"right": 6, "blank": 0, "total": 6}),
                            ("modesSummary", {"right": 2, "blank": 3, "total": 6}))
    assert all_right == "All 6 sorted correctly." and partly == "2 of 6 sorted correctly; 3 not sorted yet."
    done, none_blank, hint = run(CommitmentSorter, ("commitmentSummary", {"right": 5, "blank": 0, "total": 5}),
                                 ("commitmentSummary", {"right": 1, "blank": 0, "total": 5}),
                                 ("wrongKind", "assurance", "Who promised to act?"))
    assert done == "All 5 documents are sorted correctly."
    assert none_blank.startswith("1 of 5 right.") and "not sorted yet" not in none_blank
    assert hint == "Not an assurance. Who promised to act?"


# ---------------------------------------------------------------- chapter 1

def test_each_example_scenario_lands_in_its_instrument_once_both_questions_are_answered():
    data = instrument_matrix().data
    placed = run(InstrumentMatrix, *(("placeScenario", data, s["military"], s["consent"]) for s in data["scenarios"]),
                 ("placeScenario", data, True, None))
    assert [p["result"] for p in placed[:4]] == ["Instrument: Peacekeeping", "Instrument: Peace enforcement",
                                                 "Instrument: Peacemaking or peacebuilding", "Instrument: Sanctions and diplomatic pressure"]
    assert placed[1]["key"] == "true,false" and placed[1]["gloss"].startswith("Force authorised under Chapter VII")
    assert placed[4] == {"key": None, "result": "Answer both questions to place the scenario.", "gloss": ""}


def test_the_stress_test_adds_up_each_example_mandate_to_the_chapters_verdict():
    data = mandate_stress_test().data
    presets = {p["name"].split(" ")[0]: p["tasks"] for p in data["presets"]}
    observer, multidimensional, stabilization, nothing = run(MandateStressTest, *(
        ("mandateStrain", data, tasks) for tasks in (presets["Observer"], presets["Multidimensional"], presets["Stabilization"], [])))
    assert observer["status"] == "2 tasks: Consent holds (0); Impartiality holds (0); Non-use of force holds (0)."
    assert observer["verdict"] == STRESS_VERDICTS[0]
    # mediation strains nothing, but the reason it bears on impartiality is listed
    assert observer["principles"][1]["reasons"][0].startswith("±0 Mediate local ceasefires")
    assert [p["points"] for p in multidimensional["principles"]] == [2, 2, 1] and multidimensional["verdict"] == STRESS_VERDICTS[1]
    # MONUSCO's tasks: consent 1+1+1+1+2, impartiality 0+0+2+2+3, force 1+0+1+2+3
    assert stabilization["status"] == "5 tasks: Consent broken (6); Impartiality broken (7); Non-use of force broken (7)."
    assert stabilization["verdict"] == STRESS_VERDICTS[3]
    assert nothing["status"].startswith("Tick some tasks") and nothing["verdict"] == ""


def test_the_missions_explorer_filters_sorts_and_counts_the_data_set():
    data = missions_explorer().data
    rows = data["rows"]
    protection = sum(r["poc_mandate"] for r in rows)
    observers = [r for r in rows if r["kind"] == "observer"]
    poc, by_length, observer, summary, none = run(
        MissionsExplorer, ("missionsShown", data, {"flags": {"poc_mandate": "yes"}}), ("missionsShown", data, {"sort": "length"}),
        ("missionsShown", data, {"kind": "observer", "sort": "name"}),
        ("missionsSummary", data, [r for r in rows if r["kind"] == "observer"]), ("missionsSummary", data, []))
    assert len(poc) == protection and all(r["poc_mandate"] for r in poc)
    years = [(r["end_year"] or data["last_year"]) - r["start_year"] for r in by_length]
    assert years == sorted(years, reverse=True) and len(by_length) == len(rows)
    assert [r["name"] for r in observer] == sorted(r["name"] for r in observers)
    assert summary["status"] == f"Showing {len(observers)} of {len(rows)} operations."
    ongoing = sum(r["end_year"] is None for r in observers)
    assert summary["counts"].startswith(f"By kind: observer {len(observers)}.") and summary["counts"].endswith(f"Still deployed in 2025: {ongoing}.")
    assert none["counts"] == "No operation matches these filters."


# ---------------------------------------------------------------- chapter 2

def test_the_spiral_marks_russias_path_and_hides_it_until_asked():
    data = norm_spiral().data
    turn = next(i for i, s in enumerate(data["steps"]) if s["phase"] is None)
    first, at_turn, after, hidden = run(NormSpiral, ("spiralView", data, 0, True), ("spiralView", data, turn, True),
                                        ("spiralView", data, turn + 1, True), ("spiralView", data, turn + 1, False))
    assert first["status"] == "Step 1 of 6: Repression (1992-1994). Phase 1 of 5. Russia: passed through."
    assert first["marks"] == ["✔ passed through"] * 3 + ["◐ on paper only", "✘ never reached"]
    assert not first["branchShown"] and at_turn["branchShown"] and after["branchShown"]
    assert at_turn["phase"] is None and "The turn (not a phase of the model)" in at_turn["status"]
    # hidden: the reader predicts first, so nothing of Russia's path shows
    assert hidden["marks"] == ["?"] * 5 and not hidden["branchShown"] and "Russia" not in hidden["status"]
    assert hidden["russia"].startswith("Hidden.")


def test_table_1_filters_the_conflicts_by_force_diplomacy_and_region():
    rows = table1_explorer().data["rows"]
    names = lambda shown: [r["conflict"] for r in shown]   # noqa: E731
    official, contractors, none, limited_africa, status, same = run(
        Table1Explorer, ("conflictsShown", rows, {"force": "official"}), ("conflictsShown", rows, {"force": "contractors"}),
        ("conflictsShown", rows, {"force": "none"}), ("conflictsShown", rows, {"diplo": "limited", "region": "Sub-Saharan Africa"}),
        ("table1Status", rows, rows[:2], "Syria", "Mali"), ("table1Status", rows, [], "Syria", "Syria"))
    assert names(official) == ["Syria", "Nagorno-Karabakh"]
    assert names(contractors) == ["Libya", "Central African Republic", "Mali"]
    assert names(none) == ["Afghanistan"] and names(limited_africa) == ["Central African Republic", "Mali"]
    assert status == "Showing 2 of 6 conflicts: Syria, Libya. Comparing Syria with Mali below."
    assert same == "Showing 0 of 6 conflicts."
    assert run(Table1Explorer, ("forcesIn", rows[0]), ("forcesIn", rows[4])) == ["official troops + private contractors", "no Russian forces"]


# ---------------------------------------------------------------- chapter 3

def test_the_csto_membership_counts_frozen_members_and_names_the_suspended():
    data = csto_membership().data
    founding, joined, renewed, returned, now, quiet = run(CstoMembership, *(("membershipIn", data, year) for year in (1992, 1993, 1999, 2006, 2024, 2013)))
    assert founding["status"] == "1992: 6 parties to the Collective Security Treaty."
    assert joined["status"] == "1993: 9 parties to the Collective Security Treaty."
    assert renewed["status"] == "1999: 6 parties to the Collective Security Treaty."
    assert returned["status"] == "2006: 7 members of the Collective Security Treaty Organization."
    assert now["status"] == ("2024: 6 members of the Collective Security Treaty Organization. "
                             "Armenia: still a member, participation frozen. Uzbekistan: membership suspended.")
    assert now["milestone"].startswith("Milestone: Armenia says") and quiet["milestone"] == "No milestone recorded for this year."
    assert {s["name"]: s["status"] for s in now["statuses"]}["Georgia"] == "left"


def test_the_spectrum_says_how_far_a_placement_is_from_the_courses():
    cases = sovereignty_spectrum().data["cases"]   # Czechoslovakia 1968 at 10, Georgia 2004 at 3, Belarus 2022 at 9
    same, near, far, summary, nothing = run(
        SovereigntySpectrum, ("placementFeedback", cases[0], 10), ("placementFeedback", cases[0], 7.5),
        ("placementFeedback", cases[5], 2), ("placementSummary", cases, {"0": 10, "1": 5}), ("placementSummary", cases, {}))
    assert same["tone"] == "cp-correct" and same["text"].startswith("✔ Czechoslovakia, late 1968: you chose 10, the course chose 10: close")
    assert near["tone"] == "cp-partial" and "◐" in near["text"] and "nearer the Westphalian end" in near["text"]
    assert far["tone"] == "cp-wrong" and far["text"].startswith("✘ Belarus, 2022: you chose 2")
    assert summary == "You have placed 2 of 9 cases; average distance from the course: 1.0 points." and nothing == ""


def test_the_timeline_filters_by_response_and_never_stacks_two_markers():
    data = uprisings_timeline().data
    events = data["events"]
    lanes, main, either, kyrgyzstan = run(
        UprisingsTimeline, ("timelineLanes", events), ("timelineStatus", data, {"response": "military force"}),
        ("timelineStatus", data, {"response": "military force", "secondary": True}), ("timelineStatus", data, {"country": "Kyrgyzstan"}))
    when = [e["year"] + (e["month"] - 1) / 12 for e in events]
    for i in range(len(events)):   # a marker with its label is about three years wide on the axis
        for j in range(i):
            assert lanes[i] != lanes[j] or abs(when[i] - when[j]) > 2.9, (events[i]["event"], events[j]["event"])
    assert max(lanes) <= 3
    assert main == "1 of 11 events match ✖ military force (main response only)."
    assert either == "2 of 11 events match ✖ military force (main or secondary response)."
    assert kyrgyzstan == "3 of 11 events match any response in Kyrgyzstan."


# ---------------------------------------------------------------- chapter 5

def test_equal_security_fails_for_someone_whatever_coalition_forms():
    data = equal_security().data
    combinations = [[i for i in range(4) if mask >> i & 1] for mask in range(16)]
    outcomes = run(EqualSecurity, *(("equalSecurity", data, joined) for joined in combinations))
    # the chapter's point: no coalition balances every state at once
    assert all(o["result"].startswith("✘ Equal security fails") for o in outcomes)
    alone, everyone = outcomes[0], outcomes[15]
    assert alone["result"] == ("✘ Equal security fails: Eastland (neighbour), Northland (neighbour), "
                               "Southland (neighbour), Farland (distant ally) are outmatched.")
    assert alone["rows"][0]["threat"] == 80 and alone["rows"][0]["against"] == "its strongest neighbour"
    assert everyone["result"] == "✘ Equal security fails: Bigland is outmatched."
    assert everyone["detail"].startswith("The coalition (130) outweighs Bigland (100)")
    assert [r["ratio"] for r in everyone["rows"]] == [pytest.approx(100 / 130)] + [pytest.approx(1.3)] * 4


# ---------------------------------------------------------------- the synthesis

def test_the_synthesis_sets_readings_side_by_side_by_theme_or_by_pair():
    data = readings_compared().data
    theme, pair, twice = run(ReadingsCompared, ("themeView", data, "force"), ("pairView", data, "peter2024", "ponars2023"),
                             ("pairView", data, "lewis2022", "lewis2022"))
    force = next(t for t in data["themes"] if t["id"] == "force")
    assert theme["status"] == "Theme: Use of force. All 5 readings shown." and theme["caption"] == force["question"]
    assert [row[1] for row in theme["rows"]] == [force["positions"][r["key"]] for r in data["readings"]]
    assert pair["status"].startswith("Comparing ") and pair["status"].endswith(" on 5 themes.")
    assert pair["rows"][2] == ["Use of force", force["positions"]["peter2024"], force["positions"]["ponars2023"]]
    assert twice["status"].endswith("twice; choose two different readings to compare.")
