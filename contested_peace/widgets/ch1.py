"""Chapter 1's widgets: the instruments 2x2, the mandate stress test, the missions explorer."""
from __future__ import annotations

from . import BookWidget, front_end


class InstrumentMatrix(BookWidget):
    _esm = front_end("instrument_matrix")


def instrument_matrix() -> InstrumentMatrix:
    return InstrumentMatrix(label="Classify a scenario among the UN's four instruments", data={
        "instruments": {
            "true,true": {"name": "Peacekeeping",
                          "gloss": "Troops or police deployed with the consent of the main parties, impartial, using force only in self-defence and defence of the mandate."},
            "true,false": {"name": "Peace enforcement",
                           "gloss": "Force authorised under Chapter VII of the Charter without the consent of the main parties, to restore peace and security."},
            "false,true": {"name": "Peacemaking or peacebuilding",
                           "gloss": "Civilian diplomacy, mediation and institution-building that work with the parties' agreement, before or after a settlement."},
            "false,false": {"name": "Sanctions and diplomatic pressure",
                            "gloss": "Without consent and without troops the Council's tools are coercive but non-military: sanctions, embargoes, referrals, condemnation."},
        },
        "scenarios": [
            {"text": "Observers monitor a ceasefire both governments asked for", "military": True, "consent": True},
            {"text": "A coalition is authorised to use force against an invading army", "military": True, "consent": False},
            {"text": "An envoy mediates talks between a government and rebels", "military": False, "consent": True},
            {"text": "An arms embargo is imposed on a government that rejects the Council", "military": False, "consent": False},
        ],
    })


# --- The mandate stress test -------------------------------------------------------------
# Each mandated task adds strain points (0-3) to each of the three principles, with the
# reason.  The scores are a teaching device, not a measurement: they encode the argument
# of the chapter (Peter 2024) so readers can see where it bites.  The page prints them.

MANDATE_PRINCIPLES = [
    {"id": "consent", "name": "Consent"},
    {"id": "impartiality", "name": "Impartiality"},
    {"id": "force", "name": "Non-use of force"},
]

STRESS_TASKS = [
    {"id": "monitor", "label": "Monitor a ceasefire or a buffer zone",
     "strain": {"consent": 0, "impartiality": 0, "force": 0},
     "why": {}},
    {"id": "mediate", "label": "Mediate local ceasefires and talks between armed groups",
     "strain": {"consent": 0, "impartiality": 0, "force": 0},
     "why": {"impartiality": "Only works while every side trusts the mission as an honest broker."}},
    {"id": "elections", "label": "Support elections",
     "strain": {"consent": 0, "impartiality": 1, "force": 0},
     "why": {"impartiality": "The losing side may read the mission's help as help for the winner."}},
    {"id": "ddr", "label": "Disarm and demobilise combatants who volunteer (DDR)",
     "strain": {"consent": 1, "impartiality": 0, "force": 0},
     "why": {"consent": "Depends on armed groups cooperating; one that walks away has withdrawn its consent."}},
    {"id": "institutions", "label": "Rebuild courts, police and other state institutions",
     "strain": {"consent": 0, "impartiality": 1, "force": 0},
     "why": {"impartiality": "Building up the state ties the mission to the government's side of the story."}},
    {"id": "humanitarian", "label": "Secure the delivery of humanitarian aid",
     "strain": {"consent": 0, "impartiality": 0, "force": 1},
     "why": {"force": "Escorting convoys through hostile ground may call for force beyond strict self-defence."}},
    {"id": "rights", "label": "Monitor and report human rights abuses, including by state forces",
     "strain": {"consent": 1, "impartiality": 0, "force": 0},
     "why": {"consent": "Governments implicated in abuses start refusing access to sites and turn on the mission."}},
    {"id": "poc", "label": "Protect civilians under imminent threat, whoever threatens them",
     "strain": {"consent": 1, "impartiality": 0, "force": 1},
     "why": {"consent": "May mean shielding civilians from the host government's own forces.",
             "impartiality": "Even-handed: a threat is judged by what it does, not by who poses it.",
             "force": "Allows force beyond self-defence, but defensively and within the mission's means."}},
    {"id": "administer", "label": "Govern the territory as a transitional administration",
     "strain": {"consent": 1, "impartiality": 1, "force": 0},
     "why": {"consent": "Governing in place of local leaders needs their continued acceptance.",
             "impartiality": "Each administrative decision favours one community or another."}},
    {"id": "state_authority", "label": "Extend state authority into contested areas",
     "strain": {"consent": 1, "impartiality": 2, "force": 1},
     "why": {"consent": "The armed groups that hold those areas never agreed to the state's return.",
             "impartiality": "The mission helps one party, the government, gain ground.",
             "force": "Moving into contested areas invites armed clashes."}},
    {"id": "joint_ops", "label": "Support host-state forces in joint military operations",
     "strain": {"consent": 1, "impartiality": 2, "force": 2},
     "why": {"consent": "Only the host consents; the other parties become targets.",
             "impartiality": "Fighting beside one party makes the UN its ally.",
             "force": "Offensive operations go well beyond self-defence."}},
    {"id": "counterterror", "label": "Act against groups listed as terrorists",
     "strain": {"consent": 2, "impartiality": 2, "force": 2},
     "why": {"consent": "Listed groups are ruled out as parties to talk to, so their consent is never sought.",
             "impartiality": "The mission adopts the government's label for its enemies.",
             "force": "Counter-terrorism is fought, not deterred."}},
    {"id": "neutralise", "label": "Neutralise named armed groups in offensive operations",
     "strain": {"consent": 2, "impartiality": 3, "force": 3},
     "why": {"consent": "Named groups leave the talks (M23 walked out of the Kampala talks in 2013).",
             "impartiality": "Naming enemies ends even-handedness: the UN becomes one of the combatants.",
             "force": "Offensive force is peace enforcement, not defence of the mandate."}},
]

STRESS_LEVELS = [
    {"min": 0, "word": "Holds", "symbol": "✔"},
    {"min": 1, "word": "Under pressure", "symbol": "◐"},
    {"min": 3, "word": "Strained", "symbol": "▲"},
    {"min": 5, "word": "Broken", "symbol": "✘"},
]

STRESS_VERDICTS = [
    "Classic peacekeeping: all three principles hold. This is the 'Chapter Six and a Half' zone.",
    "Multidimensional peacekeeping: the principles are stretched but still hold.",
    "Robust peacekeeping at the edge: at least one principle is strained; expect push-back from the host or from armed groups.",
    "Peace enforcement in all but name: the mission has become a party to the conflict.",
]

STRESS_PRESETS = [
    {"name": "Observer mission (classic, illustrative)", "tasks": ["monitor", "mediate"]},
    {"name": "Multidimensional mission after a peace deal (illustrative)",
     "tasks": ["monitor", "elections", "ddr", "institutions", "poc"]},
    {"name": "Protection mission, like UNMISS after 2013 (illustrative)",
     "tasks": ["poc", "rights", "humanitarian"]},
    {"name": "Stabilization mission, like MONUSCO with its intervention brigade (illustrative)",
     "tasks": ["poc", "rights", "state_authority", "joint_ops", "neutralise"]},
]


class MandateStressTest(BookWidget):
    _esm = front_end("ch1_mandate_stress")


def mandate_stress_test() -> MandateStressTest:
    return MandateStressTest(label="Mandate stress test: which peacekeeping principles does a mandate strain?", data={
        "principles": MANDATE_PRINCIPLES, "tasks": STRESS_TASKS, "levels": STRESS_LEVELS,
        "verdicts": STRESS_VERDICTS, "presets": STRESS_PRESETS,
    })


def stress_rules_table():
    """The scoring rules of the stress test as a table, so the page can show them."""
    import pandas as pd

    rows = [{"mandated task": t["label"], **{p["name"]: t["strain"][p["id"]] for p in MANDATE_PRINCIPLES}}
            for t in STRESS_TASKS]
    return pd.DataFrame(rows).set_index("mandated task")


# --- The missions explorer ---------------------------------------------------------------

class MissionsExplorer(BookWidget):
    _esm = front_end("ch1_missions_explorer", "chart")


def missions_explorer() -> MissionsExplorer:
    from ..datasets import load_dataset

    frame = load_dataset("un_missions")
    rows = []
    for record in frame.to_dict("records"):
        row = {}
        for key, value in record.items():
            if isinstance(value, float) and value != value:   # NaN: an ongoing operation
                value = None
            elif hasattr(value, "item"):                       # numpy scalar -> plain Python
                value = value.item()
            if key.endswith("_year") and value is not None:
                value = int(value)
            row[key] = value
        rows.append(row)
    return MissionsExplorer(label="Explore the UN operations data set", data={
        "rows": rows,
        "kinds": sorted(frame["kind"].unique().tolist()),
        "flags": [
            {"id": "chapter_vii", "label": "Chapter VII mandate", "short": "Ch. VII"},
            {"id": "poc_mandate", "label": "Protection-of-civilians mandate", "short": "PoC"},
            {"id": "stabilization_mandate", "label": "Stabilization mandate", "short": "Stabilization"},
            {"id": "discussed_in_reading", "label": "Discussed in the reading", "short": "In reading"},
        ],
        "first_year": int(frame["start_year"].min()),
        "last_year": 2025,
    })
