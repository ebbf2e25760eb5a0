"""`course new` gives another instructor a course of their own that works as it stands: it
installs in a fresh virtual environment with the toolkit from this checkout, builds its
book, releases and grades its assignment (full marks for the solution, zero for a blank),
and passes its own tests; it holds nothing of Contested Peace and no copy of the toolkit.
And `course new` refuses, in one line, what it cannot do without losing something."""
from __future__ import annotations

import csv
import filecmp
import glob
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from helpers import BIN, ROOT, course_cmd, course_run, require_command

from autograder.course import course_config
from coursebook.new_course import (
    TOOLKIT_DISTRIBUTION,
    default_toolkit,
    new_course,
    package_of,
    slug_of,
    students_cannot_install,
    toolkit_requirement,
)

TOOLKIT = ROOT / "toolkit"
TOOLKIT_PACKAGES = ("autograder", "coursebook")
# Contested Peace in any spelling, the authors and publishers of its readings, its seed and
# its repository: none of it may reach another instructor's course.
FORBIDDEN = ("contested", "Contested Peace", "contested_peace", "contested-peace", "Peter2024", "Mateja",
             "Lewis", "GeoCase", "Freedman", "PONARS", "contested-peace-demo-2026", "github.com/contested-peace")
BUILT = (".venv", "_build", ".pytest_cache", "__pycache__", "workspace", "submitted", "autograded", "feedback",
         ".cache", ".jupyter_cache")


def course_files(root: Path) -> list[Path]:
    """The course's own files: what `course new` wrote and what its commands generate,
    less what installing, building and grading leave behind."""
    return sorted(p for p in root.rglob("*") if p.is_file() and not any(part in BUILT or part.endswith(".egg-info")
                                                                        for part in p.relative_to(root).parts))


def toolkit_sources() -> list[Path]:
    """The toolkit's code (its templates for `course new` are meant to be copied)."""
    scaffold = ROOT / "coursebook" / "scaffold"
    return [p for package in TOOLKIT_PACKAGES for p in (ROOT / package).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and scaffold not in p.parents]


def assert_nothing_of_contested_peace(root: Path, toolkit_requirement: str) -> None:
    for path in course_files(root):
        # the toolkit's requirement is the instructor's own words (this checkout's path, here)
        text = path.read_text(encoding="utf-8", errors="replace").replace(toolkit_requirement, "")
        for word in FORBIDDEN:
            assert word.lower() not in text.lower(), f"{path.relative_to(root)} names {word!r}"


def assert_no_copy_of_the_toolkit(root: Path) -> None:
    assert not [p for p in root.rglob("*") if p.is_dir() and p.name in TOOLKIT_PACKAGES and ".venv" not in p.parts]
    sources = toolkit_sources()
    sizes = {p.stat().st_size for p in sources} - {0}   # an empty __init__.py copies nothing
    for path in course_files(root):
        if path.stat().st_size in sizes:
            copied = [s for s in sources if filecmp.cmp(s, path, shallow=False)]
            assert not copied, f"{path.relative_to(root)} is a copy of the toolkit's {copied[0].relative_to(ROOT)}"


def clean_environment() -> dict[str, str]:
    """The environment of an instructor's shell: not this checkout's virtual environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p) != BIN)
    return env


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, f"{' '.join(argv)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


@pytest.mark.slow
@pytest.mark.sandbox
def test_a_new_course_installs_builds_grades_and_passes_its_own_tests(tmp_path):
    require_command("bwrap", "bubblewrap (apt-get install bubblewrap), to grade")
    root = tmp_path / "soil-course"
    created = course_cmd("new", str(root), "--title", "Soil and Water: a First Course", "--toolkit", str(TOOLKIT),
                         cwd=tmp_path)
    assert "bash dev.sh book" in created.stdout
    requirement = course_config(root).toolkit
    assert requirement == f"{TOOLKIT_DISTRIBUTION} @ {TOOLKIT.as_uri()}"
    # a folder is fine to try the course out, and the instructor is told students cannot install from it
    assert "warning:" in created.stderr and "Colab or Binder cannot install from it" in created.stderr
    assert_nothing_of_contested_peace(root, requirement)
    assert_no_copy_of_the_toolkit(root)
    released = tmp_path / "released"
    shutil.copytree(root / "exercises", released)

    env = clean_environment()
    # the README's first command: a fresh virtual environment, the course with the toolkit, the book
    run(["bash", "dev.sh", "book"], root, env)
    installed = run([str(root / ".venv" / "bin" / "python"), "-c", "import autograder, coursebook; "
                     "print(autograder.__file__, coursebook.__file__)"], tmp_path, env).stdout
    assert str(root / ".venv") in installed and str(ROOT) not in installed     # installed, not borrowed
    html = root / "_build" / "html" / "book"
    chapter = (html / "ch1-commons.html").read_text(encoding="utf-8")
    assert "Hardin" in chapter and 'href="glossary.html#term-Commons"' in chapter
    assert chapter.count("application/vnd.jupyter.widget-view+json") == 2      # the widget and the practice question
    assert (html / "assignments" / "ch1.html").is_file()

    course = str(root / ".venv" / "bin" / "course")
    run([course, "release"], root, env)
    assert not filecmp.dircmp(released, root / "exercises").diff_files          # what `course new` released stands

    submitted = tmp_path / "submitted"
    run([course, "solution", "ch1", "--student", "ada", "--output", str(submitted / "ada" / "ch1")], root, env)
    (submitted / "bo" / "ch1").mkdir(parents=True)
    shutil.copy(root / "exercises" / "ch1" / "ch1.ipynb", submitted / "bo" / "ch1")
    workspace = tmp_path / "workspace"
    run([course, "grade", "ch1", "--submissions", str(submitted), "--workspace", str(workspace), "--no-progress"], root, env)
    with open(workspace / "grades.csv", newline="", encoding="utf-8") as file:
        grades = {row["student_id"]: row for row in csv.DictReader(file)}
    assert grades["ada"]["status"] == "ok", grades["ada"]["message"]
    assert float(grades["ada"]["auto_score"]) == float(grades["ada"]["auto_max"]) == 15     # every automatic point
    assert float(grades["ada"]["max_score"]) == 19                              # and the essay's 4, marked by a person
    assert float(grades["bo"]["score"]) == 0 and grades["bo"]["status"] == "ok"

    # the README's second command: the course's own tests
    tested = run(["bash", "dev.sh", "test", "-q"], root, env)
    assert " passed" in tested.stdout and "skipped" not in tested.stdout and "failed" not in tested.stdout
    assert_nothing_of_contested_peace(root, requirement)


def test_a_new_course_is_filled_in_from_its_title(tmp_path):
    root = new_course(tmp_path / "new", "Économie: the Basics", release=False)
    config = course_config(root)
    assert (config.name, config.package, config.packages) == ("economie-the-basics", "economie-the-basics",
                                                               ("economie_the_basics",))
    assert config.toolkit == default_toolkit() and config.toolkit.startswith(f"{TOOLKIT_DISTRIBUTION}>=")
    assert len(config.seed) == 32 and config.seed != course_config(new_course(tmp_path / "other", "Économie: the Basics",
                                                                                    release=False)).seed
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "economie-the-basics" and project["description"] == "Économie: the Basics"
    assert project["dependencies"][0] == config.toolkit
    assert (root / ".ci" / "run").stat().st_mode & 0o111 and (root / "dev.sh").stat().st_mode & 0o111
    assert (root / ".gitignore").is_file() and (root / "economie_the_basics" / "widgets" / "js" / "ch1_pasture.js").is_file()
    assert_nothing_of_contested_peace(root, config.toolkit)
    assert_no_copy_of_the_toolkit(root)


def test_a_toolkit_folder_is_named_as_one_students_cannot_install_from(tmp_path):
    assert students_cannot_install(toolkit_requirement(str(TOOLKIT))) is not None
    for reachable in (default_toolkit(), toolkit_requirement("https://github.com/someone/kit.git#subdirectory=toolkit"),
                      "coursekit==0.1.0"):
        assert students_cannot_install(reachable) is None, reachable


def test_a_title_with_quotes_stays_a_title(tmp_path):
    title = 'The "Commons", \\ a Course'
    root = new_course(tmp_path / "quoted", title, toolkit="coursekit==0.1.0", release=False)
    assert tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["description"] == title
    import yaml
    assert yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["title"] == title


@pytest.mark.parametrize(("title", "package"), [
    ("Climate Policy", "climate_policy"), ("Test", "test_course"), ("2024 Elections", "course_2024_elections"),
    ("Book", "book_course"), ("Coursebook", "coursebook_course"), ("Import", "import_course"),
    ("Pandas", "pandas_course")])
def test_the_course_package_never_shadows_another(title, package):
    assert package_of(slug_of(title)) == package


def test_the_toolkit_ships_every_template():
    patterns = tomllib.loads((TOOLKIT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    base = ROOT / "coursebook"
    shipped = {Path(p) for pattern in patterns["coursebook"] for p in glob.glob(str(base / pattern), recursive=True)}
    scaffold = {p for p in (base / "scaffold").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert scaffold and scaffold <= shipped, sorted(str(p) for p in scaffold - shipped)
    assert not [p for p in scaffold if p.name.startswith(".")]      # dot-<name> in the templates, .<name> in a course


def one_line_refusal(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2 and result.stdout == "", result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert all(word in result.stderr for word in words), result.stderr


def test_course_new_never_writes_into_a_folder_that_holds_something(tmp_path):
    notes = tmp_path / "mine" / "notes.md"
    notes.parent.mkdir()
    notes.write_text("my notes")
    one_line_refusal(course_run("new", str(notes.parent), "--title", "Mine", cwd=tmp_path, check=False),
                     str(notes.parent), "not empty")
    assert [p.name for p in notes.parent.iterdir()] == ["notes.md"] and notes.read_text() == "my notes"
    one_line_refusal(course_run("new", str(notes), "--title", "Mine", cwd=tmp_path, check=False), str(notes))
    assert notes.read_text() == "my notes"


@pytest.mark.parametrize(("title", "reason"), [("", "needs a title"), ("   ", "needs a title"),
                                                ("Two\nlines", "control character"), ("!!!", "letter or a digit"),
                                                ("x" * 121, "at most 120")])
def test_course_new_refuses_a_bad_title(tmp_path, title, reason):
    one_line_refusal(course_run("new", str(tmp_path / "c"), "--title", title, cwd=tmp_path, check=False), "--title", reason)
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize(("toolkit", "reason"), [("./no-such-folder", "no pyproject.toml"),
                                                  ("coursekit >>> 1", "not a pip requirement"), ("", "give a requirement")])
def test_course_new_refuses_a_toolkit_it_cannot_require(tmp_path, toolkit, reason):
    one_line_refusal(course_run("new", str(tmp_path / "c"), "--title", "Mine", "--toolkit", toolkit, cwd=tmp_path,
                                check=False), "--toolkit", reason)
    assert not (tmp_path / "c").exists()


def test_the_toolkit_requirement_takes_a_name_a_git_url_or_a_folder():
    from coursebook.new_course import toolkit_requirement

    assert toolkit_requirement("coursekit>=0.1,<0.2") == "coursekit>=0.1,<0.2"
    assert toolkit_requirement("https://github.com/org/repo.git@v1#subdirectory=toolkit") == \
        "coursekit @ git+https://github.com/org/repo.git@v1#subdirectory=toolkit"
    assert toolkit_requirement("git+https://example.org/repo@main#subdirectory=toolkit") == \
        "coursekit @ git+https://example.org/repo@main#subdirectory=toolkit"
    assert toolkit_requirement(str(TOOLKIT)) == f"coursekit @ {TOOLKIT.as_uri()}"
