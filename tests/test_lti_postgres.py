"""`course lti roster` and `publish` on a PostgreSQL gradebook (a hub's, shared by several
graders): nbgrader's students table and our own tables beside it, on a real server."""
import pytest
from test_lti import EXPECTED, course, grade, key_file, lti, platform, scores  # noqa: F401 (fixtures)
from test_postgres import postgres  # noqa: F401 (the server, started for the module)

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(120)]


def test_roster_and_publish_on_a_postgresql_gradebook(postgres, course, key_file, platform):  # noqa: F811
    roster = lti(course, key_file, platform, "roster", "--db", postgres)
    assert roster.returncode == 0 and "4 students (4 new)" in roster.stdout, roster.stderr
    grade(course, {"bob": None}, postgres)
    first = lti(course, key_file, platform, "publish", "demo", "--db", postgres)
    assert first.returncode == 0 and "posted 3 scores (1 PendingManual)" in first.stdout, first.stderr
    assert scores(platform) == EXPECTED
    grade(course, {"bob": 3.0}, postgres)
    again = lti(course, key_file, platform, "publish", "demo", "--db", postgres)
    assert again.returncode == 0 and "posted 1 scores, 2 unchanged" in again.stdout, again.stderr
    assert scores(platform)["b2-bob"] == (5.0, 10.0, "FullyGraded", "Completed")
