"""`course similarity`: the pairs an instructor should read side by side come at the top
of the report (an essay copied from a classmate and lightly edited, an essay copied from
the book or the reading with small changes, code copied with its variables renamed and
its layout changed), and independently written essays on the same prompt are not flagged
at the default threshold (tests/fixtures/honest_essays, see its README), even when two of
them copy out the prompt and quote the same long passage."""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, course_run, set_answer, student_notebook, write_submission

HONEST = sorted((Path(__file__).parent / "fixtures" / "honest_essays").glob("essay-*.md"))
# the readings are not in the repository: beside it (../shared/seeds), or where COURSE_READINGS says
SEEDS = Path(os.environ.get("COURSE_READINGS") or next(
    (p for p in (ROOT.parent / "shared" / "seeds", ROOT.parent.parent / "shared" / "seeds") if p.is_dir()), "none"))
FREEDMAN = "001_9d062222768e08cc.txt"

# a student's own code for q13 (longer than it needs to be, as students' code is) ...
LOOP = '''# the documents that bind nobody
not_binding = []
for index, row in commitments.iterrows():
    if not row["binding"]:
        not_binding.append(row["short_name"])
answer_q13 = sorted(not_binding, key=len)
'''
# ... and a classmate's copy of it: names, comments, layout and quotation marks changed
LOOP_RENAMED = '''free = [ ]   # promises without force

for i,r in commitments.iterrows():

    if not r['binding']:   free.append( r['short_name'] )
answer_q13 = sorted(free, key = len)
'''
SWAPS = {"security": "safety", "guarantee": "pledge", "Russia": "Moscow", "argue": "claim", "because": "since",
         "could": "might", "would": "will", "West": "Western powers", "leadership": "leaders"}


def lightly_edited(text: str) -> str:
    """`text` with its sentences in another order and a few words changed."""
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    half = len(sentences) // 2
    moved = sentences[half:] + sentences[:half]
    moved[0], moved[1] = moved[1], moved[0]
    edited = " ".join(moved)
    for word, other in list(SWAPS.items())[:5]:
        edited = edited.replace(f" {word} ", f" {other} ", 2)
    return edited


def close_copy(text: str, start: int, words: int) -> str:
    """`words` words of `text` from word `start`, a few words changed, with a sentence of the student's own."""
    taken = " ".join(text.split()[start:start + words])
    for word, other in SWAPS.items():
        taken = taken.replace(f" {word} ", f" {other} ", 1)
    return "In my view the answer is clear enough, as the reading suggests. " + taken


def hand_in(submissions: Path, student: str, essay: str, code: str | None = None) -> None:
    nb = student_notebook("ch4", "blank")
    set_answer(nb, "q14", essay)
    if code is not None:
        set_answer(nb, "q13_answer", code)
    write_submission(submissions, student, "ch4", nb)


def flagged(report: Path) -> list[tuple[str, str, float]]:
    """The report's list of pairs to look at, in its order: (student, other, score)."""
    rows = re.findall(r'<tr class="pair" data-left="([^"]*)" data-right="([^"]*)" data-score="([^"]*)">',
                      report.read_text(encoding="utf-8"))
    return [(html.unescape(a), html.unescape(b), float(s)) for a, b, s in rows]


@pytest.fixture(scope="module")
def class_of_honest_essays(tmp_path_factory) -> Path:
    submissions = tmp_path_factory.mktemp("submitted")
    for path in HONEST:
        hand_in(submissions, f"honest-{path.stem[-2:]}", path.read_text(encoding="utf-8"))
    return submissions


@pytest.fixture(scope="module")
def planted(class_of_honest_essays, tmp_path_factory) -> tuple[Path, Path]:
    """The honest class with planted copies added, and the report on it."""
    submissions = class_of_honest_essays
    book = (ROOT / "book" / "ch4-security-guarantees.md").read_text(encoding="utf-8")
    hand_in(submissions, "copies-classmate", lightly_edited(HONEST[0].read_text(encoding="utf-8")))
    hand_in(submissions, "copies-book", close_copy(book, 400, 320))
    hand_in(submissions, "writes-code", "No essay this time, sorry.", code=LOOP)
    hand_in(submissions, "copies-code", "I ran out of time for the essay.", code=LOOP_RENAMED)
    # honest students who write little of their own: two copy out the prompt, two quote
    # the same passages of the book (in quotation marks, and as a Markdown quotation)
    prompt = next(q["prompt"] for q in yaml.safe_load((ROOT / "solutions" / "ch4" / "questions.yml").read_text(
        encoding="utf-8"))["questions"] if q.get("id") == "q14")
    words = book.split()
    inline, block = " ".join(words[900:940]), " ".join(words[1500:1580])
    for n, path in enumerate(HONEST[1:5]):
        own = " ".join(path.read_text(encoding="utf-8").split()[:150])
        essay = f"{prompt}\n\n{own}" if n < 2 else f'As the book puts it, "{inline}"\n\n{own}\n\n> {block}\n'
        hand_in(submissions, f"honest-{path.stem[-2:]}", essay)
    hostile = HONEST[-1].read_text(encoding="utf-8") + "\n\n<script>alert('x')</script>\n\n" + "padding " * 40_000
    hand_in(submissions, "pads-a-copy", hostile)
    (submissions / "broken" / "ch4").mkdir(parents=True)
    (submissions / "broken" / "ch4" / "ch4.ipynb").write_text("{not json", encoding="utf-8")
    (submissions / "linked" / "ch4").mkdir(parents=True)
    (submissions / "linked" / "ch4" / "ch4.ipynb").symlink_to(ROOT / "solutions" / "ch4" / "ch4.ipynb")
    (submissions / "handed-in-another" / "ch3").mkdir(parents=True)   # not ch4: nothing to say
    workspace = tmp_path_factory.mktemp("workspace")
    out = course_run("similarity", "ch4", "--submissions", str(submissions), "--workspace", str(workspace))
    return workspace / "similarity" / "ch4.html", out


@pytest.mark.timeout(300)
def test_planted_copies_come_first_and_nothing_else_is_flagged(planted):
    report, _ = planted
    pairs = flagged(report)
    planted_pairs = {frozenset(pair) for pair in (
        ("copies-classmate", f"honest-{HONEST[0].stem[-2:]}"), ("copies-book", "ch4-security-guarantees.md"),
        ("copies-code", "writes-code"), ("pads-a-copy", f"honest-{HONEST[-1].stem[-2:]}"))}
    assert {frozenset((a, b)) for a, b, _ in pairs} == planted_pairs, pairs
    assert [s for *_, s in pairs] == sorted((s for *_, s in pairs), reverse=True)
    assert min(s for *_, s in pairs) >= 0.5
    # the renamed, reformatted code is nearly all shared, as a copy is
    assert next(s for a, b, s in pairs if {a, b} == {"copies-code", "writes-code"}) > 0.85


@pytest.mark.timeout(300)
def test_shared_passages_are_marked_and_student_text_is_escaped_and_capped(planted):
    report, out = planted
    page = report.read_text(encoding="utf-8")
    marked = " ".join(re.findall(r"<mark>(.*?)</mark>", page, flags=re.S))
    assert "not_binding" in marked and "free.append" in marked      # the code, on both sides
    assert "<script>" not in page and "&lt;script&gt;alert" in page
    assert "more characters not shown" in page and len(page) < 2_000_000
    assert "not read: broken/ch4/ch4.ipynb: not valid JSON" in out.stdout
    assert "linked/ch4/ch4.ipynb: a symbolic link" in out.stdout
    assert "handed-in-another" not in out.stdout and out.stdout.count("not read:") == 2
    assert "For the instructor only" in page and "not proof" in page
    assert f"report (instructor only): {report}" in out.stdout


@pytest.mark.timeout(300)
@pytest.mark.skipif(not (SEEDS / FREEDMAN).is_file(), reason="the readings (COURSE_READINGS) are not on this machine")
def test_a_close_copy_of_the_reading_is_found_and_honest_essays_are_not_flagged_against_it(tmp_path):
    submissions = tmp_path / "submitted"
    for path in HONEST:
        hand_in(submissions, f"honest-{path.stem[-2:]}", path.read_text(encoding="utf-8"))
    reading = (SEEDS / FREEDMAN).read_text(encoding="utf-8")
    hand_in(submissions, "copies-reading", close_copy(reading, 1200, 330))
    course_run("similarity", "ch4", "--submissions", str(submissions), "--workspace", str(tmp_path / "ws"),
               "--sources", str(SEEDS))
    pairs = flagged(tmp_path / "ws" / "similarity" / "ch4.html")
    assert [(a, b) for a, b, _ in pairs] == [("copies-reading", FREEDMAN)], pairs


def test_a_missing_folder_of_readings_is_one_line(tmp_path):
    out = course_run("similarity", "ch4", "--submissions", str(tmp_path), "--sources", str(tmp_path / "nowhere"),
                     "--workspace", str(tmp_path / "ws"), check=False)
    assert out.returncode == 2
    assert out.stderr.strip() == f"course similarity: error: {tmp_path / 'nowhere'}: no such folder of readings"
