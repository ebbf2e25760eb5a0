"""Chapter 1's widgets: the instruments 2x2, the mandate stress test, the missions explorer."""
from __future__ import annotations

from .base import BookWidget, asset


class InstrumentMatrix(BookWidget):
    _esm = asset("js/instrument_matrix.js")


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
