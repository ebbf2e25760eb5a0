"""Every assignment of the course: in sync with its source, full marks for the solution,
zero for the blank, and no plain key in what students get."""
import filecmp
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from helpers import ROOT, assignment_ids, course_cmd, course_copy, read_grades, read_result, student_notebook, write_submission

from autograder.authoring.release import release
from autograder.course import Course

IDS = assignment_ids()


pytestmark = [pytest.mark.slow, pytest.mark.sandbox]


def test_every_chapter_has_an_assignment():
    assert IDS == ["ch1", "ch2", "ch3", "ch4", "ch5"]


def test_exercises_are_exactly_what_release_makes(tmp_path):
    """`course release` from solutions/ gives back exercises/ byte for byte."""
    import shutil
    copy = tmp_path / "course"
    shutil.copytree(ROOT / "solutions", copy / "solutions")
    shutil.copy(ROOT / "_config.yml", copy / "_config.yml")
    release(Course.at(copy), IDS)
    for aid in IDS:
        for folder in ("solutions", "exercises"):
            ours, theirs = ROOT / folder / aid, copy / folder / aid
            comparison = filecmp.dircmp(ours, theirs)
            assert not comparison.left_only and not comparison.right_only, f"{folder}/{aid}: files differ"
            for name in comparison.common_files:
                assert (ours / name).read_bytes() == (theirs / name).read_bytes(), \
                    f"{folder}/{aid}/{name} is out of date: run `course release {aid}`"


@pytest.mark.parametrize("aid", IDS)
def test_kinds_and_counts(aid):
    assignment = Course.at(ROOT).assignment(aid)
    auto = assignment.autograded
    assert len(auto) >= 10
    assert len({q.kind for q in auto}) >= 5
    assert sum(q.kind == "data" for q in auto) >= 2
    assert any(q.kind == "essay" for q in assignment.questions)


@pytest.mark.parametrize("aid", IDS)
def test_no_plain_key_for_students(aid):
    """Text answers and table keys never appear in the released files."""
    assignment = Course.at(ROOT).assignment(aid)
    released = " ".join(p.read_text(encoding="utf-8").lower() for p in (ROOT / "exercises" / aid).iterdir())
    assert "### begin hidden tests" not in released and "points_for" not in released
    assert not (ROOT / "exercises" / aid / "questions.yml").exists()
    for q in assignment.questions:
        if q.kind == "text":
            for accepted in q.answer:
                assert json.dumps(accepted.lower())[1:-1] not in released or accepted.lower() in q.prompt.lower(), \
                    f"{aid}/{q.id}: the accepted answer '{accepted}' is readable in exercises/"


def test_solution_scores_full_marks_and_blank_scores_zero(tmp_path):
    course = course_copy(tmp_path)
    submissions = tmp_path / "submitted"
    for aid in IDS:
        write_submission(submissions, "perfect", aid, student_notebook(aid, "solution"))
        write_submission(submissions, "blank", aid, student_notebook(aid, "blank"))
    workspace = tmp_path / "workspace"
    for aid in IDS:
        course_cmd("grade", aid, "--submissions", str(submissions), "--workspace", str(workspace), "--no-progress",
                   "--course-dir", str(course))
    grades = read_grades(workspace)
    for aid in IDS:
        perfect, blank = grades[("perfect", aid)], grades[("blank", aid)]
        assert perfect["status"] == "ok", perfect["message"]
        assert float(perfect["auto_score"]) == float(perfect["auto_max"]) > 0
        result = read_result(workspace, aid, "perfect")
        wrong = [q["id"] for q in result["questions"] if q["kind"] != "essay" and q["points"] != q["max_points"]]
        assert not wrong, f"{aid}: the solution loses points on {wrong}"
        assert blank["status"] == "ok" and float(blank["score"]) == 0


def test_an_assignment_opened_alone_installs_the_course_tools_in_its_first_cell(tmp_path):
    """As on Colab or a fresh Binder: Python with pandas but without the course's package.
    The first cell installs it (from this checkout instead of GitHub) and `check` works."""
    import subprocess
    import sysconfig
    import venv

    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # pandas and pyyaml from the test environment, but none of its .pth files: no course package
    Path(site, "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    assert subprocess.run([str(python), "-c", "import autograder"], cwd=tmp_path, capture_output=True).returncode != 0
    release = nbformat.read(ROOT / "exercises" / "ch1" / "ch1.ipynb", as_version=4)
    setup = next(c.source for c in release.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    assert "pip" in setup and "git+https://github.com/" in setup
    # the toolkit and the course, from this checkout's commit instead of GitHub's main
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    local = setup.replace(setup.split("git+")[1].split("@")[0], f"file://localhost{ROOT}").replace("@main", f"@{commit}")
    assert local.count(f"file://localhost{ROOT}@{commit}") == 2      # coursekit (subdirectory toolkit), the course
    work = tmp_path / "ch1"
    shutil.copytree(ROOT / "exercises" / "ch1", work)
    key = next(q for q in Course.at(ROOT).assignment("ch1").questions if q.kind == "single")
    script = local + f"\ncheck({key.id!r}, {key.answer!r})\n"
    ran = subprocess.run([str(python), "-c", script], cwd=work, capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert f"✔ [{key.id}]" in ran.stdout
