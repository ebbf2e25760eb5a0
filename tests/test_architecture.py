"""The import rules hold (no cycle in the grader, the toolkit apart from the course's
content, the layers of pyproject.toml's import-linter contracts), and the checks of them
can fail: a planted violation in a copy of the packages is caught."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import ROOT

CHECKER = Path(__file__).parent / "tools" / "import_rules.py"
PACKAGES = ("autograder", "coursebook", "contested_peace")


def run(*argv: str, cwd: Path = ROOT, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"PYTHONPATH": str(pythonpath)} if pythonpath else {})}
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def planted_copy(tmp_path: Path, plant) -> Path:
    """The three packages and pyproject.toml, copied, with `plant(root)` applied."""
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    plant(tmp_path)
    return tmp_path


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_no_cycle_and_no_import_of_course_content():
    checked = run(sys.executable, str(CHECKER))
    assert checked.returncode == 0, checked.stdout + checked.stderr


LINT_IMPORTS = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"]   # no cache folder in the checkout


def test_import_linter_contracts_are_kept():
    checked = run(*LINT_IMPORTS)
    assert checked.returncode == 0, checked.stdout[-3000:]
    assert "3 kept, 0 broken" in checked.stdout


def test_a_cycle_hidden_in_a_function_is_caught(tmp_path):
    # core.plain importing the grading results inside a function: a cycle, and an upward import
    copy = planted_copy(tmp_path, lambda root: append(
        root / "autograder" / "core" / "plain.py",
        "\n\ndef _planted():\n    from autograder.grading.results import Status\n    return Status\n"))
    checked = run(sys.executable, str(CHECKER), pythonpath=copy)
    assert checked.returncode == 1 and "import cycle" in checked.stdout and "autograder.core.plain" in checked.stdout
    linted = run(*LINT_IMPORTS, cwd=copy, pythonpath=copy)
    assert linted.returncode != 0 and "BROKEN" in linted.stdout


def test_the_grader_importing_course_content_is_caught(tmp_path):
    copy = planted_copy(tmp_path, lambda root: append(
        root / "autograder" / "course.py", "\n\ndef _planted():\n    import contested_peace.datasets\n"))
    checked = run(sys.executable, str(CHECKER), pythonpath=copy)
    assert checked.returncode == 1 and "toolkit imports course content: autograder.course -> contested_peace" in checked.stdout
    linted = run(*LINT_IMPORTS, cwd=copy, pythonpath=copy)
    assert linted.returncode != 0 and "The grader depends on no book and no course BROKEN" in linted.stdout


def test_the_toolkit_and_the_course_are_two_distributions():
    import tomllib

    toolkit = tomllib.loads((ROOT / "toolkit" / "pyproject.toml").read_text(encoding="utf-8"))
    course = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert toolkit["project"]["name"] == "coursekit" and "contested" not in (ROOT / "toolkit" / "pyproject.toml").read_text()
    assert toolkit["tool"]["setuptools"]["packages"]["find"]["include"] == ["autograder*", "coursebook*"]
    assert toolkit["project"]["scripts"] == {"course": "coursebook.cli:main"}
    # the course ships only its content and requires the toolkit, never a copy of it
    assert course["tool"]["setuptools"]["packages"]["find"]["include"] == ["contested_peace*"]
    assert any(req.startswith("coursekit") for req in course["project"]["dependencies"])
    assert "scripts" not in course["project"]


def test_every_toolkit_module_imports_without_the_course_content(tmp_path):
    # from outside the checkout, with the course's package made unimportable
    code = ("import importlib, pkgutil, sys\n"
            "sys.modules['contested_peace'] = None\n"
            "names = [info.name for package in ('autograder', 'coursebook')\n"
            "         for info in pkgutil.walk_packages(importlib.import_module(package).__path__, package + '.')]\n"
            "for name in names:\n"
            "    importlib.import_module(name)\n"
            "print(len(names))\n")
    imported = run(sys.executable, "-c", code, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr[-3000:]
    assert int(imported.stdout) > 50
