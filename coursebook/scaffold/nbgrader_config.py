"""nbgrader's configuration for this course, read by nbgrader's commands run from this folder
(release_assignment, collect, formgrader) and by `course grade` and `course feedback`: the
source and release folders come from the `course:` block of _config.yml.  Release with
`course release`: it also writes the checks students run."""
from pathlib import Path

from autograder.authoring.release import course_settings
from autograder.course import Course

c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = "__SLUG__"
# this file's folder, not the current one: `course grade --course-dir` reads it from anywhere
course_settings(c, Course.at(Path(__file__).resolve().parent))
