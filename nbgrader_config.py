"""nbgrader's configuration for this course, read by nbgrader's commands run from this folder
(release_assignment, collect, formgrader): the source and release folders come from the
`course:` block of _config.yml.  Release with `course release`, not `nbgrader
generate_assignment`: it also writes the checks and keeps exercises/ exactly as the tests
expect."""
from autograder.authoring.release import course_settings

c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = "contested-peace"
course_settings(c)
