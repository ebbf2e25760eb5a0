"""The course toolkit's grader: questions written once as data, hashed checks a student
can run, and grading that decides scores outside the student's code, in a sandbox.

Layers, each importing only those below it (pyproject.toml's import-linter contracts):
cli > pipeline > outputs > grading > execution | authoring > course > student > core >
nbmeta | errors."""
