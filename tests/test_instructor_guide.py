"""The instructor guide walks exactly the path the hub test runs: every command its
grading loop shows (from releasing to exporting) is one tests/test_hub.py runs, verbatim,
as the instructor on a real JupyterHub, and every command that test runs is shown."""
import re

from helpers import ROOT
from test_hub import GUIDE_COMMANDS

GUIDE = ROOT / "book" / "instructor-guide.md"


def loop_commands() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    loop = text[text.index("## The grading loop"):text.index("## Changing the course")]
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", loop, flags=re.S):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


def test_every_command_of_the_guides_loop_is_one_the_hub_test_runs():
    shown = loop_commands()
    tested = [c for step in GUIDE_COMMANDS.values() for c in step]
    assert len(shown) >= 5
    assert [c for c in shown if c not in tested] == [], "the guide shows commands the hub test does not run"
    assert [c for c in tested if c not in shown] == [], "the hub test runs commands the guide does not show"
    # in the same order: the guide walks the path in the order the test does
    assert shown == tested


def lti_section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    return text[text.index("## Canvas and Moodle with LTI 1.3"):text.index("## Grading on many machines")]


def test_the_guides_lti_commands_are_the_ones_the_hub_test_runs():
    from test_hub import LTI_COMMANDS

    section = lti_section()
    assert all(command in section for command in LTI_COMMANDS)


def test_the_hubs_settings_the_guide_gives_exist():
    """Every `c.CourseLTI13Authenticator.NAME` (and `c.JupyterHub.NAME`) line of the guide's
    LTI section names a setting the hub has: a misspelt one would be ignored silently."""
    from jupyterhub.app import JupyterHub

    from autograder.lms.lti_hub import CourseLTI13Authenticator

    named = re.findall(r"^c\.(\w+)\.(\w+) = ", lti_section(), flags=re.M)
    assert {cls for cls, _ in named} == {"JupyterHub", "CourseLTI13Authenticator", "Authenticator"}
    for cls, name in named:
        owner = {"JupyterHub": JupyterHub, "Authenticator": CourseLTI13Authenticator}.get(cls, CourseLTI13Authenticator)
        assert owner.class_traits(config=True).get(name) is not None, f"c.{cls}.{name} is no setting"
