"""The book side of the course toolkit: building the Jupyter Book with the browser assets
it serves itself, the launch links and accessibility repairs (Sphinx extensions), the
base of every widget and the practice-question widget.  It uses the grader (`autograder`)
and knows nothing of any one course's content."""
