"""The course's calendar as an instructor writes it: due dates with their time zone,
late policies, extensions.csv; every mistake in one line naming the file and the place."""
import datetime

import pytest

from autograder.calendar import read_calendar
from autograder.errors import UsageError
from autograder.grading.lateness import BAD_TIMESTAMP, NO_TIMESTAMP, assess
from autograder.late_policy import LatePolicy, parse_policy

CONFIG = """course:
  timezone: Europe/London
  late: {deduct: 10%, per: day, cap: 50%, grace_minutes: 15}
  assignments:
    ps1: {due: 2026-10-02 17:00}
    ps2: {due: "2026-07-01 09:00 America/Chicago", late: zero}
    ps3: {due: 2026-07-01T09:00:00+02:00, late: none}
"""


def course(tmp_path, config: str = CONFIG, extensions: str | None = None):
    (tmp_path / "_config.yml").write_text(config)
    if extensions is not None:
        (tmp_path / "extensions.csv").write_text(extensions)
    return tmp_path


def test_due_dates_are_kept_in_utc_from_their_own_or_the_courses_zone(tmp_path):
    calendar = read_calendar(course(tmp_path))
    assert calendar.due["ps1"] == datetime.datetime(2026, 10, 2, 16, 0)   # British Summer Time
    assert calendar.due["ps2"] == datetime.datetime(2026, 7, 1, 14, 0)    # Chicago, daylight time
    assert calendar.due["ps3"] == datetime.datetime(2026, 7, 1, 7, 0)
    assert calendar.policy("ps1").percent and calendar.policy("ps2").kind == "zero"
    assert calendar.policy("ps3").kind == "none" and calendar.policy("other") == calendar.default_policy


def test_a_course_without_a_late_key_keeps_nbgraders_settings(tmp_path):
    calendar = read_calendar(course(tmp_path, "course:\n  assignments:\n    ps1: {due: 2026-10-02 17:00 UTC}\n"))
    assert calendar.policy("ps1") is None and calendar.due["ps1"] == datetime.datetime(2026, 10, 2, 17, 0)


@pytest.mark.parametrize(("due", "says"), [
    ("2026-10-02 17:00", "names no time zone"),
    ("2026-10-02 17:00 Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
    ("2026-10-02", "is not a date and time"),
    ("next friday at noon", "is not a date and time"),
])
def test_a_bad_due_date_is_one_line_naming_the_file_and_the_assignment(tmp_path, due, says):
    root = course(tmp_path, f"course:\n  assignments:\n    ps1: {{due: {due}}}\n")
    with pytest.raises(UsageError) as error:
        read_calendar(root)
    assert says in str(error.value) and "\n" not in str(error.value)
    assert str(error.value).startswith(f"{root / '_config.yml'}: course.assignments.ps1.due")


@pytest.mark.parametrize(("late", "says"), [
    ("sometimes", "late must be none, zero or a mapping"),
    ("{deduct: 150%}", "percentage up to 100%"),
    ("{deduct: 10%, per: week}", "late.per must be hour or day"),
    ("{deduct: 10%, cap: 5}", "same unit"),
    ("{deduct: 2, grace_minutes: -5}", "grace_minutes must be a number"),
    ("{deduct: 2, after: 3}", "unknown key(s) in late: after"),
])
def test_a_bad_late_policy_is_named(tmp_path, late, says):
    with pytest.raises(UsageError, match=None) as error:
        read_calendar(course(tmp_path, f"course:\n  late: {late}\n"))
    assert says in str(error.value)


def test_penalties_count_each_part_of_a_day_or_hour_whole_with_grace_and_cap():
    percent = LatePolicy("deduct", 10, True, "day", 50, 15)
    assert percent.penalty(40, 0.2) == 0            # within the 15 minutes' grace
    assert percent.penalty(40, 0.3) == 4            # the first day begun: 10% of 40
    assert percent.penalty(40, 24.5) == 8           # the second day begun
    assert percent.penalty(40, 24 * 9) == 20        # capped at 50%
    assert percent.penalty(40, None) == 0           # unknown time: no penalty
    points = parse_policy({"deduct": 2, "per": "hour"}, "x")
    assert points.penalty(5, 1.5) == 4 and points.penalty(3, 10) == 3   # never below zero
    assert LatePolicy("zero").penalty(17.5, 0.01) == 17.5 and LatePolicy("none").penalty(17.5, 99) == 0


def test_extensions_move_one_students_due_date(tmp_path):
    root = course(tmp_path, extensions="student,assignment,due,extra_hours,reason\n"
                                      "ada,ps1,,48,illness\nbo,ps1,2026-10-09 12:00,,exchange visit\n")
    calendar = read_calendar(root)
    assert calendar.due_for("ps1", "ada") == datetime.datetime(2026, 10, 4, 16, 0)
    assert calendar.due_for("ps1", "bo") == datetime.datetime(2026, 10, 9, 11, 0)
    assert calendar.due_for("ps1", "cy") == datetime.datetime(2026, 10, 2, 16, 0)
    assert calendar.extensions[("ada", "ps1")].reason == "illness"


def test_every_bad_extension_line_is_named_and_none_applied(tmp_path):
    root = course(tmp_path, extensions="student,assignment,due,extra_hours,reason\n"
                                      "ada,ps1,,48,illness\n"
                                      "bo,ps1,2026-10-09 12:00,24,both\n"
                                      ",ps1,,5,\n"
                                      "cy,ps1,,soon,\n"
                                      "ada,ps1,,12,again\n")
    with pytest.raises(UsageError) as error:
        read_calendar(root)
    lines = str(error.value).splitlines()
    path = root / "extensions.csv"
    assert [line.split(": ")[0] for line in lines] == [f"{path}:3", f"{path}:4", f"{path}:5", f"{path}:6"]
    assert "not both" in lines[0] and "needs a student" in lines[1] and "'soon'" in lines[2] and "second" in lines[3]


def test_an_extensions_file_without_its_header_is_refused(tmp_path):
    with pytest.raises(UsageError, match="header student,assignment,due,extra_hours,reason"):
        read_calendar(course(tmp_path, extensions="ada,ps1,,48,illness\n"))


def test_the_submission_time_is_nbgraders_timestamp_file_and_its_absence_is_said(tmp_path):
    due = datetime.datetime(2026, 10, 2, 16, 0)
    (tmp_path / "late").mkdir()
    (tmp_path / "late" / "timestamp.txt").write_text("2026-10-03 18:30:00.000000 UTC")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "timestamp.txt").write_text("yesterday-ish")
    (tmp_path / "none").mkdir()
    late = assess("x", tmp_path / "late", due)
    assert late.late_by == 26.5 and late.column == "26.5" and late.submitted == "2026-10-03 18:30:00"
    assert assess("x", tmp_path / "bad", due).column == BAD_TIMESTAMP
    assert assess("x", tmp_path / "none", due).column == NO_TIMESTAMP
    assert assess("x", tmp_path / "late", datetime.datetime(2026, 10, 5)).column == "0"
    assert assess("x", tmp_path / "late", None).column == ""   # no due date: nothing to say


def test_a_new_course_carries_the_calendars_keys(tmp_path):
    from coursebook.new_course import new_course

    root = new_course(tmp_path / "course", "A Course of Our Own", release=False)
    calendar = read_calendar(root)
    assert calendar.zone == "UTC" and calendar.policy("ch1") == LatePolicy("none") and calendar.extensions_file
    assert calendar.due == {} and calendar.extensions == {}
