"""Inside the warm worker's sandbox: give one forked child a sandbox of its own.

The warm worker (warm_worker.py) runs in a bubblewrap sandbox that has no scratch folder:
its /jobs holds the scratch folder of the one submission it is grading.  For each
submission it forks a child that calls `enter_own_namespaces` and `mount_own_scratch`:
new user, mount, PID, IPC, UTS and network namespaces; a sized tmpfs at /sandbox (the
--disk limit) with a copy of that submission's release files, its tmp/ bound at /tmp;
/dev read-only with a /dev/shm of its own; and /jobs covered by an
empty read-only file system, so that nothing of another submission (or of the next) is
reachable.  The child then drops every capability
(`drop_privileges`) before any student code runs.  These are Linux system calls, made
through the C library because Python 3.11 has no os.unshare or mount.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 4, 24, 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
LAST_CAPABILITY = 63
CAPABILITY_VERSION_3 = 0x20080522

JOBS = "/jobs"            # the warm worker's folder of scratch folders, as it sees it
PYTHON_ALIASES = "/opt/grader-python"   # the Python folders again, to bind back over a new /tmp
SHM_MB = 64               # a child's /dev/shm (memory, so small: the process's own memory limit does not count it)
# at most a file per page of a file system's size: each costs the kernel memory that its
# size does not count (a million empty files, a gigabyte), so a size alone does not cap it
BYTES_PER_FILE = 4096

_libc = ctypes.CDLL(None, use_errno=True)


class IsolationError(OSError):
    pass


def _check(result: int, what: str) -> None:
    if result != 0:
        number = ctypes.get_errno()
        raise IsolationError(number, f"{what}: {os.strerror(number)}")


def _bytes(text: str | None) -> bytes | None:
    return text.encode() if text is not None else None


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(_libc.mount(_bytes(source), _bytes(target), _bytes(fstype), flags, _bytes(data)), f"mount {target}")


def enter_own_namespaces() -> None:
    """Leave the warm worker's namespaces: the caller's children are born in a new PID
    namespace (the first is its init), and the caller has a mount table of its own."""
    uid, gid = os.getuid(), os.getgid()
    _check(_libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET),
           "unshare")
    with open("/proc/self/setgroups", "w") as handle:
        handle.write("deny")
    with open("/proc/self/uid_map", "w") as handle:
        handle.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as handle:
        handle.write(f"{gid} {gid} 1")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)   # nothing mounted here propagates back


def mount_own_scratch(job: str, python_under_tmp: list[str], disk_bytes: int) -> None:
    """A file system of `disk_bytes` of its own at /sandbox (all the code may write, /tmp
    included) holding a copy of the submission's release files, then every scratch folder
    hidden.  A Python installed under /tmp (a fresh clone's venv) is bound back over the new
    /tmp from its alias, as bubblewrap binds it for the process runner."""
    _mount("tmpfs", "/sandbox", "tmpfs", MS_NOSUID | MS_NODEV,
           f"size={disk_bytes},nr_inodes={file_count(disk_bytes)},mode=755")
    shutil.copytree(f"{JOBS}/{job}/work", "/sandbox/work", symlinks=True)
    for name in ("home", "tmp", "runtime"):
        os.mkdir(f"/sandbox/{name}")
    _mount("/sandbox/tmp", "/tmp", None, MS_BIND | MS_REC)
    for index, folder in enumerate(python_under_tmp):
        os.makedirs(folder, exist_ok=True)
        _mount(f"{PYTHON_ALIASES}/{index}", folder, None, MS_BIND | MS_REC)
        _mount(None, folder, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    _mount("tmpfs", JOBS, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=555")
    # the worker's /dev is shared by its children one after another: read-only for each,
    # with a fresh /dev/shm (Python's multiprocessing keeps its semaphores there)
    _mount("/dev", "/dev", None, MS_BIND | MS_REC)
    _mount(None, "/dev", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)   # its flags, read-only
    _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,   # made by warm.py
           f"size={SHM_MB}m,nr_inodes={file_count(SHM_MB << 20)},mode=1777")


def file_count(size_bytes: int) -> int:
    """How many files a file system of `size_bytes` may hold."""
    return max(1024, size_bytes // BYTES_PER_FILE)


def cap_file_counts(scratch: str, disk_bytes: int) -> None:
    """In the process runner's sandbox, whose file systems bubblewrap made (it cannot cap
    their number of files): remount each with a cap, then drop every capability (bubblewrap
    left this process the one it needs for that), before any student code runs.  Run by a
    user other than root, bubblewrap puts this process in a user namespace of its own below
    the one that owns those file systems, which refuses the remount: they stay uncapped."""
    try:
        for folder, size in ((scratch, disk_bytes), ("/dev/shm", SHM_MB << 20)):
            _mount(None, folder, None, MS_REMOUNT | MS_NOSUID | MS_NODEV, f"nr_inodes={file_count(size)}")
    except IsolationError as exc:
        if exc.errno != errno.EPERM:
            raise
    drop_privileges()


def die_with_parent(signal_number: int) -> None:
    _libc.prctl(PR_SET_PDEATHSIG, signal_number, 0, 0, 0)


def drop_privileges() -> None:
    """No capability left in any set, none to regain (no new privileges), and the
    process's memory and descriptors closed to other processes (not dumpable)."""
    for capability in range(LAST_CAPABILITY + 1):
        _libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)   # past the kernel's last one: EINVAL, harmless
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    _check(_libc.capset(ctypes.byref(Header(CAPABILITY_VERSION_3, 0)), (Data * 2)()), "capset")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no new privileges")
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
