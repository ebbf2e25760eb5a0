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
