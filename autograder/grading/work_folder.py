"""The folder a submitted notebook runs in, as `nbgrader autograde` lays it out.

Stock autograde copies the student's whole submitted folder (but notebooks and the files
`CourseDirectory.ignore` names), then copies the assignment's own files over it, except
those `Autograde.exclude_overwriting` lists for the assignment: those stay as the student
handed them in.  So does this, with one difference: the assignment's own files are the
release's, never source/'s, so that a file only the instructor has (a solutions module)
never reaches a student's run.  A student's files hold no secret; they are read as every
submitted file is, never through a link (submitted_files.py), up to a size budget.
"""
from __future__ import annotations

import contextlib
import fnmatch
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SubmissionProblem
from ..execution.isolation import file_count
from .submitted_files import SubmittedFolder

MAX_STUDENT_BYTES = 64 * 1024 * 1024   # a student's own files, all together
PAGE = 4096
DISK_SLACK = 1024 * 1024   # of --disk, for the folders and what the sandbox makes before the code runs
FILES_SLACK = 64           # of its number of files, for the same
NBGRADER_IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]   # CourseDirectory.ignore's default
# what `nbgrader submit` and `nbgrader collect` add to every submission: nothing a notebook reads
NBGRADER_FILES = {"timestamp.txt", "submission_secret.txt"}


@dataclass(frozen=True)
class FileRules:
    """What the course's nbgrader configuration says about the files around a notebook."""
    ignore: tuple[str, ...] = tuple(NBGRADER_IGNORE)
    exclude_overwriting: tuple[str, ...] = ()   # of this assignment, relative to its folder


@dataclass
class Copied:
    """What was left out of the run's folder, one phrase each (remarks for the instructor)."""
    skipped: list[str] = field(default_factory=list)
    left: int = MAX_STUDENT_BYTES
    files: int = sys.maxsize   # files and folders: the sandbox's file system caps their number too


@contextlib.contextmanager
def work_folder(release_dir: Path, folder: SubmittedFolder, rules: FileRules, notes: list[str],
                disk_bytes: int | None = None):
    """Yields the folder to run the notebooks in: the release folder itself when the
    student handed in nothing but notebooks and nbgrader's files and nothing is excluded,
    else a temporary one laid out as stock autograde lays it out.  With `disk_bytes` (the
    sandbox's --disk), no more of the student's files than fit there beside the release's."""
    own = [name for name, mode in folder.entries.items()
           if not name.endswith(".ipynb") and name not in NBGRADER_FILES and not is_ignored(name, list(rules.ignore))
           and (stat.S_ISREG(mode) or stat.S_ISDIR(mode))]
    if not own and not rules.exclude_overwriting:
        yield release_dir
        return
    with tempfile.TemporaryDirectory(prefix="grade-files-") as scratch:
        work = Path(scratch)
        left, files = _room(release_dir, disk_bytes)
        copied = Copied(left=left, files=files)
        _copy_student_files(folder, work, list(rules.ignore), copied)
        if release_dir.is_dir():
            for path in sorted(release_dir.rglob("*")):
                relative = path.relative_to(release_dir)
                if (path.is_file() and not path.is_symlink() and path.suffix != ".ipynb"
                        and str(relative) not in rules.exclude_overwriting
                        and not is_ignored(str(path), list(rules.ignore))):
                    (work / relative).parent.mkdir(parents=True, exist_ok=True)
                    with contextlib.suppress(FileNotFoundError):
                        (work / relative).unlink()
                    shutil.copyfile(path, work / relative)
        if copied.skipped:
            notes.append("not copied into the run: " + ", ".join(copied.skipped[:5]))
        yield work


def _room(release_dir: Path, disk_bytes: int | None) -> tuple[int, int]:
    """How much of the student's files a run may hold (bytes, files): the budget, and no
    more than the run's file system has left once the release's files are in it.  Files that do not fit
    are left out, as the student's doing; copied, they would stop the sandbox from starting,
    which is graded again on every run as the machine's failure."""
    if disk_bytes is None:
        return MAX_STUDENT_BYTES, sys.maxsize
    files = [path for path in release_dir.rglob("*") if not path.is_symlink() and path.suffix != ".ipynb"]
    release = sum(_pages(path.stat().st_size) for path in files if path.is_file())
    return (max(0, min(MAX_STUDENT_BYTES, disk_bytes - release - DISK_SLACK)),
            max(0, file_count(disk_bytes) - len(files) - FILES_SLACK))


def _pages(size: int) -> int:
    """What a file of `size` bytes takes in a tmpfs: whole pages."""
    return -(-size // PAGE) * PAGE


def is_ignored(path: str, globs: list[str]) -> bool:
    """Whether a file's own name matches one of `CourseDirectory.ignore`'s globs, as
    nbgrader matches them (on the name, never the folders above it)."""
    return any(fnmatch.fnmatch(Path(path).name, glob) for glob in globs)


def _copy_student_files(folder: SubmittedFolder, into: Path, ignore: list[str], copied: Copied,
                        prefix: Path = Path()) -> None:
    for name, mode in sorted(folder.entries.items()):
        shown = prefix / name
        if name.endswith(".ipynb") or shown.name in NBGRADER_FILES and prefix == Path() or is_ignored(str(shown), ignore):
            continue
        if (stat.S_ISDIR(mode) or stat.S_ISREG(mode)) and copied.files <= 0:
            copied.skipped.append(f"{shown} (more files than --disk holds)")
            continue
        copied.files -= 1
        if stat.S_ISDIR(mode):
            try:
                with SubmittedFolder(folder.path, Path(name)) as inner:
                    (into / name).mkdir()
                    _copy_student_files(inner, into / name, ignore, copied, shown)
            except SubmissionProblem as problem:
                copied.skipped.append(f"{shown}/ ({problem.status})")
        elif stat.S_ISREG(mode):
            try:
                data = folder.read(name, copied.left)
            except SubmissionProblem as problem:
                copied.skipped.append(f"{shown} ({problem.status})")
                continue
            copied.left -= _pages(len(data))
            (into / name).write_bytes(data)
