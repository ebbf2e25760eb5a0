"""nbgrader runs some of its tools by name (`alembic` when it creates a gradebook): make the
tools installed beside this Python findable even when its environment is not activated,
whoever calls nbgrader (the command line, a test, a notebook)."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def tools_on_path() -> None:
    here = str(Path(sys.executable).parent)
    if here not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = here + os.pathsep + os.environ.get("PATH", "")
