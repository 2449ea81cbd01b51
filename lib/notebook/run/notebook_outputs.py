"""nbformat 4 outputs from Jupyter iopub messages, and the live `[cell N] ` echo to stderr.

Used by lib/notebook/run/run_notebook.py (it imports this module from its own folder).
"""

import sys
import time

ECHO_MAX_CHARS = 400  # longer stream lines are shortened on stderr (never in the notebook)
# A display updated in place (a progress display) is echoed at most this often, plus its last
# state when the cell ends: the notebook updates it every second, a terminal log should not.
ECHO_DISPLAY_SECONDS = 15.0
OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error", "update_display_data",
                "clear_output")


def log(line):
    """One progress line to stderr, flushed at once (a terminal or runNotebook reads it live)."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


class Echo:
    """Live echo of one cell's streams to stderr, line by line, prefixed by `[cell N] `."""

    def __init__(self, number):
        self.prefix = f"[cell {number}] "
        self.partial = {}
        # display_id -> [last echo time, text not echoed yet or None, lines echoed last]
        self.displays = {}

    def display(self, display_id, text):
        """Echoes the text/plain of a display with an id, throttled (see ECHO_DISPLAY_SECONDS)."""
        now = time.monotonic()
        state = self.displays.setdefault(display_id, [-ECHO_DISPLAY_SECONDS, None, []])
        if now - state[0] >= ECHO_DISPLAY_SECONDS:
            state[0], state[1] = now, None
            self.emit_display(state, text)
        else:
            state[1] = text

    def emit_display(self, state, text):
        """The display's lines that changed since its last echo (not the unchanged ones again)."""
        lines = str(text).split("\n")
        for line in lines:
            if line not in state[2]:
                self.emit(line)
        state[2] = lines

    def write(self, name, text):
        buf = self.partial.get(name, "") + text
        *lines, rest = buf.split("\n")
        self.partial[name] = rest
        for line in lines:
            self.emit(line)

    def flush(self):
        for rest in self.partial.values():
            if rest:
                self.emit(rest)
        self.partial = {}
        for state in self.displays.values():
            if state[1] is not None:
                self.emit_display(state, state[1])
                state[1] = None

    def emit(self, line):
        """Writes one line to stderr with the cell prefix (long lines shortened)."""
        line = line.rstrip("\r")
        if "\r" in line:  # progress bars redraw with \r: show the last state only
            line = line.rsplit("\r", 1)[-1]
        if len(line) > ECHO_MAX_CHARS:
            line = f"{line[:ECHO_MAX_CHARS]}... ({len(line) - ECHO_MAX_CHARS} more chars)"
        log(self.prefix + line)


class OutputCollector:
    """Maps iopub messages to nbformat outputs for one cell."""

    def __init__(self, cell, displays, echo):
        self.outputs = cell["outputs"]
        self.displays = displays  # display_id -> list of output dicts (all cells)
        self.echo = echo
        self.display_updates = {}  # display_id -> update_display_data messages in this cell
        self.clear_pending = False
        self.execution_count = None

    def handle(self, msg):
        kind = msg["msg_type"]
        content = msg.get("content", {})
        if kind == "execute_input":
            self.execution_count = content.get("execution_count")
            return
        if kind == "clear_output":
            if content.get("wait"):
                self.clear_pending = True
            else:
                self.outputs.clear()
            return
        display_id = (content.get("transient") or {}).get("display_id")
        if display_id and kind in ("update_display_data", "display_data"):
            # As Jupyter frontends and nbclient do: every output shown with this id takes the
            # new data, so the executed notebook holds each display's final state only.
            for out in self.displays.get(display_id, []):
                out["data"] = content.get("data", {})
                out["metadata"] = content.get("metadata", {})
            text = content.get("data", {}).get("text/plain")
            if text is not None:
                self.echo.display(display_id, text)
        if kind == "update_display_data":
            if display_id:
                self.display_updates[display_id] = self.display_updates.get(display_id, 0) + 1
            return
        if kind not in ("stream", "display_data", "execute_result", "error"):
            return
        if self.clear_pending:
            self.outputs.clear()
            self.clear_pending = False
        # The kernel can send a cell's last outputs after its error: keep the error last.
        at = len(self.outputs)
        while at > 0 and self.outputs[at - 1]["output_type"] == "error":
            at -= 1
        if kind == "stream":
            name, text = content.get("name", "stdout"), content.get("text", "")
            self.echo.write(name, text)
            last = self.outputs[at - 1] if at > 0 else None
            if last and last["output_type"] == "stream" and last["name"] == name:
                last["text"] += text
            else:
                self.outputs.insert(at, {"output_type": "stream", "name": name, "text": text})
            return
        if kind == "error":
            self.add_error(content.get("ename", "Error"), content.get("evalue", ""),
                           content.get("traceback", []))
            return
        out = {"output_type": kind, "data": content.get("data", {}),
               "metadata": content.get("metadata", {})}
        if kind == "execute_result":
            out["execution_count"] = content.get("execution_count", self.execution_count)
        self.outputs.insert(at, out)
        if display_id:
            self.displays.setdefault(display_id, []).append(out)

    def add_error(self, ename, evalue, traceback):
        self.outputs.append({"output_type": "error", "ename": ename, "evalue": evalue,
                             "traceback": list(traceback)})
        for line in traceback:
            for part in str(line).split("\n"):
                self.echo.emit(part)

    def has_error(self):
        return any(o["output_type"] == "error" for o in self.outputs)
