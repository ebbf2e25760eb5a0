"""Chapter 2's widgets: the norm-spiral stepper, the Table 1 explorer, the modes sorter.

All their logic is in the JavaScript files; Python hands each one its data.
"""
from __future__ import annotations

import math

from ..datasets import load_dataset
from . import BookWidget, front_end


class NormSpiral(BookWidget):
    _esm = front_end("ch2_spiral", "chart")


class Table1Explorer(BookWidget):
    _esm = front_end("ch2_table1")


class ModesSorter(BookWidget):
    _esm = front_end("ch2_modes", "controls")


SPIRAL_PHASES = ["Repression", "Denial", "Tactical concessions", "Prescriptive status", "Rule-consistent behaviour"]

SPIRAL_STEPS = [
    {"title": "Repression", "years": "1992-1994", "phase": 0, "verdict": "passed through",
     "model": "A government breaks a norm while few outside it know or care. Once activists at home "
              "and abroad document the violations, the state becomes a target of pressure.",
     "russia": "Russia's first operations in its neighbourhood (Tajikistan, Moldova, Georgia) were "
               "improvised by local commanders under CIS mandates, with loose mandates and rules of "
               "engagement, and served Russian primacy more than UN ideas of impartiality and minimal force."},
    {"title": "Denial", "years": "1992-1995", "phase": 1, "verdict": "passed through, mostly in words",
     "model": "The government rejects criticism as meddling in its internal affairs. Answering the "
              "critics at all shows that the norm has started to bite.",
     "russia": "Moscow did not so much deny the new norms as sign up to them in words: it backed the UN's "
               "An Agenda for Peace (1992) and a wave of new UN missions, while its own practice in the "
               "CIS went its own way."},
    {"title": "Tactical concessions", "years": "1995-1999", "phase": 2, "verdict": "passed through",
     "model": "Under pressure, the government makes concessions it expects to control, such as letting "
              "monitors in. These open space for critics and start to entangle the state in the norm.",
     "russia": "Russia let an OSCE assistance group into Chechnya (1995) as a condition of joining the "
               "Council of Europe, accepted OSCE help with the Khasavyurt ceasefire (1996), worked beside "
               "UN observers in Tajikistan and Georgia, and served under NATO command in Bosnia and Kosovo."},
    {"title": "The turn", "years": "1996-2003", "phase": None, "verdict": "leaves the spiral",
     "model": "The model expects concessions to lock in: each step makes the next one harder to refuse.",
     "russia": "Instead the concessions backfired. Khasavyurt left Chechnya de facto independent and was "
               "felt as a surrender to the rebels and to the West; NATO's Kosovo war (1999) and a junior "
               "role under NATO command clashed with great-power status. The second Chechen war (from 1999) "
               "was fought on opposite principles, and in 2003 Russia pulled its troops out of the Balkans."},
    {"title": "Prescriptive status", "years": "2000-2011", "phase": 3, "verdict": "reached on paper only",
     "model": "The government accepts that the norm is valid: it ratifies treaties, writes the norm into "
              "law and speaks its language consistently, whatever it still does in practice.",
     "russia": "Some of the vocabulary, little of the substance. Russian units served in UN missions in "
               "Sierra Leone and Sudan, and Russia accepted a narrow reading of the Responsibility to "
               "Protect at the 2005 World Summit. But it read the colour revolutions as Western tools, and "
               "after abstaining on the Libya resolution in 2011 it condemned the NATO campaign that followed."},
    {"title": "Rule-consistent behaviour", "years": "never", "phase": 4, "verdict": "never reached",
     "model": "Behaviour follows the norm as a matter of habit, and the norm is taken for granted.",
     "russia": "Never reached. Russia followed a spiral of contestation instead: borrowing liberal words "
               "for its own ends (Georgia 2008, Crimea 2014), claiming its region has different rules, and "
               "finally promoting a model of its own, from Chechnya to Syria (2015) and Nagorno-Karabakh (2020)."},
]


def norm_spiral() -> NormSpiral:
    return NormSpiral(label="Step through the norm spiral and Russia's path", data={
        "phases": SPIRAL_PHASES,
        "steps": SPIRAL_STEPS,
        "status": ["reached", "reached", "reached", "partly", "not"],
        "turn_after": 2,
        "branch": "Spiral of contestation: counter-norms",
        # the review's U-5: Lewis says only that Russia at first seemed to follow the spiral
        "note": "Where Russia stands at each phase, and the dates, are this course's reading for you to test, "
                "not Lewis's, who says only that Russia at first seemed as if it might follow the spiral "
                "(Lewis 2022). Fitting CIS peacekeeping to the spiral's first phase, which is about a "
                "government repressing its own people, stretches the model.",
    })


TABLE1_PRINCIPLES = [
    {"key": "use_of_force", "label": "Use of force",
     "gloss": "Principle 1: force, or the threat of it, is part of managing a conflict; talks work when "
              "backed by coercion."},
    {"key": "hierarchical_negotiations", "label": "Hierarchical negotiations",
     "gloss": "Principle 2: talk to every armed actor whatever its ideology, but from strength; the "
              "mediator is an interested power that can impose terms, not a neutral third party."},
    {"key": "multipolar_diplomacy", "label": "'Multipolar' diplomacy",
     "gloss": "Principle 3: states, above all regional powers, are the actors that matter, not "
              "international organisations or civil society."},
    {"key": "competition_with_west", "label": "Competition with the West",
     "gloss": "Principle 4: Western involvement is part of the problem, to be limited and kept out."},
]


def _json_value(value):
    """Values as JSON can carry them (pandas gives NaN for an empty cell)."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def table1_explorer() -> Table1Explorer:
    table = load_dataset("ch2_table1")
    rows = [{k: _json_value(v) for k, v in record.items()} for record in table.to_dict(orient="records")]
    return Table1Explorer(label="Explore Table 1 of Lewis (2022) by principle and by conflict",
                          data={"rows": rows, "principles": TABLE1_PRINCIPLES})


MODES = [
    {"name": "Liberal mimicry",
     "gloss": "borrowing the words of liberal norms and bending their meaning to one's own ends."},
    {"name": "Civilisational claims",
     "gloss": "arguing that universal norms do not automatically hold in one's own region or civilisation."},
    {"name": "Counter-norm entrepreneurship",
     "gloss": "promoting an alternative set of norms, and a model of practice, as better than the liberal one."},
]

MODE_EXAMPLES = [
    {"text": "Justifying the annexation of Crimea (2014) with a blend of protecting Russian citizens abroad "
             "and a local right to self-determination.",
     "mode": "Liberal mimicry",
     "why": "Two liberal ideas are borrowed and stretched; the effect is to make them look like mere scripts."},
    {"text": "Holding that societies across the post-Soviet space put order, stability and authority "
             "above individual freedoms, so Western peace templates do not fit them.",
     "mode": "Civilisational claims",
     "why": "The claim is cultural: the region has its own shared norms about conflict and peace."},
    {"text": "Presenting the second Chechen campaign, with its amnesties, proxies and no outside mediators, "
             "as a morally worthy fight that Europe should thank Russia for.",
     "mode": "Counter-norm entrepreneurship",
     "why": "Russia no longer only rejects liberal norms; it gives its own way a positive moral value."},
    {"text": "Claiming that, as the leading power of the CIS, Russia has special rights and duties to "
             "keep order among its neighbours.",
     "mode": "Civilisational claims",
     "why": "A regional claim about a great power's role, disputed above all by the neighbours themselves."},
    {"text": "Sending troops into South Ossetia (2008) in the name of a responsibility to protect, meaning "
             "the protection of Russian passport-holders.",
     "mode": "Liberal mimicry",
     "why": "The Responsibility to Protect is about a population at risk of atrocities, not a state's own "
            "nationals abroad; the term is used with a new meaning."},
    {"text": "Telling the Valdai club (2019) that the Syrian settlement could serve as a model for other "
             "regional crises, even the Korean peninsula.",
     "mode": "Counter-norm entrepreneurship",
     "why": "A model of one's own is offered for export: the mark of a norm entrepreneur."},
]


def modes_sorter() -> ModesSorter:
    return ModesSorter(label="Sort examples into the three modes of contestation",
                       data={"modes": MODES, "examples": MODE_EXAMPLES})
