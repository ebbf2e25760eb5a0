"""A course run from Canvas or Moodle: the roster (nbgrader's students table, filled from
the LMS's own exports, or over LTI 1.3 from its Names and Role Provisioning Service), hand-ins
collected from the LMS's download, and scores posted to its gradebook over LTI 1.3
(Assignment and Grade Services)."""
