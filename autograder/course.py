"""A course: where it keeps its assignments, and who it is.

Any nbgrader course can be graded.  What makes a course itself (the namespace its
checks are salted with, the package a notebook opened alone installs, the packages its
assignments import inside the sandbox, its folder names) comes from one place, the
`course:` block of its `_config.yml`, read by `course_config`.  Without that block a
course gets neutral defaults: nbgrader's own folder names (source/ and release/; or
solutions/ and exercises/ where a solutions/ folder exists), its folder's name as
namespace, and nothing else.
"""
from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .core import variants
from .core.keys import compute_version_keys
from .core.model import Assignment
from .core.questions import load_assignment
from .errors import QuestionError, UsageError

QUESTIONS_FILE = "questions.yml"
CONFIG_FILE = "_config.yml"
NBGRADER_CONFIG = "nbgrader_config.py"


@dataclass(frozen=True)
class NbgraderCourse:
    """What nbgrader's configuration says about a course folder: its gradebook and the
    folders nbgrader's tools (collect, formgrader, release_feedback) read and write."""
    root: Path
    course_id: str
    db_url: str
    submitted: str = "submitted"
    autograded: str = "autograded"
    feedback: str = "feedback"
    exchange_root: str | None = None

    def folder(self, which: str, student_id: str, assignment_id: str) -> Path:
        """`<root>/<submitted|autograded|feedback>/<student>/<assignment>/`."""
        return self.root / getattr(self, which) / student_id / assignment_id


def nbgrader_config(root: Path):
    """nbgrader's configuration as its own commands would read it from `root`: the
    system's and the user's nbgrader_config.py, then the course folder's."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    config = Config()
    folders = [*reversed(jupyter_config_path()), str(root)]   # the later ones win, as in nbgrader
    for folder in folders:
        path = Path(folder) / NBGRADER_CONFIG
        if not path.is_file():
            continue
        try:
            config.merge(PyFileConfigLoader(NBGRADER_CONFIG, path=folder).load_config())
        except ConfigFileNotFound:
            continue
        except Exception as exc:   # the file is Python: anything can go wrong in it
            raise UsageError(f"{path}: nbgrader's configuration cannot be read ({type(exc).__name__}: "
                             f"{str(exc).splitlines()[0][:120] if str(exc) else ''})") from None
    return config


@dataclass(frozen=True)
class CourseConfig:
    """The `course:` block of _config.yml (every key optional)."""
    name: str                                   # salt namespace of the checks
    source: str                                 # nbgrader's source directory
    release: str                                # nbgrader's release directory
    package: str | None = None                  # the distribution a notebook opened alone installs
    packages: tuple[str, ...] = field(default=())   # importable packages the assignments use
    seed: str = ""                              # draws the per-student variants (set your own)
    toolkit: str | None = None                  # the toolkit's pip requirement, for a notebook opened alone
    contact: str = ""                           # how students reach the instructor (their feedback names it)


def yaml_mapping(path: Path) -> dict:
    """A YAML file's top-level mapping ({} when it holds something else); one line naming
    the file when it cannot be read."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"{path}: cannot be read ({type(exc).__name__})") from None
    return data if isinstance(data, dict) else {}


def _config_file(root: Path) -> dict:
    path = root / CONFIG_FILE
    return yaml_mapping(path) if path.is_file() else {}


def course_config(root: Path) -> CourseConfig:
    """The course's identity and folders, from the `course:` block of `root/_config.yml`."""
    block = _config_file(root).get("course") or {}
    if not isinstance(block, dict):
        raise UsageError(f"{root / CONFIG_FILE}: 'course' must be a mapping")
    # the calendar's keys (timezone, late, extensions, assignments) are read by calendar.py, lti by lms/lti_config.py
    unknown = set(block) - {"name", "source", "release", "package", "packages", "seed", "toolkit",
                            "timezone", "late", "extensions", "assignments", "contact", "lti"}
    if unknown:
        raise UsageError(f"{root / CONFIG_FILE}: unknown key(s) in 'course': {', '.join(sorted(unknown))}")
    packages = block.get("packages") or []
    if not isinstance(packages, list) or not all(isinstance(p, str) and p.isidentifier() for p in packages):
        raise UsageError(f"{root / CONFIG_FILE}: course.packages must be a list of importable package names")
    # nbgrader's own names, or this toolkit's pair where a solutions/ folder says so
    source, release = ("solutions", "exercises") if (root / "solutions").is_dir() else ("source", "release")
    return CourseConfig(
        name=str(block.get("name") or _slug(root.name)),
        source=str(block.get("source") or source),
        release=str(block.get("release") or release),
        package=str(block["package"]) if block.get("package") else None,
        packages=tuple(packages),
        seed=str(block.get("seed") or ""),
        toolkit=str(block["toolkit"]) if block.get("toolkit") else None,
        contact=str(block.get("contact") or "").strip(),
    )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "course"


@dataclass
class Course:
    root: Path
    config: CourseConfig

    @classmethod
    def at(cls, root: Path) -> Course:
        return cls(root, course_config(root))

    @property
    def source_dir(self) -> Path:
        return self.root / self.config.source

    @property
    def release_dir(self) -> Path:
        return self.root / self.config.release

    def assignment_ids(self) -> list[str]:
        if not self.source_dir.is_dir():
            raise UsageError(f"{self.source_dir}: no such source directory")
        return sorted(p.name for p in self.source_dir.iterdir() if p.is_dir() and not p.name.startswith("."))

    def nbgrader(self) -> NbgraderCourse | None:
        """The course as nbgrader sees it, if it is an nbgrader course (its folder holds
        nbgrader_config.py); None otherwise."""
        if not (self.root / NBGRADER_CONFIG).is_file():
            return None
        config = nbgrader_config(self.root)
        directory = config.get("CourseDirectory", {})
        exchange = config.get("Exchange", {})
        return NbgraderCourse(
            root=self.root,
            course_id=str(directory.get("course_id") or ""),
            # nbgrader's own default: gradebook.db in the course folder
            db_url=str(directory.get("db_url") or f"sqlite:///{self.root / 'gradebook.db'}"),
            submitted=str(directory.get("submitted_directory") or "submitted"),
            autograded=str(directory.get("autograded_directory") or "autograded"),
            feedback=str(directory.get("feedback_directory") or "feedback"),
            exchange_root=str(exchange["root"]) if exchange.get("root") else None,
        )

    def has_questions(self, assignment_id: str) -> bool:
        return (self.source_dir / assignment_id / QUESTIONS_FILE).is_file()

    def repository(self) -> tuple[str, str] | None:
        """The course's public GitHub repository and branch (`repository` in _config.yml),
        from which a notebook opened on Colab or Binder installs the course's tools."""
        repo = _config_file(self.root).get("repository") or {}
        url = str(repo.get("url", "")).rstrip("/")
        if not url.startswith("https://github.com/"):
            return None
        return url, str(repo.get("branch") or "main")

    def assignment(self, assignment_id: str) -> Assignment:
        path = self.source_dir / assignment_id / QUESTIONS_FILE
        if not path.is_file():
            raise UsageError(f"{path}: no questions file for assignment '{assignment_id}'")
        try:
            assignment = load_assignment(path)
        except QuestionError as exc:
            raise UsageError(str(exc)) from None
        if assignment.id != assignment_id:
            raise UsageError(f"{path}: id is '{assignment.id}' but the folder is '{assignment_id}'")
        return assignment

    def versions(self, assignment: Assignment) -> list[Assignment]:
        """Every version of the assignment (one, when no question varies)."""
        if assignment.has_variants and not self.config.seed:
            raise UsageError(f"{self.root / CONFIG_FILE}: set course.seed, which draws the per-student "
                             f"variants of {assignment.id}")
        return [variants.concrete(assignment, v, self.config.seed) for v in range(variants.count(assignment))]

    def version_keys(self, versions: list[Assignment]) -> list[dict]:
        """The trusted keys of each version; a failing solution is a usage error naming the file."""
        try:
            return compute_version_keys(versions)
        except QuestionError as exc:
            raise UsageError(str(exc)) from None

    def variant_salt(self, assignment_id: str) -> str:
        return variants.variant_salt(self.config.seed, assignment_id)

    def variant_of(self, assignment: Assignment, student_id: str) -> int:
        """The version of `assignment` that student `student_id` gets."""
        n = variants.count(assignment)
        return variants.variant_of(student_id, self.variant_salt(assignment.id), n) if n > 1 else 0


def find_course(start: Path | None = None) -> Course:
    """The course whose folder holds `start` (default: the current directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / CONFIG_FILE).is_file():
            course = Course.at(folder)
            if course.source_dir.is_dir():
                return course
    raise UsageError(f"{here}: not inside a course (no folder above it holds _config.yml and its source folder)")


def resolve_course(course_dir: Path | None) -> Course:
    """`--course-dir DIR`, or the course around the current directory."""
    if course_dir is None:
        return find_course()
    root = course_dir.resolve()
    if not root.is_dir():
        raise UsageError(f"{course_dir}: no such course directory")
    return Course.at(root)


def student_dirs(submissions: Path) -> list[Path]:
    """One folder per student in nbgrader's submitted layout.  A link, a pipe or a device
    in a student's place is listed too, so that it gets a row saying what it is (it is
    never followed or opened); a plain file there (a note, a list) is not a student."""
    if not submissions.is_dir():
        raise UsageError(f"{submissions}: no such submissions directory")
    return sorted(p for p in submissions.iterdir()
                  if not p.name.startswith(".") and not stat.S_ISREG(p.lstat().st_mode))
