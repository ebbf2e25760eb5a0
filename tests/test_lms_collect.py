"""A course run from Canvas or Moodle without a hub: the roster from the LMS's own export,
and `course collect` turning its download (built here in each LMS's documented file
naming) into nbgrader's submitted/ layout; a hostile or wrong archive writes nothing."""
import json
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from helpers import course_run
from nbgrader.api import Gradebook

FIXTURE = Path(__file__).parent / "fixtures" / "course"
CANVAS_GRADEBOOK = """Student,ID,SIS User ID,SIS Login ID,Section,Demo (4410)
    Points Possible,,,,,10
"Doe, Jane",1001,S1001,jdoe,Sec 1,
"Roe, Richard",1002,S1002,rroe,Sec 1,
"Student, Test",1099,,,Sec 1,
"""
WORKSHEET = ("Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
             "Last modified (submission),Last modified (grade),Feedback comments\n"
             'Participant 4501,Jane Doe,jane.doe@uni.example,Submitted for grading,,10,Yes,'
             '"Friday, 20 November 2026, 6:30 PM",-,\n'
             'Participant 4502,Richard Roe,rroe@uni.example,Submitted for grading,,10,Yes,'
             '"Thursday, 19 November 2026, 9:00 AM",-,\n'
             "Participant 4503,Ann Smith,ann@uni.example,No submission,,10,Yes,-,-,\n")


@pytest.fixture
def course(tmp_path) -> Path:
    root = tmp_path / "course"
    shutil.copytree(FIXTURE, root)
    with open(root / "_config.yml", "a") as config:
        config.write("\ncourse:\n  timezone: Europe/Paris\n  assignments:\n    demo: {due: 2026-11-20 18:00}\n")
    return root


def notebook(text: str) -> bytes:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": text}]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def make_zip(path: Path, files: dict[str, tuple[bytes, tuple]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (data, when) in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


def collect(course: Path, *args: str):
    return course_run("collect", "demo", *args, cwd=course, check=False)


def test_canvas_roster_and_download(course, tmp_path):
    (tmp_path / "gb.csv").write_text(CANVAS_GRADEBOOK)
    imported = course_run("roster", "import", str(tmp_path / "gb.csv"), cwd=course, check=False)
    assert imported.returncode == 0 and "roster: 2 students" in imported.stdout, imported.stderr
    with Gradebook(f"sqlite:///{course / 'workspace' / 'gradebook.db'}") as gb:
        jane = gb.find_student("jdoe")
        assert (jane.first_name, jane.last_name, jane.lms_user_id) == ("Jane", "Doe", "1001")
    archive = make_zip(tmp_path / "submissions.zip", {
        "doejane_1001_5001_demo.ipynb": (notebook("first"), (2026, 11, 20, 10, 0, 0)),
        "doejane_1001_5002_demo-1.ipynb": (notebook("resubmitted"), (2026, 11, 20, 12, 0, 0)),   # Canvas's renaming
        "doejane_1001_5006_readme.txt": (b"hello", (2026, 11, 20, 12, 0, 0)),
        "roerichard_LATE_1002_5003_mywork.ipynb": (notebook("mine"), (2026, 11, 20, 16, 0, 0)),
        "roerichard_LATE_1002_5004_scratch.ipynb": (notebook("older"), (2026, 11, 20, 15, 0, 0)),
        "smithann_1003_5005_demo.ipynb": (notebook("who"), (2026, 11, 20, 11, 0, 0)),
        "random.ipynb": (notebook("?"), (2026, 11, 20, 11, 0, 0)),
    })
    run = collect(course, "--from", str(archive))
    assert run.returncode == 1 and "collected 2 submissions of demo" in run.stdout
    lines = run.stderr.splitlines()
    assert len(lines) == 3
    assert any("readme.txt: not a notebook" in line for line in lines)
    assert any("Canvas user 1003 (smithann) matches no student in the roster" in line for line in lines)
    assert any("random.ipynb: not named as Canvas names a hand-in" in line for line in lines)
    jane = course / "submitted" / "jdoe" / "demo"
    assert sorted(p.name for p in jane.iterdir()) == ["demo.ipynb", "timestamp.txt"]
    assert b"resubmitted" in (jane / "demo.ipynb").read_bytes()
    assert (jane / "timestamp.txt").read_text().strip() == "2026-11-20 12:00:00.000000 UTC"
    richard = course / "submitted" / "rroe" / "demo"
    assert b"mine" in (richard / "demo.ipynb").read_bytes()   # the newest, renamed to the assignment's notebook
    # Canvas marked it LATE, though the archive's time is before the due date (17:00 UTC)
    assert (richard / "timestamp.txt").read_text().strip() == "2026-11-20 17:00:01.000000 UTC"


def test_moodle_worksheet_roster_and_download(course, tmp_path):
    (tmp_path / "worksheet.csv").write_text("\ufeff" + WORKSHEET)
    assert course_run("roster", "import", str(tmp_path / "worksheet.csv"), cwd=course).returncode == 0
    archive = make_zip(tmp_path / "moodle.zip", {
        "Jane Doe_4501_assignsubmission_file/demo.ipynb": (notebook("jane's"), (2026, 11, 20, 18, 31, 0)),
        "Richard Roe_4502_assignsubmission_file_demo.ipynb": (notebook("richard's"), (2026, 11, 19, 9, 1, 0)),
        "Jane Doe_4501_assignsubmission_onlinetext_onlinetext.html": (b"<p>hi</p>", (2026, 11, 20, 18, 31, 0)),
    })
    run = collect(course, "--from", str(archive))
    assert run.returncode == 2 and "give its grading worksheet with --worksheet" in run.stderr
    run = collect(course, "--from", str(archive), "--worksheet", str(tmp_path / "worksheet.csv"))
    assert "collected 2 submissions" in run.stdout and len(run.stderr.splitlines()) == 1, run.stderr
    assert "onlinetext.html: not an uploaded file (online text, say): left out" in run.stderr
    # the worksheet's time, in the course's zone (Paris: UTC+1 in November)
    stamp = (course / "submitted" / "jane.doe" / "demo" / "timestamp.txt").read_text().strip()
    assert stamp == "2026-11-20 17:30:00.000000 UTC"
    assert b"richard's" in (course / "submitted" / "rroe" / "demo" / "demo.ipynb").read_bytes()


def test_a_hostile_or_wrong_archive_writes_nothing_outside(course, tmp_path):
    (tmp_path / "gb.csv").write_text(CANVAS_GRADEBOOK)
    course_run("roster", "import", str(tmp_path / "gb.csv"), cwd=course)
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("this is not an archive")
    run = collect(course, "--from", str(not_zip))
    assert run.returncode == 2 and f"{not_zip}: not a zip archive" in run.stderr and not (course / "submitted").exists()

    hostile = tmp_path / "hostile.zip"
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr("../doejane_1001_1_demo.ipynb", notebook("climb"))
        link = zipfile.ZipInfo("roerichard_1002_2_demo.ipynb")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    run = collect(course, "--from", str(hostile))
    assert "its path leads out of the archive" in run.stderr and "a link, not a file" in run.stderr
    assert "collected 0 submissions" in run.stdout and not (tmp_path / "doejane_1001_1_demo.ipynb").exists()
    assert not any((course / "submitted").rglob("*.ipynb"))

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("doejane_1001_3_demo.ipynb", "w") as handle:
            for _ in range(24):
                handle.write(bytes(1024 * 1024))
    run = collect(course, "--from", str(bomb))
    assert run.returncode == 2 and "a zip bomb?" in run.stderr and not any((course / "submitted").rglob("*.ipynb"))


def test_collecting_again_replaces_a_students_folder_whole(course, tmp_path):
    (tmp_path / "gb.csv").write_text(CANVAS_GRADEBOOK)
    course_run("roster", "import", str(tmp_path / "gb.csv"), cwd=course)
    first = make_zip(tmp_path / "1.zip", {"doejane_1001_1_demo.ipynb": (notebook("one"), (2026, 11, 20, 9, 0, 0)),
                                          "doejane_1001_1_extra.ipynb": (notebook("x"), (2026, 11, 20, 8, 0, 0))})
    collect(course, "--from", str(first))
    folder = course / "submitted" / "jdoe" / "demo"
    assert sorted(p.name for p in folder.iterdir()) == ["demo.ipynb", "timestamp.txt"]
    second = make_zip(tmp_path / "2.zip", {"doejane_1001_2_demo-2.ipynb": (notebook("two"), (2026, 11, 21, 9, 0, 0))})
    collect(course, "--from", str(second))
    assert b"two" in (folder / "demo.ipynb").read_bytes()
    assert (folder / "timestamp.txt").read_text().startswith("2026-11-21 09:00:00")
    assert not [p for p in (course / "submitted").iterdir() if p.name.startswith(".")]   # no staging left
