"""A course's identity comes from the `course:` block of its _config.yml, and only from there:
this course's block reproduces what it always was; another course carries nothing of it."""
from __future__ import annotations

import pytest
from helpers import ROOT

from autograder.course import Course, course_config
from autograder.errors import UsageError
from autograder.execution.sandbox import package_dirs


def test_this_course_declares_itself():
    config = course_config(ROOT)
    assert (config.name, config.package, config.packages, config.source, config.release) == \
        ("contested-peace", "contested-peace", ("contested_peace",), "solutions", "exercises")
    assert [d.name for d in package_dirs(config.packages)] == ["autograder", "contested_peace"]


def test_a_course_without_the_block_gets_neutral_defaults(tmp_path):
    nbgrader_course = tmp_path / "Climate Policy 101"
    (nbgrader_course / "source" / "hw1").mkdir(parents=True)
    (nbgrader_course / "_config.yml").write_text("title: Climate\n")
    config = course_config(nbgrader_course)
    assert (config.name, config.package, config.packages, config.source, config.release) == \
        ("climate-policy-101", None, (), "source", "release")
    assert [d.name for d in package_dirs(config.packages)] == ["autograder"]
    assert Course.at(nbgrader_course).assignment_ids() == ["hw1"]


def test_a_course_with_solutions_uses_the_toolkit_pair(tmp_path):
    (tmp_path / "solutions").mkdir()
    assert (course_config(tmp_path).source, course_config(tmp_path).release) == ("solutions", "exercises")


@pytest.mark.parametrize("block, problem", [
    ("course: [a]", "'course' must be a mapping"),
    ("course: {salt: x}", "unknown key(s) in 'course': salt"),
    ("course: {packages: [not a name]}", "course.packages must be a list of importable package names"),
    ("course: {name: [", "cannot be read"),
])
def test_a_bad_block_is_one_clear_error(tmp_path, block, problem):
    (tmp_path / "_config.yml").write_text(block + "\n")
    with pytest.raises(UsageError, match=problem.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")) as error:
        course_config(tmp_path)
    assert str(tmp_path / "_config.yml") in str(error.value)
