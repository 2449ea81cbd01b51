#!/usr/bin/python3
"""Execute a Jupyter notebook headlessly on the repo's Deno kernel, collecting every output.

Usage:
  JUPYTER_PATH=<repo>/jupyter /usr/bin/python3 lib/notebook/run/run_notebook.py <in.ipynb> --out <executed.ipynb>
      [--timeout SEC] [--env KEY=VALUE ...] [--cwd DIR]

Why not nbclient / `jupyter nbconvert --execute`: the Deno kernel (2.8, 2.9) can publish the
"idle" status before a cell's outputs, and those tools stop collecting at "idle", losing
results. Here, after each cell's execute_reply and "idle", a silent marker request
(`Deno.jupyter.broadcast("arcface_marker", {n})`) is sent and the cell's outputs are collected
until the marker comes back on iopub (the kernel publishes in order).

"cell N" is the N-th code cell (markdown and raw cells are not counted); on a fresh kernel it is
also the cell's execution count. Exit codes: 0 every cell ran; 1 a cell failed, timed out or the
kernel died (the executed notebook is still written, with the error in the failing cell and
later cells untouched); 2 usage or setup errors (nothing written). Progress goes to stderr:
`cell N/M ...` lines and each cell's stream output prefixed by `[cell N] `; a display updated in
place (update_display_data, e.g. a progress display) is echoed every 15 s and at the cell's end,
and in the executed notebook each such output holds its final state only (as nbclient does:
updates replace the data of every output shown with their display_id, they add no output).

Needs only jupyter_client (Debian: apt-get install python3-jupyter-client, used by
/usr/bin/python3) and the `deno` kernelspec found through JUPYTER_PATH.
"""

import argparse
import datetime
import json
import os
import queue
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ beside this script in the repository
from notebook_outputs import OUTPUT_TYPES, Echo, OutputCollector, log  # noqa: E402

MARKER_TYPE = "arcface_marker"
POLL_SECONDS = 1.0
INTERRUPT_GRACE_SECONDS = 10.0
MARKER_WAIT_SECONDS = 120.0  # after a cell's reply + idle, how long its marker may take


class SetupError(Exception):
    """Bad arguments, unreadable notebook, missing kernelspec: exit 2, nothing written."""


class CellFailure(Exception):
    """A cell failed (error, timeout, kernel death): exit 1, executed notebook written."""

    def __init__(self, cell_number, ename, evalue):
        where = f"cell {cell_number} failed" if cell_number is not None else "failed"
        super().__init__(f"{where}: {ename}: {evalue}")
        self.cell_number = cell_number
        self.ename = ename
        self.evalue = evalue


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def parse_args(argv):
    p = argparse.ArgumentParser(description="Execute a notebook on the repo's Deno kernel.")
    p.add_argument("notebook", help="input .ipynb (nbformat 4)")
    p.add_argument("--out", required=True, help="where to write the executed notebook")
    p.add_argument("--timeout", type=float, default=1800.0, help="per-cell timeout in seconds")
    p.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                   help="extra environment variable for the kernel (repeatable)")
    p.add_argument("--cwd", help="kernel working directory (default: the notebook's folder)")
    p.add_argument("--kernel", default="deno", help="kernelspec name (default: deno)")
    args = p.parse_args(argv)
    env = {}
    for item in args.env:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SetupError(f"--env '{item}': expected KEY=VALUE (e.g. --env ARCFACE_PROFILE=quick)")
        env[key] = value
    args.env = env
    if args.timeout <= 0:
        raise SetupError(f"--timeout {args.timeout}: must be a positive number of seconds")
    return args


def read_notebook(path):
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
    except OSError as e:
        raise SetupError(f"notebook {path}: cannot read it ({e.strerror}); check the path") from e
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise SetupError(f"notebook {path}: not valid JSON ({e}); is it an .ipynb file?") from e
    if not isinstance(nb, dict) or nb.get("nbformat") != 4 or not isinstance(nb.get("cells"), list):
        raise SetupError(f"notebook {path}: not an nbformat 4 notebook (need nbformat: 4 and cells: [...]);"
                         " re-save it with Jupyter 4+")
    return nb


def write_notebook_atomic(nb, path):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".run_notebook.", suffix=".ipynb.tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(nb, f, indent=1, ensure_ascii=False)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def source_text(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


class Runner:
    def __init__(self, km, kc, timeout):
        self.km = km
        self.kc = kc
        self.timeout = timeout
        self.displays = {}

    def _kernel_died(self, number):
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        code = process.poll() if process is not None else None
        if code is not None and code < 0:
            detail = (f"was killed by signal {-code}" +
                      (" (SIGKILL: often the out-of-memory killer; try a smaller profile)"
                       if code == -9 else ""))
        elif code is not None:
            detail = f"exited with code {code} (Deno.exit() in a cell, or a crash)"
        else:
            detail = "stopped responding"
        return CellFailure(number, "KernelDied",
                           f"the Deno kernel {detail} while running this cell; see the kernel's"
                           " stderr above")

    def _drain(self, collector, ids, deadline, number, until):
        """Read iopub/shell until until(state) is true. Raises TimeoutError at the deadline."""
        while not until():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError()
            got = False
            try:
                msg = self.kc.get_iopub_msg(timeout=min(POLL_SECONDS, remaining))
                got = True
                self._on_iopub(msg, collector, ids)
            except queue.Empty:
                pass
            while True:
                try:
                    reply = self.kc.get_shell_msg(timeout=0)
                except queue.Empty:
                    break
                got = True
                parent = reply.get("parent_header", {}).get("msg_id")
                if parent in ids["replies"] and reply["msg_type"] == "execute_reply":
                    ids["replies"][parent] = reply["content"]
            if not got and not self.km.is_alive():
                raise self._kernel_died(number)

    def _on_iopub(self, msg, collector, ids):
        parent = msg.get("parent_header", {}).get("msg_id")
        kind = msg["msg_type"]
        if kind == MARKER_TYPE:
            if msg.get("content", {}).get("n") == ids["marker_n"]:
                ids["marker_seen"] = True
            return
        if kind == "status":
            if parent == ids["cell"] and msg["content"].get("execution_state") == "idle":
                ids["idle"] = True
            return
        # Outputs of this cell; late ones might carry the marker request as parent.
        from_marker = ids["marker"] is not None and parent == ids["marker"]
        if parent == ids["cell"] or (from_marker and kind != "execute_input"):
            if ids["idle"] and kind in OUTPUT_TYPES:
                ids["late"] += 1
            collector.handle(msg)

    def run_cell(self, cell, number, total, marker_n):
        code = source_text(cell)
        cell["outputs"] = []
        cell["execution_count"] = None
        echo = Echo(number)
        collector = OutputCollector(cell, self.displays, echo)
        first = next((ln.strip() for ln in code.splitlines() if ln.strip()), "")
        log(f"cell {number}/{total} running: {first[:80]}")
        started = time.monotonic()
        deadline = started + self.timeout
        cell_id = self.kc.execute(code, silent=False, store_history=True, allow_stdin=False,
                                  stop_on_error=True)
        ids = {"cell": cell_id, "marker": None, "marker_n": marker_n, "idle": False,
               "marker_seen": False, "late": 0, "replies": {cell_id: None}}
        try:
            self._drain(collector, ids, deadline, number,
                        lambda: ids["idle"] and ids["replies"][cell_id] is not None)
            ids["marker"] = self.kc.execute(
                f'Deno.jupyter.broadcast("{MARKER_TYPE}", {{ n: {marker_n} }})',
                silent=True, store_history=False, allow_stdin=False, stop_on_error=False)
            marker_id = ids["marker"]
            ids["replies"][marker_id] = None

            def marker_done():
                reply = ids["replies"][marker_id]
                return ids["marker_seen"] or (reply is not None and reply.get("status") != "ok")

            try:
                self._drain(collector, ids, min(deadline, time.monotonic() + MARKER_WAIT_SECONDS),
                            number, marker_done)
            except TimeoutError:
                pass
            if not ids["marker_seen"]:
                echo.flush()
                reply = ids["replies"][marker_id] or {}
                detail = (f"it failed: {reply.get('ename')}: {reply.get('evalue')}" if reply
                          else f"it did not come back within {MARKER_WAIT_SECONDS:g} s")
                evalue = (f"the end-of-cell marker ({MARKER_TYPE}) sent after cell {number}: "
                          f"{detail}; this cell's outputs may be incomplete. Did the cell replace"
                          " Deno.jupyter or block the event loop?")
                collector.add_error("OutputMarkerError", evalue, [f"OutputMarkerError: {evalue}"])
                raise CellFailure(number, "OutputMarkerError", evalue)
        except TimeoutError:
            echo.flush()
            self._interrupt(collector, ids, number)
            cell["execution_count"] = collector.execution_count
            evalue = (f"cell {number} did not finish within {self.timeout:g} s (--timeout); the kernel"
                      " was interrupted. Raise --timeout or make the cell faster")
            collector.add_error("CellTimeoutError", evalue, [f"CellTimeoutError: {evalue}"])
            raise CellFailure(number, "CellTimeoutError", evalue)
        except CellFailure as e:
            if e.ename == "KernelDied":
                collector.add_error(e.ename, e.evalue, [f"{e.ename}: {e.evalue}"])
            raise
        finally:
            echo.flush()
        reply = ids["replies"][cell_id]
        cell["execution_count"] = reply.get("execution_count", collector.execution_count)
        for out in cell["outputs"]:
            if out["output_type"] == "execute_result" and out.get("execution_count") is None:
                out["execution_count"] = cell["execution_count"]
        if reply.get("status") != "ok":
            ename = reply.get("ename", "Error")
            evalue = reply.get("evalue", reply.get("status", ""))
            if not collector.has_error():
                collector.add_error(ename, evalue, reply.get("traceback", []))
            raise CellFailure(number, ename, evalue)
        late = f", {ids['late']} message(s) after idle" if ids["late"] else ""
        updated = "".join(f", display {d} updated {n} time(s) in place"
                          for d, n in collector.display_updates.items())
        log(f"cell {number}/{total} done in {time.monotonic() - started:.1f} s, "
            f"{len(cell['outputs'])} output(s){late}{updated}")

    def _interrupt(self, collector, ids, number):
        try:
            self.km.interrupt_kernel()
        except Exception as e:  # the kernel may be gone already
            log(f"cell {number}: could not interrupt the kernel: {e}")
            return
        try:  # let the interrupted cell's last outputs and reply arrive, briefly
            self._drain(collector, ids, time.monotonic() + INTERRUPT_GRACE_SECONDS, number,
                        lambda: ids["idle"] and ids["replies"][ids["cell"]] is not None)
        except (TimeoutError, CellFailure):
            pass


def run(args):
    nb = read_notebook(args.notebook)
    try:
        from jupyter_client import KernelManager
        from jupyter_client.kernelspec import NoSuchKernel
    except ImportError as e:
        raise SetupError(f"{sys.executable} cannot import jupyter_client ({e}); install it with"
                         " `apt-get install -y --no-install-recommends python3-jupyter-client`"
                         " and run this script with /usr/bin/python3") from e
    cwd = args.cwd or os.path.dirname(os.path.abspath(args.notebook))
    if not os.path.isdir(cwd):
        raise SetupError(f"--cwd {cwd}: not a folder")
    code_cells = [c for c in nb["cells"] if c.get("cell_type") == "code"]
    for c in code_cells:  # clear old results first: a failed run must not show stale outputs
        c["outputs"] = []
        c["execution_count"] = None
    meta = {"started": now_iso(), "finished": None, "status": "failed", "failed_cell": None,
            "message": None, "env": dict(args.env)}
    nb.setdefault("metadata", {})["arcface_run"] = meta

    km = KernelManager(kernel_name=args.kernel)
    try:
        km.kernel_spec  # noqa: B018 (resolves the kernelspec, raising NoSuchKernel)
    except NoSuchKernel as e:
        raise SetupError(f"no '{args.kernel}' kernelspec found (JUPYTER_PATH="
                         f"{os.environ.get('JUPYTER_PATH', '<unset>')}); set"
                         " JUPYTER_PATH=<repo>/jupyter") from e
    status = 1
    failure = None
    kc = None
    try:
        log(f"notebook {args.notebook}: starting the '{args.kernel}' kernel in {cwd}")
        try:
            km.start_kernel(env={**os.environ, **args.env}, cwd=cwd)
            kc = km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=120)
        except Exception as e:
            raise CellFailure(None, "KernelStartError",
                              f"the '{args.kernel}' kernel ({km.kernel_spec.argv[0]}) did not start:"
                              f" {e}; try `./deno jupyter --help` from the repository root") from e
        runner = Runner(km, kc, args.timeout)
        for i, cell in enumerate(code_cells, start=1):
            runner.run_cell(cell, i, len(code_cells), i)
        status = 0
    except CellFailure as e:
        failure = e
    except Exception as e:  # a runner bug or lost connection: still write what ran
        failure = CellFailure(None, type(e).__name__, f"runner error: {e}")
    finally:
        meta["finished"] = now_iso()
        if failure is None and status == 0:
            meta["status"] = "ok"
        else:
            meta["failed_cell"] = failure.cell_number if failure else None
            meta["message"] = (f"notebook {args.notebook}: {failure}" if failure
                               else f"notebook {args.notebook}: interrupted")
        write_notebook_atomic(nb, args.out)
        try:
            if kc is not None:
                kc.stop_channels()
            if km.has_kernel:
                km.shutdown_kernel(now=not km.is_alive() or failure is not None)
        except Exception as e:  # shutting down must not hide the run's result
            log(f"notebook {args.notebook}: kernel shutdown problem: {e}")
    if failure:
        log(meta["message"])
        log(f"notebook {args.notebook}: wrote {args.out} (failed)")
        return 1
    log(f"notebook {args.notebook}: {len(code_cells)} code cell(s) ok; wrote {args.out}")
    return 0


def main(argv):
    try:
        args = parse_args(argv)
        return run(args)
    except SetupError as e:
        log(f"run_notebook: {e}")
        return 2
    except KeyboardInterrupt:
        log("run_notebook: interrupted; the kernel was shut down")
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
