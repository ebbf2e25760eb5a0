"""Submitted files are read, never followed: links at every level, pipes, devices,
sockets and files that change while read, on tiny folders (no sandbox).  Every test has
a timeout: a regression that opens a pipe must fail, not hang."""
from __future__ import annotations

import hashlib
import os
import socket
import stat
from pathlib import Path

import pytest

from autograder.errors import SubmissionProblem
from autograder.grading import submitted_files
from autograder.grading.results import Status
from autograder.grading.submitted_files import SubmittedFolder, fingerprint_tree

pytestmark = pytest.mark.timeout(20)

NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


@pytest.fixture
def subs(tmp_path) -> Path:
    """A submissions folder with one honest student, and the instructor's secret beside it."""
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "demo.ipynb").write_bytes(b'{"the": "solution"}')
    base = tmp_path / "submitted"
    (base / "honest" / "demo").mkdir(parents=True)
    (base / "honest" / "demo" / "demo.ipynb").write_bytes(NOTEBOOK)
    return base


def student(base: Path, name: str) -> Path:
    folder = base / name / "demo"
    folder.mkdir(parents=True)
    return folder


def problem_reading(base: Path, name: str, file: str = "demo.ipynb") -> SubmissionProblem:
    with pytest.raises(SubmissionProblem) as caught:
        with SubmittedFolder(base, Path(name, "demo")) as folder:
            folder.read(file, 1 << 20)
    return caught.value


def test_a_plain_notebook_is_read(subs):
    with SubmittedFolder(subs, Path("honest", "demo")) as folder:
        assert folder.read("demo.ipynb", 1 << 20) == NOTEBOOK and folder.odd_entries(skip=set()) == []


def test_a_notebook_that_links_to_the_solutions_is_not_followed(subs):
    os.symlink(subs.parent / "solutions" / "demo.ipynb", student(subs, "linker") / "demo.ipynb")
    found = problem_reading(subs, "linker")
    assert found.status == Status.LINK and "demo.ipynb: a symbolic link to " in found.message


def test_a_relative_link_and_a_dangling_link_are_links_too(subs):
    os.symlink("../../honest/demo/demo.ipynb", student(subs, "relative") / "demo.ipynb")
    os.symlink("/nowhere/at/all", student(subs, "dangling") / "demo.ipynb")
    assert problem_reading(subs, "relative").status == Status.LINK
    assert problem_reading(subs, "dangling").status == Status.LINK


def test_a_linked_assignment_folder_or_student_folder_is_not_entered(subs):
    (subs / "folderlink").mkdir()
    os.symlink(subs / "honest" / "demo", subs / "folderlink" / "demo")
    os.symlink(subs / "honest", subs / "studentlink")
    for name in ("folderlink", "studentlink"):
        with pytest.raises(SubmissionProblem) as caught:
            SubmittedFolder(subs, Path(name, "demo"))
        assert caught.value.status == Status.LINK and "a symbolic link to" in caught.value.message, name
        assert caught.value.message.startswith(f"{name}/"), caught.value.message


def test_a_pipe_is_never_opened(subs):
    os.mkfifo(student(subs, "piper") / "demo.ipynb")
    found = problem_reading(subs, "piper")
    assert found.status == Status.SPECIAL_FILE and "named pipe" in found.message


def test_a_pipe_in_place_of_the_assignment_folder(subs):
    (subs / "pipefolder").mkdir()
    os.mkfifo(subs / "pipefolder" / "demo")
    with pytest.raises(SubmissionProblem) as caught:
        SubmittedFolder(subs, Path("pipefolder", "demo"))
    assert caught.value.status == Status.SPECIAL_FILE


def test_a_socket_a_folder_and_a_device_are_not_notebooks(subs):
    folder = student(subs, "odd")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "demo.ipynb"))
    try:
        assert problem_reading(subs, "odd").status == Status.SPECIAL_FILE
    finally:
        sock.close()
    (student(subs, "folder") / "demo.ipynb").mkdir()
    assert "a folder, not a plain file" in problem_reading(subs, "folder").message
    try:
        os.mknod(student(subs, "device") / "demo.ipynb", stat.S_IFCHR | 0o600, os.makedev(1, 5))   # /dev/zero
    except PermissionError:
        pytest.skip("making a device node needs root")
    found = problem_reading(subs, "device")
    assert found.status == Status.SPECIAL_FILE and "a device" in found.message


def test_a_file_swapped_for_a_link_or_a_pipe_after_listing_is_refused(subs):
    folder = student(subs, "swapper")
    (folder / "demo.ipynb").write_bytes(NOTEBOOK)
    with SubmittedFolder(subs, Path("swapper", "demo")) as opened:
        (folder / "demo.ipynb").unlink()
        os.symlink(subs.parent / "solutions" / "demo.ipynb", folder / "demo.ipynb")
        with pytest.raises(SubmissionProblem) as caught:
            opened.read("demo.ipynb", 1 << 20)
        assert caught.value.status == Status.LINK
        (folder / "demo.ipynb").unlink()
        os.mkfifo(folder / "demo.ipynb")
        with pytest.raises(SubmissionProblem) as caught:
            opened.read("demo.ipynb", 1 << 20)
        assert caught.value.status == Status.SPECIAL_FILE


def test_a_file_that_changes_while_it_is_read_is_refused(subs, monkeypatch):
    path = student(subs, "changer") / "demo.ipynb"
    path.write_bytes(NOTEBOOK)
    real_fstat, calls = os.fstat, []

    def fstat_then_append(fd):   # the student's editor saves again just after the read began
        result = real_fstat(fd)
        calls.append(fd)
        if len(calls) == 1:
            with open(path, "ab") as handle:
                handle.write(b" " * 10)
        return result
    monkeypatch.setattr(submitted_files.os, "fstat", fstat_then_append)
    found = problem_reading(subs, "changer")
    assert found.status == Status.UNREADABLE and "changed while it was read" in found.message


def test_a_file_over_the_limit_is_not_read(subs):
    (student(subs, "big") / "demo.ipynb").write_bytes(b"x" * 2000)
    with SubmittedFolder(subs, Path("big", "demo")) as folder, pytest.raises(SubmissionProblem) as caught:
        folder.read("demo.ipynb", 1000)
    assert caught.value.status == Status.TOO_LARGE


def test_odd_extra_files_are_listed_with_what_they_are(subs):
    folder = subs / "honest" / "demo"
    os.symlink("/etc/passwd", folder / "notes.txt")
    os.mkfifo(folder / "pipe")
    with SubmittedFolder(subs, Path("honest", "demo")) as opened:
        found = {p.message.split(":")[0]: p.status for p in opened.odd_entries(skip={"demo.ipynb"})}
    assert found == {"notes.txt": Status.LINK, "pipe": Status.SPECIAL_FILE}


def fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    fingerprint_tree(folder, digest)
    return digest.hexdigest()


def test_the_fingerprint_follows_no_link_and_opens_no_pipe(subs):
    folder = student(subs, "mixed")
    secret = subs.parent / "solutions" / "demo.ipynb"
    os.symlink(secret, folder / "demo.ipynb")
    os.mkfifo(folder / "pipe")
    (folder / "sub").mkdir()
    os.symlink(subs.parent / "solutions", folder / "sub" / "all")
    before = fingerprint(folder)
    secret.write_bytes(b'{"another": "solution"}')          # what the link points at is never read
    assert fingerprint(folder) == before
    (folder / "demo.ipynb").unlink()
    os.symlink("/elsewhere", folder / "demo.ipynb")          # where the link points is counted
    assert fingerprint(folder) != before


def test_the_fingerprint_of_a_linked_student_folder_is_its_target_only(subs):
    os.symlink(subs / "honest", subs / "studentlink")
    before = fingerprint(subs / "studentlink" / "demo")
    (subs / "honest" / "demo" / "demo.ipynb").write_bytes(b"changed")
    assert fingerprint(subs / "studentlink" / "demo") == before


def test_every_student_place_that_is_not_a_plain_file_is_listed(subs):
    from autograder.course import student_dirs
    os.symlink(subs / "honest", subs / "studentlink")
    os.mkfifo(subs / "pipestudent")
    (subs / "notes.txt").write_text("not a student")
    (subs / ".hidden").mkdir()
    assert [p.name for p in student_dirs(subs)] == ["honest", "pipestudent", "studentlink"]
