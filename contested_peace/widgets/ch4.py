"""Chapter 4's widgets: Richardson's arms-race simulator and the commitment sorter."""
from __future__ import annotations

from ..datasets import load_dataset
from . import BookWidget, front_end


class ArmsRaceSimulator(BookWidget):
    _esm = front_end("ch4_arms_race", "controls", "chart")


class CommitmentSorter(BookWidget):
    _esm = front_end("ch4_commitment_sorter", "controls")


def _slider(key: str, label: str, low: float, high: float, step: float, value: float) -> dict:
    return {"key": key, "label": label, "min": low, "max": high, "step": step, "value": value}


def arms_race_simulator() -> ArmsRaceSimulator:
    return ArmsRaceSimulator(label="Arms-race simulator (Richardson's model)", data={
        "years": 40,
        "dt": 0.1,
        "params": [
            _slider("a", "A's reaction to B's arms (a)", 0, 1, 0.05, 0.3),
            _slider("b", "B's reaction to A's arms (b)", 0, 1, 0.05, 0.3),
            _slider("m", "A's restraint, or cost of arming (m)", 0, 1, 0.05, 0.5),
            _slider("n", "B's restraint, or cost of arming (n)", 0, 1, 0.05, 0.5),
            _slider("g", "A's grievance (g)", 0, 5, 0.5, 2),
            _slider("h", "B's grievance (h)", 0, 5, 0.5, 2),
            _slider("x0", "A's arms at the start", 0, 30, 1, 0),
            _slider("y0", "B's arms at the start", 0, 30, 1, 0),
        ],
        "presets": [
            {"name": "Mutual restraint (the chapter's worked example)",
             "values": {"a": 0.3, "b": 0.3, "m": 0.5, "n": 0.5, "g": 2, "h": 2, "x0": 0, "y0": 0}},
            {"name": "A spiral: both react more than they restrain",
             "values": {"a": 0.6, "b": 0.5, "m": 0.4, "n": 0.5, "g": 1, "h": 1, "x0": 0, "y0": 0}},
            {"name": "A nervous state facing a calm one",
             "values": {"a": 0.8, "b": 0.1, "m": 0.4, "n": 0.6, "g": 2, "h": 0.5, "x0": 0, "y0": 0}},
            {"name": "Big arsenals, no grievances, strong restraint",
             "values": {"a": 0.2, "b": 0.2, "m": 0.6, "n": 0.6, "g": 0, "h": 0, "x0": 25, "y0": 15}},
            {"name": "Knife-edge: restraint exactly equals reaction",
             "values": {"a": 0.4, "b": 0.4, "m": 0.4, "n": 0.4, "g": 1, "h": 1, "x0": 0, "y0": 0}},
        ],
    })


# Feedback for each document: why its kind is right, and a hint for a wrong choice.
_FEEDBACK = {
    "Guarantee to Poland": (
        "Two great powers promised, one way, to back a smaller state: the textbook guarantee.",
        "Who promised what to whom? Poland gave nothing in return; two outside powers undertook to back it."),
    "Anglo-Polish Agreement": (
        "Britain and Poland each promised the other all the help in its power if attacked: a mutual promise, and a treaty.",
        "Compare it with the guarantee of March 1939: who promises here, and does Poland now promise something too?"),
    "UN Charter Art. 2(4)": (
        "It is a promise to hold back from force, binding on every member, with no promise to defend anyone.",
        "Does the article promise that anyone will come to a victim's aid, or only that members will not attack?"),
    "NATO Art. 5": (
        "Every member promises every other that an attack on one counts as an attack on all.",
        "The promise runs in every direction among the members, not from a protector to a protégé."),
    "Cyprus Treaty of Guarantee": (
        "Three outside powers undertook to uphold the new state's independence: a guarantee in its very name.",
        "Look at the title, and at who undertook what: outside powers promised to uphold Cyprus."),
    "Charter of Paris": (
        "A summit's statement of shared principles and hopes, signed as a political, not a legal, text.",
        "Is it a treaty with obligations, or a statement of principles that leaders signed at a summit?"),
    "CSTO Art. 4": (
        "Like NATO's Article 5, aggression against one member counts as aggression against all.",
        "Compare its wording with NATO's Article 5: the promise is mutual among the members."),
    "Budapest Memorandum": (
        "Three powers reaffirmed that they would not attack Ukraine and would go to the Security Council, without promising to fight for it.",
        "Did the three powers promise to defend Ukraine, or to respect it and take the matter to the UN?"),
    "Founding Act": (
        "A statement of good intentions and consultation between NATO and Russia, deliberately not a treaty.",
        "Nobody promised to defend anybody, and it was not a treaty: what is left?"),
    "Istanbul Charter": (
        "An OSCE summit's statement of principles, politically binding only.",
        "It sets out principles agreed at a summit; does anyone promise to defend or to refrain, with legal force?"),
    "Bucharest Declaration": (
        "A summit communiqué announcing an intention, with no date, plan or obligation attached.",
        "A summit statement about future membership: does it commit anyone to defend Ukraine or Georgia now?"),
}

COMMITMENT_KINDS = [
    {"name": "guarantee",
     "gloss": "One or more outside powers promise to defend or uphold another state; the promise runs one way."},
    {"name": "collective-defence clause",
     "gloss": "Allies promise each other that an attack on one counts as an attack on all; the promise is mutual."},
    {"name": "assurance",
     "gloss": "A promise not to use force against a state, or to take limited steps for it (such as going to the UN), without a promise to fight for it."},
    {"name": "political declaration",
     "gloss": "A statement of shared principles and intentions, signed by leaders but not legally binding."},
]


def commitment_sorter() -> CommitmentSorter:
    commitments = load_dataset("ch4_commitments")
    documents = []
    for row in commitments.itertuples():
        why, hint = _FEEDBACK[row.short_name]
        documents.append({"name": row.short_name, "year": int(row.year), "promised": row.promised,
                          "kind": row.kind, "why": why, "hint": hint})
    return CommitmentSorter(label="Sort security commitments by kind", data={"kinds": COMMITMENT_KINDS, "documents": documents})
