"""`course new DIR --title "..."`: a new course of one's own, working as it stands.

The new folder is made from the templates in `scaffold/` beside this module: a book with
one example chapter (a glossary term, a citation, a widget, a practice question), one
assignment with a question of every kind, the course's own small package, its tests, its
README, dev.sh and CI script.  It requires the toolkit as a package (`--toolkit`), never
a copy of its code.  In the templates, a path part `dot-x` becomes `.x` (so that the
packaged templates hold no hidden files) and these words are filled in:

    __TITLE__           the title, as written
    __TITLE_ESCAPED__   the title escaped for a double-quoted string (in YAML and TOML alike)
    __SLUG__            the course's name: its distribution, salt namespace, nbgrader course id
    __PACKAGE__         the importable package of its widgets, practice questions and data
    __SEED__            a fresh random seed for the per-student versions of questions
    __TOOLKIT__         the toolkit's pip requirement; __TOOLKIT_ESCAPED__ escaped as the title
    __YEAR__            this year
"""
from __future__ import annotations

import contextlib
import datetime
import importlib.util
import json
import keyword
import re
import secrets
import sys
import unicodedata
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

from autograder.errors import UsageError

TOOLKIT_DISTRIBUTION = "coursekit"           # toolkit/pyproject.toml's name
TEMPLATES = "scaffold"                       # beside this module
EXECUTABLES = ("dev.sh", ".ci/run")
TOKEN = re.compile(r"__[A-Z]+(?:_[A-Z]+)*__")
# names a course's package must not take: the toolkit's, and the course's own folders
RESERVED = {"autograder", "coursebook", "book", "solutions", "exercises", "test", "tests", "docs"}
MAX_TITLE = 120


def default_toolkit() -> str:
    """The toolkit's distribution name, bound to this version's series (0.1 -> >=0.1,<0.2)."""
    try:
        major, minor = (int(part) for part in metadata.version(TOOLKIT_DISTRIBUTION).split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return TOOLKIT_DISTRIBUTION
    upper = f"{major}.{minor + 1}" if major == 0 else f"{major + 1}"
    return f"{TOOLKIT_DISTRIBUTION}>={major}.{minor},<{upper}"


def check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise UsageError("--title: the course needs a title")
    if any(unicodedata.category(ch).startswith("C") for ch in title):
        raise UsageError(f"--title: {title[:40]!r} holds a control character (a line break, a tab ...)")
    if len(title) > MAX_TITLE:
        raise UsageError(f"--title: at most {MAX_TITLE} characters, not {len(title)}")
    if not slug_of(title):
        raise UsageError(f"--title: {title!r} needs a letter or a digit, to name the course by")
    return title


def slug_of(title: str) -> str:
    """'Climate Policy: an Introduction' -> 'climate-policy-an-introduction' (ASCII, at most 40)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:40].strip("-")


def package_of(slug: str) -> str:
    """The course's importable package, from its slug; never a name Python, the toolkit,
    an installed package (pandas ...) or the course's own folders already use."""
    name = slug.replace("-", "_")
    if name[0].isdigit():
        name = f"course_{name}"
    if keyword.iskeyword(name) or name in sys.stdlib_module_names or name in RESERVED or _importable(name):
        name = f"{name}_course"
    return name


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return True


def toolkit_requirement(spec: str) -> str:
    """`--toolkit` as a pip requirement: a folder (holding the toolkit's pyproject.toml), a
    git URL or a requirement (a name with a version bound, or `name @ url`)."""
    from packaging.requirements import InvalidRequirement, Requirement

    spec = spec.strip()
    if not spec:
        raise UsageError("--toolkit: give a requirement, a git URL or the toolkit's folder")
    if spec.startswith(("/", "./", "../", "~")) or Path(spec).is_dir():
        folder = Path(spec).expanduser().resolve()
        if not (folder / "pyproject.toml").is_file():
            raise UsageError(f"--toolkit: {folder}: no pyproject.toml there (the toolkit's folder holds one)")
        requirement = f"{TOOLKIT_DISTRIBUTION} @ {folder.as_uri()}"
    elif re.match(r"^(git\+)?[a-z]+://", spec):
        git = spec.startswith("git+") or re.search(r"\.git($|[@#])", spec) or "github.com/" in spec
        requirement = f"{TOOLKIT_DISTRIBUTION} @ {'git+' if git and not spec.startswith('git+') else ''}{spec}"
    else:
        requirement = spec
    try:
        Requirement(requirement)
    except InvalidRequirement as exc:
        raise UsageError(f"--toolkit: {spec!r} is not a pip requirement ({str(exc).splitlines()[0]})") from None
    return requirement


def students_cannot_install(requirement: str) -> str | None:
    """Why the students' notebooks could not install the toolkit from `requirement` (None:
    they can): a folder on this machine is a file:// URL, which no student's Colab, Binder
    or hub session can reach."""
    if "file:" not in requirement:
        return None
    return (f"the toolkit's requirement ({requirement}) is a folder on this machine: students' notebooks on "
            f"Colab or Binder cannot install from it. Fine while you try the course out; before students "
            f"use it, set course.toolkit in _config.yml (and the dependency in pyproject.toml) to a git URL "
            f"(git+https://...#subdirectory=toolkit) or a published version, then run `course release`")


def template_files(folder: Traversable | None = None, prefix: tuple[str, ...] = ()):
    """(relative path parts, template file) for every file of the templates."""
    folder = folder or resources.files(__package__) / TEMPLATES
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name in ("__pycache__", ".pytest_cache"):
            continue
        if entry.is_dir():
            yield from template_files(entry, (*prefix, entry.name))
        else:
            yield (*prefix, entry.name), entry


def render(text: str, values: dict[str, str], where: str) -> str:
    """Fill in the template words in one pass (a title may itself look like one)."""
    def fill(match: re.Match) -> str:
        if match.group() not in values:   # a template naming a word this module does not fill: a toolkit bug
            raise RuntimeError(f"{TEMPLATES}/{where}: unknown template word {match.group()}")
        return values[match.group()]
    return TOKEN.sub(fill, text)


def _target(parts: tuple[str, ...], values: dict[str, str]) -> Path:
    named = (values["__PACKAGE__"] if part == "__PACKAGE__" else "." + part[4:] if part.startswith("dot-") else part
             for part in parts)
    return Path(*named)


def new_course(folder: Path, title: str, toolkit: str | None = None, *, release: bool = True) -> Path:
    """Write a new course into `folder` (which must not exist, or be empty), then release
    its assignment into exercises/.  Never overwrites a file."""
    title = check_title(title)
    requirement = toolkit_requirement(toolkit if toolkit is not None else default_toolkit())
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder}: already exists and is not empty; `course new` writes only into a new or empty folder")
    slug = slug_of(title)
    values = {
        "__TITLE_ESCAPED__": json.dumps(title, ensure_ascii=False)[1:-1],
        "__TITLE__": title,
        "__SLUG__": slug,
        "__PACKAGE__": package_of(slug),
        "__SEED__": secrets.token_hex(16),
        "__TOOLKIT_ESCAPED__": json.dumps(requirement)[1:-1],
        "__TOOLKIT__": requirement,
        "__YEAR__": str(datetime.date.today().year),
    }
    root = folder.resolve()
    for parts, template in template_files():
        target = root / _target(parts, values)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = render(template.read_text(encoding="utf-8"), values, "/".join(parts))
        with open(target, "x", encoding="utf-8") as file:   # "x": never overwrite
            file.write(text)
        if target.relative_to(root).as_posix() in EXECUTABLES:
            target.chmod(0o755)
    if release:
        release_new_course(root)
    return root


def release_new_course(root: Path) -> list[str]:
    """`course release` for a course whose own package is not installed yet: its folder
    holds the package, so it is importable from there while its keys are computed."""
    from autograder.authoring.release import release
    from autograder.course import Course

    sys.path.insert(0, str(root))
    try:
        return release(Course.at(root))
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(str(root))
