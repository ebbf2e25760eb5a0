"""A course run from Canvas or Moodle without a hub: the roster (nbgrader's students
table, filled from the LMS's own exports) and hand-ins collected from the LMS's download."""
