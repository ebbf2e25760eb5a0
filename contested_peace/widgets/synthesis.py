"""The synthesis page's widget: the five readings compared on five themes.

The positions are the course's own one-line summaries (the synthesis page gives the
citations); they are kept here, as data, so the page's table and the widget agree.
"""
from __future__ import annotations

from . import BookWidget, front_end

READINGS = [
    {"key": "peter2024", "label": "Peter 2024", "chapter": "ch1"},
    {"key": "lewis2022", "label": "Lewis 2022", "chapter": "ch2"},
    {"key": "geocase2022", "label": "GeoCase 2022", "chapter": "ch3"},
    {"key": "freedman2022", "label": "Freedman 2022", "chapter": "ch4"},
    {"key": "ponars2023", "label": "PONARS Eurasia 2023", "chapter": "ch5"},
]

THEMES = [
    {"id": "order", "name": "Order against justice",
     "question": "Which comes first when peace is made: stability or a just settlement?",
     "positions": {
         "peter2024": "Protecting people is now a widely shared norm; the risk is that the tools meant to serve it lose the impartiality that gives them authority.",
         "lewis2022": "Russia's model ranks order above justice and settles for managing conflicts rather than resolving their causes.",
         "geocase2022": "Moscow props up conservative, authoritarian governments in its neighbourhood for the sake of stability and influence.",
         "freedman2022": "Paper promises of peace were made and ignored; normal relations need Russia to face what it did, from reparations to trials.",
         "ponars2023": "A durable peace needs shared principles of fairness as anchors; without them an imperfect peace merely records the front line.",
     }},
    {"id": "sovereignty", "name": "Sovereignty",
     "question": "Whose sovereignty counts, and how far?",
     "positions": {
         "peter2024": "Post-Cold War instruments weigh individual rights against state sovereignty; stabilization mandates tilted them towards host governments.",
         "lewis2022": "Sovereignty and strong states come first, including a government's right to crush insurgents; Russia also claims a great-power role in its region.",
         "geocase2022": "Neighbours get 'limited sovereignty': little room in foreign policy, and intervention when Moscow sees its security at stake.",
         "freedman2022": "Dictators cling to non-interference because what they fear most is a threat to their own position at home.",
         "ponars2023": "Russia calls itself 'truly sovereign' while making respect for its neighbours' borders depend on their domestic politics.",
     }},
    {"id": "force", "name": "Use of force",
     "question": "When, and by whom, may force be used to make or keep peace?",
     "positions": {
         "peter2024": "Force to protect civilians has been pooled in UN peacekeeping; offensive stabilization mandates pulled peacekeeping towards enforcement.",
         "lewis2022": "Force, or the threat of it, is part of conflict management; talks are held from a position of strength.",
         "geocase2022": "Collective intervention, as by the CSTO in Kazakhstan in 2022, becomes a standing option against unrest next door.",
         "freedman2022": "Russia is the side attacking, so guarantees for it sound perverse; the West can do little beyond ensuring its defeat in Ukraine.",
         "ponars2023": "Without principles, deals follow the battlefield: a ceasefire is unlikely unless one side gains the momentum.",
     }},
    {"id": "west", "name": "Role of the West",
     "question": "Is the West part of the solution or part of the problem?",
     "positions": {
         "peter2024": "The erosion began inside the liberal order, with Western-backed stabilization mandates; rivals' pressure then sped it up.",
         "lewis2022": "In Moscow's view the West causes more trouble than it cures; its role should be kept small and managed.",
         "geocase2022": "Russia copies the United States' unipolar-era interventions and treats its neighbours' Westward turns as threats.",
         "freedman2022": "NATO offers the strongest guarantee there is; but the main threats to Russia's rulers lie at home, not in the West.",
         "ponars2023": "The Kremlin sees Western principles as masks for hidden 'puppet-masters', yet Western publics did rein in their governments' wars.",
     }},
    {"id": "guarantee", "name": "Who may guarantee what",
     "question": "Who can credibly guarantee security, and to whom?",
     "positions": {
         "peter2024": "The Security Council and impartial collective instruments, whose authority rests on being seen to stand above any one state's interest.",
         "lewis2022": "Powerful, interested states, Russia with regional partners, rather than neutral mediators, international organizations or civil society.",
         "geocase2022": "Russia, at the top of a regional hierarchy, with the CSTO as a multilateral cover.",
         "freedman2022": "Large powers and alliances can insure small states, always with let-out clauses; no outsider can make an insecure regime feel safe.",
         "ponars2023": "Not Russian promises alone: 'equal security' cannot work among unequal states, while coalitions of the weaker (collective defence, which the memo calls collective security) are achievable.",
     }},
]


class ReadingsCompared(BookWidget):
    _esm = front_end("synthesis_compare")


def readings_compared() -> ReadingsCompared:
    return ReadingsCompared(label="Compare the five readings", data={"readings": READINGS, "themes": THEMES})
