"""Chapter 3's widgets: the uprisings timeline, the CSTO membership explorer and the
sovereignty spectrum."""
from __future__ import annotations

from ..datasets import dictionary, load_dataset
from . import BookWidget, front_end


class UprisingsTimeline(BookWidget):
    _esm = front_end("ch3_timeline", "chart")


class CstoMembership(BookWidget):
    _esm = front_end("ch3_csto_membership", "controls")


class SovereigntySpectrum(BookWidget):
    _esm = front_end("ch3_spectrum", "controls", "chart")


# Each category of Moscow's response gets a colour *and* a symbol, so the two never
# carry the meaning alone; the colour is a tone of the widgets' palette (--cp-<tone> in
# coursebook/widgets/css/widgets.css).
RESPONSE_STYLES = {
    "support for separatism": {"symbol": "◆", "tone": "third"},
    "military force": {"symbol": "✖", "tone": "bad"},
    "economic pressure": {"symbol": "▼", "tone": "warn-ink"},
    "political backing": {"symbol": "●", "tone": "accent"},
    "CSTO deployment": {"symbol": "■", "tone": "good"},
    "accommodation": {"symbol": "○", "tone": "muted"},
}


def _split(cell) -> list[str]:
    return [part.strip() for part in str(cell).split(";") if part.strip()] if isinstance(cell, str) else []


def uprisings_timeline() -> UprisingsTimeline:
    events = load_dataset("ch3_uprisings")
    meanings = dictionary("ch3_uprisings")["categories"]
    return UprisingsTimeline(label="Timeline of post-Soviet uprisings coloured by Moscow's response", data={
        "categories": [{"name": name, "meaning": meanings[name], **style} for name, style in RESPONSE_STYLES.items()],
        "events": [{
            "year": int(row.year), "month": int(row.month), "country": row.country, "event": row.event,
            "main": row.response_main, "other": _split(row.response_other), "detail": row.response_detail,
            "outcome": row.outcome, "fell": bool(row.incumbent_fell), "csto": bool(row.csto_member),
        } for row in events.itertuples()],
    })


# Membership of the Collective Security Treaty (1992) and its Organization (2002).
# Each period: [first year, last year or None, status].
def csto_membership() -> CstoMembership:
    founders = [[1992, None, "member"]]
    return CstoMembership(label="Who belonged to the Collective Security Treaty, year by year", data={
        "first": 1992, "last": 2025,
        "states": [
            {"name": "Armenia", "periods": [[1992, 2023, "member"], [2024, None, "frozen"]]},
            {"name": "Azerbaijan", "periods": [[1993, 1998, "member"], [1999, None, "left"]]},
            {"name": "Belarus", "periods": [[1993, None, "member"]]},
            {"name": "Georgia", "periods": [[1993, 1998, "member"], [1999, None, "left"]]},
            {"name": "Kazakhstan", "periods": founders},
            {"name": "Kyrgyzstan", "periods": founders},
            {"name": "Russia", "periods": founders},
            {"name": "Tajikistan", "periods": founders},
            {"name": "Uzbekistan", "periods": [[1992, 1998, "member"], [1999, 2005, "left"],
                                               [2006, 2011, "member"], [2012, None, "suspended"]]},
        ],
        "statuses": {
            "member": {"symbol": "●", "text": "member (party to the treaty)"},
            "frozen": {"symbol": "◐", "text": "still a member, participation frozen"},
            "left": {"symbol": "○", "text": "not a party (left or did not renew)"},
            "suspended": {"symbol": "⊘", "text": "membership suspended"},
            "none": {"symbol": "·", "text": "not yet a party"},
        },
        "milestones": {
            "1992": "Treaty signed at Tashkent on 15 May by six states.",
            "1993": "Azerbaijan, Georgia and Belarus join.",
            "1994": "The treaty enters into force on 20 April.",
            "1999": "Six states renew the treaty; Azerbaijan, Georgia and Uzbekistan do not.",
            "2002": "Charter of the Collective Security Treaty Organization signed on 7 October.",
            "2003": "The Charter enters into force on 18 September.",
            "2006": "Uzbekistan returns.",
            "2010": "Kyrgyzstan asks for help during the June violence in Osh; no troops are sent.",
            "2012": "Uzbekistan suspends its membership (request in June, accepted in December).",
            "2022": "First collective deployment, in Kazakhstan in January; in September Armenia invokes Article 4 and receives a fact-finding mission, not troops.",
            "2024": "Armenia says in February that it has frozen its participation.",
        },
    })


# The course's placements are a reasoned judgement from facts cited in the chapter,
# not a measurement; the widget says so.
def sovereignty_spectrum() -> SovereigntySpectrum:
    return SovereigntySpectrum(label="Place states on a spectrum from Westphalian to limited sovereignty", data={
        "low": "Westphalian sovereignty: the state alone decides its government and alignment",
        "high": "Limited sovereignty: Moscow sets the bounds of both",
        "cases": [
            {"name": "Czechoslovakia, late 1968", "course": 10,
             "why": "Warsaw Pact armies reversed the Prague Spring by force and Moscow declared that a socialist state's sovereignty ended where the bloc's interests began: the benchmark for the top of the scale."},
            {"name": "Georgia, 2004", "course": 3,
             "why": "The new government chose a Western course on its own, but Russian-backed authorities in Abkhazia and South Ossetia kept parts of its territory outside its control."},
            {"name": "Ukraine, December 2013", "course": 6,
             "why": "Yanukovych had shelved the EU agreement after Russian trade pressure and now accepted a US$15 billion Russian bond purchase: a foreign-policy choice bent by Moscow, though Ukrainians contested it in the street."},
            {"name": "Uzbekistan, 2012", "course": 2,
             "why": "Tashkent suspended its CSTO membership, as it had left the treaty in 1999: it moved in and out of Moscow's alliance on its own terms."},
            {"name": "Belarus, 2019", "course": 5,
             "why": "Closely tied to Russia through the CSTO and a union-state treaty, yet Minsk still kept up a multi-vector policy and some room to bargain."},
            {"name": "Belarus, 2022", "course": 9,
             "why": "After Russia helped Lukashenko survive 2020, Belarusian territory was used for the invasion of Ukraine, which the UN General Assembly deplored: little room left for an independent line."},
            {"name": "Kazakhstan, 2021", "course": 3,
             "why": "A CSTO member that balanced Russia, China and the United States and welcomed investors from all sides: the model of a multi-vector policy."},
            {"name": "Kazakhstan, mid-2022", "course": 4,
             "why": "The CSTO saved Tokayev in January, yet by June he refused, beside Putin, to recognise the Donetsk and Luhansk 'republics', and Kazakhstan abstained at the UN: more dependent, but not the Belarus scenario the reading foresaw."},
            {"name": "Armenia, 2024", "course": 3,
             "why": "Still formally in the CSTO and host to a Russian base, but Yerevan froze its participation after the alliance declined to help in 2022: an ally pulling away."},
        ],
    })
