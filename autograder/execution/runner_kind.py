"""`--runner`'s choices, in a module of their own so that the command line reads them
without importing the runners."""
from enum import StrEnum


class RunnerKind(StrEnum):
    WARM = "warm"        # warm workers that fork a sandboxed child per notebook (the default)
    PROCESS = "process"  # a new sandboxed Python per notebook
