"""Inside the sandbox: what each cell produced, as a Jupyter kernel would record it, and
the IPython shell that reports to the recorder (worker.py runs the cells)."""
from __future__ import annotations

import io
import sys

EVALUE_LIMIT = 1000        # of an error's message: enough to see what went wrong
RESULT_TEXT_LIMIT = 100    # of a result past the output limit: enough for nbgrader's partial credit


class CappedStream(io.TextIOBase):
    """sys.stdout or sys.stderr: hands what is printed to the recorder, which keeps it up
    to the output limit and counts the rest."""

    def __init__(self, name: str, recorder: Recorder):
        self.name, self.recorder = name, recorder

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        text = str(text)
        if text:
            self.recorder.printed(self.name, text)
        return len(text)


class Recorder:
    """What each cell produced, as nbformat outputs: printed text, its result, what it
    displayed and the error it raised.  Everything printed or displayed is counted against
    the output limit; what comes after the limit is counted but not kept."""

    def __init__(self, output_limit: int):
        self.output_limit, self.seen, self.kept = output_limit, 0, 0
        self.start_cell()

    def start_cell(self) -> None:
        self.cell_outputs, self.failed = [], False

    def _room(self, size: int) -> int:
        """Count `size` more bytes; how many of them may still be kept."""
        self.seen += size
        room = max(0, min(size, self.output_limit - self.kept))
        self.kept += room
        return room

    def printed(self, stream: str, text: str) -> None:
        size = len(text.encode("utf-8", "replace"))
        room = self._room(size)
        kept = text if room == size else text.encode("utf-8", "replace")[:room].decode("utf-8", "ignore")
        last = self.cell_outputs[-1] if self.cell_outputs else None
        if last is not None and last["output_type"] == "stream" and last["name"] == stream:
            last["text"] += kept
        else:
            self.cell_outputs.append({"output_type": "stream", "name": stream, "text": kept})

    def _bundle(self, format_dict: dict) -> dict | None:
        """The text forms of a rich output (images come base64-encoded, as text), or None
        once the limit is reached."""
        data = {mime: value for mime, value in format_dict.items() if isinstance(value, str)}
        size = sum(len(v) for v in data.values())
        return data if self._room(size) == size else None

    def result(self, format_dict: dict) -> None:
        # past the limit a cell's result still keeps the start of its plain text (one per
        # cell at most): nbgrader's partial credit reads a test cell's result
        data = self._bundle(format_dict) or {"text/plain": str(format_dict.get("text/plain", ""))[:RESULT_TEXT_LIMIT]}
        self.cell_outputs.append({"output_type": "execute_result", "execution_count": None, "metadata": {},
                                  "data": data})

    def display(self, format_dict: dict) -> None:
        data = self._bundle(format_dict)
        if data is not None:
            self.cell_outputs.append({"output_type": "display_data", "metadata": {}, "data": data})

    def error(self, name: str, value: str = "") -> None:
        self.cell_outputs.append({"output_type": "error", "ename": name, "evalue": value[:EVALUE_LIMIT],
                                  "traceback": []})
        self.failed = True

    def shown(self, error: tuple) -> None:
        """IPython showed the traceback of `error` (its type and value).  One error output
        per cell is kept (it alone decides the score): a cell that shows tracebacks in a
        loop grows nothing."""
        kind, value = error
        if kind is not None and not self.failed:
            self.error(kind.__name__, message_of(value))

    @property
    def flooded(self) -> bool:
        return self.seen > self.output_limit


def make_shell(recorder: Recorder):
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class RecordingDisplayHook(DisplayHook):
        """A cell's result (its last expression) becomes an execute_result, as in Jupyter."""

        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            recorder.result(format_dict)

    class RecordingDisplayPublisher(DisplayPublisher):
        """display(...) becomes a display_data output, as in Jupyter."""

        def publish(self, data, metadata=None, *args, **kwargs):
            recorder.display(data)

    class GradingShell(InteractiveShell):
        displayhook_class = RecordingDisplayHook
        display_pub_class = RecordingDisplayPublisher

        # A kernel sends an error output each time IPython shows a traceback, also for an error
        # that a cell magic caught (`%%capture`), and nbgrader scores that cell 0: so here too.
        # The error's name and message are all grading keeps.
        def showtraceback(self, exc_tuple=None, *args, **kwargs):
            recorder.shown((exc_tuple or sys.exc_info())[:2])

        def showsyntaxerror(self, *args, **kwargs):
            recorder.shown(sys.exc_info()[:2])

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "NoColor"
    return GradingShell.instance(config=config)


def message_of(failure) -> str:
    try:
        return str(failure) if failure is not None else "the cell ran too long and was stopped"
    except Exception:   # a student's exception whose str() itself fails
        return ""
