"""Every correction the content reviews asked for (W1-W5, U1-U12; R2-... for the second) is pinned here, so that a
wrong claim cannot come back, or be deleted unseen instead of corrected.

Each file in tests/corrections/ lists pins:

    - id: W1                       # the review's item
      file: book/ch1-collective-instruments.md
      absent: "needs all five permanent members"    # the wrong claim (a regex), gone
      present: "an abstention is not a veto"        # what the course says now (a regex)

Text is compared with runs of white space (line breaks included) folded to one space and
Markdown emphasis removed, case-insensitively.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PINS_DIR = Path(__file__).parent / "corrections"
REVIEW_ITEMS = {f"W{n}" for n in range(1, 6)} | {f"U{n}" for n in range(1, 13)}
# the second review (content-2026-12-05.md): its prose items, prefixed R2- to keep them apart
REVIEW_ITEMS |= {f"R2-{item}" for item in ("W1", "W2", "U1", "U3", "U4", "U5", "U6", "U7", "U8", "V1", "V2", "R1")}


def load_pins() -> list[dict]:
    pins = []
    for path in sorted(PINS_DIR.glob("*.yml")):
        for pin in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            pins.append({**pin, "source": path.name})
    return pins


def flat(text: str) -> str:
    return " ".join(text.replace("*", "").split())


def test_every_review_item_is_pinned():
    pinned = {pin["id"] for pin in load_pins()}
    assert REVIEW_ITEMS - pinned == set(), f"review items with no pin: {sorted(REVIEW_ITEMS - pinned)}"


@pytest.mark.parametrize("pin", load_pins(), ids=lambda p: f"{p['id']}-{Path(p['file']).name}")
def test_correction_holds(pin):
    path = ROOT / pin["file"]
    assert path.is_file(), f"{pin['source']}: {pin['file']} does not exist"
    text = flat(path.read_text(encoding="utf-8"))
    assert pin.get("absent") or pin.get("present"), f"{pin['source']}: pin {pin['id']} checks nothing"
    if pin.get("absent"):
        assert not re.search(pin["absent"], text, re.IGNORECASE), f"{pin['id']}: the wrong claim is back in {pin['file']}"
    if pin.get("present"):
        assert re.search(pin["present"], text, re.IGNORECASE), f"{pin['id']}: the correction is gone from {pin['file']}"
