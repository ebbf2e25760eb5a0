"""The LTI rules that need no platform: who is a student and who staff, by the roles
Canvas, Moodle and LTI 1.1 tools send; which claim gives the student id; and the guide's
example configuration, read as the guide says."""
import re
import tempfile
from pathlib import Path

import pytest
from helpers import ROOT, assignment_ids
from lti_platform import member

from autograder.course import Course
from autograder.lms.ags import scores_url, with_query
from autograder.lms.lti_cli import _title
from autograder.lms.lti_config import read_lti_settings
from autograder.lms.lti_roster import RosterChange, students_of
from autograder.lms.nrps import member_of


@pytest.mark.parametrize("roles, kind", [
    (["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"], "student"),
    (["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator",       # an admin enrolled
      "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"], "student"),       # as a student
    (["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
      "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"], "staff"),
    (["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"], "staff"),
    (["http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper"], "staff"),
    (["Learner"], "student"),
    (["urn:lti:role:ims/lis/Instructor"], "staff"),
    (["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"], ""),
])
def test_students_and_staff_are_told_apart_by_their_course_roles(roles, kind):
    assert member_of({"user_id": "u1", "roles": roles}).kind == kind


def test_the_student_id_is_the_first_claim_the_member_has():
    with_sis = member_of(member("u-9", "Learner", "Ann Bo", "s123", "ann.bo@uni.example"))
    without = member_of(member("u-8", "Learner", "Cy Do", "", "cy@uni.example"))
    assert [with_sis.login(("lis_person_sourcedid", "user_id")), without.login(("lis_person_sourcedid", "user_id"))] \
        == ["s123", "u-8"]
    assert [with_sis.login(("sub",)), with_sis.login(("email",))] == ["u-9", "ann.bo"]


def test_the_guides_configuration_is_read_as_it_says():
    guide = (ROOT / "book" / "instructor-guide.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Canvas and Moodle with LTI 1.3"):]
    example = re.search(r"```yaml\n(.*?)```", section, flags=re.S).group(1)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "_config.yml").write_text(example)
        settings = read_lti_settings(Path(folder))
    assert settings.memberships_url.endswith("/api/lti/courses/7/names_and_roles")
    assert settings.lineitems_url.endswith("/api/lti/courses/7/line_items")
    assert settings.student_id == ("lis_person_sourcedid", "user_id")
    for command in ("course lti roster", "course lti publish ch1", "course lti public-key"):
        assert command in section


def test_the_column_is_named_with_the_assignments_title_else_its_id():
    course = Course.at(ROOT)
    first = assignment_ids()[0]
    assert _title(course, first) == course.assignment(first).title != first
    assert _title(course, "no-such-assignment") == "no-such-assignment"


def test_moodles_service_urls_keep_their_query():
    moodle = "https://moodle.example.edu/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1"
    assert scores_url(moodle) == "https://moodle.example.edu/mod/lti/services.php/2/lineitems/7/lineitem/scores?type_id=1"
    assert scores_url("https://canvas.example.edu/api/lti/courses/7/line_items/3") \
        == "https://canvas.example.edu/api/lti/courses/7/line_items/3/scores"
    assert with_query("https://moodle.example.edu/mod/lti/services.php/2/lineitems?type_id=1", resource_id="ch 1") \
        == "https://moodle.example.edu/mod/lti/services.php/2/lineitems?type_id=1&resource_id=ch+1"


def test_a_student_without_an_id_or_with_anothers_is_left_out_and_named():
    members = [member_of(member("u1", "Learner", "Ann Bo", "ann")), member_of(member("u2", "Learner", "Ann Bo", "ann")),
               member_of(member("u3", "Learner", "Cy Do")), member_of(member("u4", "Learner", "Di Eo", "di"))]
    change = RosterChange()
    people = students_of(members, ("lis_person_sourcedid",), {"u4": "d.eo"}, change)
    assert [(p.student_id, p.lms_user_id) for p in people] == [("ann", "u1"), ("d.eo", "u4")]
    assert change.left_out == 2 and change.added == ["ann"] and change.kept == ["d.eo"]
    assert change.problems == ["LMS user u2 (Ann Bo): the id 'ann' is already LMS user u1's; left out",
                               "LMS user u3 (Cy Do): none of lis_person_sourcedid is given; left out",
                               "LMS user u4 (Di Eo): stays 'd.eo' (the LMS now gives 'di')"]
