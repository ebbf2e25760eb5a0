"""Where a course keeps its assignments (DESIGN.md's layout, or any nbgrader course)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .questions import Assignment, QuestionError, load_assignment

QUESTIONS_FILE = "questions.yml"


class CourseError(RuntimeError):
    """A usage or configuration problem: the command stops with this one-line message."""


@dataclass
class Course:
    root: Path
    source: str = "solutions"      # nbgrader's source directory
    release: str = "exercises"     # nbgrader's release directory

    @property
    def source_dir(self) -> Path:
        return self.root / self.source

    @property
    def release_dir(self) -> Path:
        return self.root / self.release

    def assignment_ids(self) -> list[str]:
        if not self.source_dir.is_dir():
            raise CourseError(f"{self.source_dir}: no such source directory")
        return sorted(p.name for p in self.source_dir.iterdir() if p.is_dir() and not p.name.startswith("."))

    def has_questions(self, assignment_id: str) -> bool:
        return (self.source_dir / assignment_id / QUESTIONS_FILE).is_file()

    def repository(self) -> tuple[str, str] | None:
        """The course's public GitHub repository and branch (`repository` in _config.yml),
        from which a notebook opened on Colab or Binder installs the course's tools."""
        import yaml

        try:
            config = yaml.safe_load((self.root / "_config.yml").read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            return None
        repo = config.get("repository") or {}
        url = str(repo.get("url", "")).rstrip("/")
        if not url.startswith("https://github.com/"):
            return None
        return url, str(repo.get("branch") or "main")

    def assignment(self, assignment_id: str) -> Assignment:
        path = self.source_dir / assignment_id / QUESTIONS_FILE
        if not path.is_file():
            raise CourseError(f"{path}: no questions file for assignment '{assignment_id}'")
        try:
            assignment = load_assignment(path)
        except QuestionError as exc:
            raise CourseError(str(exc)) from None
        if assignment.id != assignment_id:
            raise CourseError(f"{path}: id is '{assignment.id}' but the folder is '{assignment_id}'")
        return assignment


def find_course(start: Path | None = None) -> Course:
    """The course whose folder holds `start` (default: the current directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if (folder / "solutions").is_dir() and (folder / "_config.yml").is_file():
            return Course(folder)
    raise CourseError(f"{here}: not inside the course (no folder above it holds _config.yml and solutions/)")
