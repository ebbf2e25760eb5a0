"""Where student code runs: a bubblewrap sandbox with limits.

Host side.  Inside the sandbox the student's code sees the Python installation read-only,
the packages the assignment imports (read-only: the grader, and the course's own
packages named in its configuration) and one scratch folder holding a copy of the
released assignment; nothing else of the machine exists there: not solutions/, not the
gradebook, not other submissions, not the grading workspace.  It has no network.

Its only writable place is a tmpfs of the --disk size (the scratch copy, /tmp, home), made
for it alone and gone with it; /dev/shm is another small one.
Limits (limits.py): the worker sets memory (address space), file size and processes on
itself and keeps the output count (worker.py); the launcher holds the notebook's
deadline and reads at most the output limit and a frame (launcher.py, channel.py).  A process limit set with setrlimit binds only processes that are
not root, so when grading runs as root a pids cgroup holds the sandbox instead.
"""
from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

from ..errors import SandboxUnavailable
from .isolation import JOBS, PYTHON_ALIASES, SHM_MB
from .limits import Limits

MB = 1024 * 1024
NO_SANDBOX_HINT = ("install bubblewrap (apt-get install bubblewrap) or, to run student code with "
                   "your own rights, pass --no-sandbox")

# Host files a Python process needs from /etc; the rest of /etc stays out of reach.
ETC_FILES = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "passwd", "group", "nsswitch.conf",
             "hosts", "ssl", "fonts", "mime.types", "alternatives", "matplotlibrc"]
INSIDE = Path("/sandbox")           # the scratch folder, as the student's code sees it
LIBRARY = Path("/opt/grader-lib")    # the course packages, as the student's code sees them
RELEASE = Path("/opt/grader-release")   # the host's copy of the release, read-only: copied to INSIDE/work
SCRATCH_FS = Path("/tmp")           # the sized file system of one sandbox: INSIDE and /tmp live in it


@functools.cache
def sandbox_problem() -> str | None:
    """Why bubblewrap cannot be used here, or None when it works."""
    if not sys.platform.startswith("linux"):
        return f"no sandbox for {sys.platform}: bubblewrap needs Linux"
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed"
    probe = subprocess.run([bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or ["it exited with an error"])[-1]
        return f"bubblewrap does not work here ({reason}; are user namespaces disabled?)"
    return None


def require_sandbox() -> None:
    problem = sandbox_problem()
    if problem:
        raise SandboxUnavailable(f"refusing to run student code without a sandbox: {problem}; {NO_SANDBOX_HINT}")


GRADER_PACKAGE = "autograder"   # the worker itself and the student's check run from it


def package_dirs(packages: tuple[str, ...] = ()) -> list[Path]:
    """The folders of the packages the student's code may import: the grader's, and the
    course's own (`course.packages` in its _config.yml: its setup cells import them)."""
    import importlib
    dirs = []
    for name in dict.fromkeys((GRADER_PACKAGE, *packages)):
        with contextlib.suppress(ImportError):
            # __path__, not __file__: an editable install may present a package as a namespace
            dirs += [Path(p) for p in importlib.import_module(name).__path__ if Path(p).is_dir()][:1]
    return dirs


def _python_dirs() -> list[Path]:
    prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    prefixes.add(Path(sys.executable).resolve().parent.parent)
    # a venv is also bound at its own (unresolved) path, so its bin/python link works
    prefixes.add(Path(sys.prefix).absolute())
    return sorted(p for p in prefixes if not str(p).startswith("/usr"))


def bwrap_argv(work: Path, limits: Limits, packages: tuple[str, ...] = ()) -> list[str]:
    """bubblewrap's arguments for a sandbox whose only writable place is one file system of
    `limits.disk_mb` (a tmpfs at /tmp, which holds INSIDE), where the worker copies `work`,
    the release's files (bound read-only at RELEASE).  Nothing written there outlives it."""
    # /tmp first: a Python installed under /tmp (a fresh clone's venv) is bound inside it after
    binds = ["--size", str(limits.disk_mb * MB), "--tmpfs", str(SCRATCH_FS),
             "--dir", str(SCRATCH_FS / INSIDE.name), "--symlink", str(SCRATCH_FS / INSIDE.name), str(INSIDE),
             "--ro-bind", str(work), str(RELEASE), "--size", str(SHM_MB * MB), "--tmpfs", "/dev/shm"]
    # the worker caps the number of files of both file systems, then drops this (worker.py)
    return _bwrap(binds, packages) + ["--cap-add", "CAP_SYS_ADMIN", "--chdir", "/"]


def warm_bwrap_argv(jobs: Path, packages: tuple[str, ...] = ()) -> list[str]:
    """bubblewrap's arguments for a warm worker (warm_worker.py), whose only writable folder
    is `jobs`, the folder of its scratch folders: each child mounts its own at /sandbox and
    /tmp (isolation.py), and binds back from their aliases the Python folders under /tmp."""
    binds = ["--bind", str(jobs), JOBS, "--dir", str(INSIDE), "--tmpfs", "/tmp", "--dir", "/dev/shm"]
    for index, folder in enumerate(python_dirs_under_tmp()):
        binds += ["--ro-bind", str(folder), f"{PYTHON_ALIASES}/{index}"]
    # forked children must not inherit a math library's thread pool that fork left behind
    threads = [arg for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
               for arg in ("--setenv", name, "1")]
    return _bwrap(binds, packages) + threads + ["--chdir", "/"]


def python_dirs_under_tmp() -> list[Path]:
    return [folder for folder in _python_dirs() if Path("/tmp") in folder.parents]


def _bwrap(scratch_binds: list[str], packages: tuple[str, ...]) -> list[str]:
    argv = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr"]
    for top in ("bin", "sbin", "lib", "lib32", "lib64"):
        host = Path("/") / top
        if host.is_symlink():
            argv += ["--symlink", os.readlink(host), str(host)]
        elif host.is_dir():
            argv += ["--ro-bind", str(host), str(host)]
    for name in ETC_FILES:
        argv += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    argv += ["--proc", "/proc", "--dev", "/dev", *scratch_binds]
    for folder in _python_dirs():
        argv += ["--ro-bind", str(folder), str(folder)]
    for folder in package_dirs(packages):
        argv += ["--ro-bind", str(folder), str(LIBRARY / folder.name)]
    argv += ["--remount-ro", "/", "--clearenv"]
    for key, value in sandbox_environment(INSIDE).items():
        argv += ["--setenv", key, value]
    return argv


def sandbox_environment(home: Path) -> dict[str, str]:
    """A bare environment: nothing of the grader's own (tokens, database URLs) leaks in."""
    return {"HOME": str(home / "home"), "TMPDIR": str(home / "tmp"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTER_CONFIG_DIR": str(home / "home" / ".jupyter"), "IPYTHONDIR": str(home / "home" / ".ipython"),
            "MPLCONFIGDIR": str(home / "home" / ".matplotlib"), "MPLBACKEND": "Agg",
            "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
            "PYTHONPATH": str(LIBRARY), "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}


def prepare_scratch(scratch: Path, parents: bool = False) -> None:
    for name in ("home", "tmp", "runtime"):
        (scratch / name).mkdir(parents=parents, exist_ok=True)


@contextlib.contextmanager
def process_cgroup(limits: Limits):
    """A pids cgroup for one sandbox when grading runs as root (rlimits do not bind root);
    yields the file a process writes its pid to, or None where there is no such cgroup."""
    folder = None
    if os.geteuid() == 0:
        for base in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
            if (base / "cgroup.procs").is_file() and os.access(base, os.W_OK) and _has_pids(base):
                folder = base / f"course-grade-{uuid.uuid4().hex[:12]}"
                try:
                    folder.mkdir()
                    (folder / "pids.max").write_text(str(limits.processes))
                except OSError:
                    with contextlib.suppress(OSError):
                        folder.rmdir()
                    folder = None
                    continue
                break
    try:
        yield folder / "cgroup.procs" if folder else None
    finally:
        if folder is not None:
            _remove_cgroup(folder)


def _has_pids(base: Path) -> bool:
    if base.name == "pids":
        return True
    controls = base / "cgroup.subtree_control"
    return controls.is_file() and "pids" in controls.read_text().split()


def _remove_cgroup(folder: Path) -> None:
    import time
    for _ in range(50):   # the sandbox's processes may take a moment to be reaped
        try:
            folder.rmdir()
            return
        except OSError:
            with contextlib.suppress(OSError):
                for pid in (folder / "cgroup.procs").read_text().split():
                    os.kill(int(pid), 9)
            time.sleep(0.1)


def in_cgroup(procs_file: Path | None, argv: list[str]) -> list[str]:
    """Prefix `argv` so that its process joins the cgroup before it starts anything."""
    if procs_file is None:
        return argv
    return ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(procs_file), *argv]
