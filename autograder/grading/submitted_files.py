"""Submitted files are read, never followed.

A student controls everything under their folder: a file may be a symbolic link to the
instructor's solutions, a named pipe that blocks whoever opens it, a device, or a file
that changes while it is read.  So each path component below the submissions folder is
checked without following links and opened with O_NOFOLLOW relative to the folder
already open (a link swapped in after the check is refused by the kernel, not followed);
a file is opened only when it is a plain file (O_NONBLOCK, so a pipe swapped in cannot
block), read up to a limit, and refused when it changed while it was read.  Anything else
becomes a `SubmissionProblem` whose message says what it is.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from ..errors import SubmissionProblem
from .results import Status

CHUNK = 1 << 20
_FOLLOW_NOTHING = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


def kind_of(mode: int) -> str:
    """What a file is, in words an instructor reads."""
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def refusal(shown: str, mode: int, target: str | None = None) -> SubmissionProblem:
    """The problem for `shown` (a path as the instructor reads it), which is not what was expected."""
    if stat.S_ISLNK(mode):
        to = f" to {target}" if target else ""
        return SubmissionProblem(Status.LINK, f"{shown}: a symbolic link{to}; submitted files are read, never followed")
    return SubmissionProblem(Status.SPECIAL_FILE, f"{shown}: {kind_of(mode)}, not a plain file; it was not opened")


def _link_target(name: str, dir_fd: int) -> str | None:
    with contextlib.suppress(OSError):
        return os.readlink(name, dir_fd=dir_fd)
    return None


class SubmittedFolder:
    """A student's assignment folder (`base/relative`), opened without following a link at
    any level below `base` (the submissions folder the instructor named).  Use it in a
    `with` block; `entries` maps each name in it to its file mode, links not followed."""

    def __init__(self, base: Path, relative: Path):
        self.path = base / relative
        self.fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
        try:
            shown = Path()
            for part in relative.parts:
                shown /= part
                self._enter(part, shown)
            self.entries = self._list(shown)
        except BaseException:
            os.close(self.fd)
            raise

    def _list(self, shown: Path) -> dict[str, int]:
        entries = {}
        try:
            with os.scandir(self.fd) as listing:
                for entry in listing:
                    with contextlib.suppress(FileNotFoundError):   # gone since it was listed
                        entries[entry.name] = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            raise SubmissionProblem(Status.UNREADABLE, f"{shown}/: cannot be listed ({exc.strerror})") from None
        return entries

    def _enter(self, part: str, shown: Path) -> None:
        self._check_folder(part, shown)
        try:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=self.fd)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):   # swapped for something else after the check
                self._check_folder(part, shown)
            raise SubmissionProblem(Status.UNREADABLE, f"{shown}/: cannot be opened ({exc.strerror})") from None
        os.close(self.fd)
        self.fd = inner

    def _check_folder(self, part: str, shown: Path) -> None:
        try:
            mode = os.stat(part, dir_fd=self.fd, follow_symlinks=False).st_mode
        except FileNotFoundError:
            raise SubmissionProblem(Status.MISSING, f"{shown}/: no such folder in the submission") from None
        if stat.S_ISREG(mode):
            raise SubmissionProblem(Status.MISSING, f"{shown}: a file where a folder was expected")
        if not stat.S_ISDIR(mode):
            raise refusal(f"{shown}/", mode, _link_target(part, self.fd))

    def __enter__(self) -> SubmittedFolder:
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.fd)

    def read(self, name: str, limit: int) -> bytes:
        """The bytes of the plain file `name`, or a SubmissionProblem saying why not."""
        shown = name
        mode = self.entries.get(name)
        if mode is None:
            raise SubmissionProblem(Status.MISSING, f"{shown}: no such file")
        if not stat.S_ISREG(mode):
            raise refusal(shown, mode, _link_target(name, self.fd))
        try:
            fd = os.open(name, _FOLLOW_NOTHING, dir_fd=self.fd)
        except OSError as exc:
            if exc.errno == errno.ELOOP:   # swapped for a link after it was listed
                raise refusal(shown, stat.S_IFLNK, _link_target(name, self.fd)) from None
            raise SubmissionProblem(Status.UNREADABLE, f"{shown}: cannot be read ({exc.strerror})") from None
        with os.fdopen(fd, "rb", buffering=0) as handle:
            before = os.fstat(fd)
            if not stat.S_ISREG(before.st_mode):   # swapped after it was listed
                raise refusal(shown, before.st_mode)
            if before.st_size > limit:
                raise SubmissionProblem(Status.TOO_LARGE,
                                        f"{shown}: {before.st_size / 1e6:.0f} MB is more than a notebook should be")
            data = bytearray()
            while len(data) <= limit:
                chunk = handle.read(CHUNK)
                if not chunk:
                    break
                data += chunk
            after = os.fstat(fd)
        if len(data) > limit:
            raise SubmissionProblem(Status.TOO_LARGE, f"{shown}: it grew past {limit / 1e6:.0f} MB while it was read")
        if len(data) != after.st_size or (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
            raise SubmissionProblem(Status.UNREADABLE, f"{shown}: it changed while it was read; grade it again")
        return bytes(data)

    def odd_entries(self, skip: set[str]) -> list[SubmissionProblem]:
        """Every entry that is neither a plain file nor a folder (links, pipes, devices),
        except those in `skip` (read, and so reported, elsewhere)."""
        return [refusal(name, mode, _link_target(name, self.fd)) for name, mode in sorted(self.entries.items())
                if name not in skip and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))]


def fingerprint_tree(folder: Path, digest) -> None:
    """Feed what `folder` holds into `digest` without following a link or opening anything
    but a plain file: a link counts by its target, a pipe or device by its kind."""
    for path in (folder.parent, folder):
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return   # nothing there: the digest of nothing
        if stat.S_ISLNK(mode):
            digest.update(b"link\0" + os.fsencode(os.readlink(path)))
            return
    if not stat.S_ISDIR(mode):
        digest.update(kind_of(mode).encode())
        return
    for root, dirs, files in os.walk(folder):   # never into a linked folder
        dirs.sort()
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(root, d))]):
            path = os.path.join(root, name)
            digest.update(os.fsencode(os.path.relpath(path, folder)) + b"\0")
            _feed(path, digest)


def _feed(path: str, digest) -> None:
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            digest.update(b"link\0" + os.fsencode(os.readlink(path)))
        elif not stat.S_ISREG(mode):
            digest.update(kind_of(mode).encode())
        else:
            fd = os.open(path, _FOLLOW_NOTHING)
            with os.fdopen(fd, "rb", buffering=0) as handle:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    return
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
    except OSError as exc:   # gone or unreadable: that too is a state worth regrading on
        digest.update(f"error {exc.errno}".encode())
