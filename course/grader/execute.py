"""How a submission's notebook is executed during class grading.

Two small extensions of nbgrader's own ``Execute`` preprocessor, selected from the grading
command's configuration (``course.grader.coordinator``), never from ``nbgrader_config.py``, so plain
``nbgrader autograde`` behaves exactly as upstream:

* ``BudgetedExecute`` runs the kernel in a private copy of the notebook's folder (``workdir``), so
  nothing the kernel leaves (links, FIFOs, huge files) is ever in the folder nbgrader writes,
  chmods and the grader collects afterwards. It gives the whole notebook one time budget
  instead of a timeout per cell (upstream: an infinite loop costs the cell timeout once per test cell that calls it), and
  survives a kernel that dies or stops answering: the cell responsible gets an error output, the
  kernel is restarted, the cells before it are replayed to rebuild the state, and grading goes
  on, so later exercises still earn their points. After each test cell it runs the tamper probe
  of ``course.grader.integrity``.
* ``LimitedKernelManager`` starts the kernel through ``python -m course.grader.sandbox``, which gets
  it from the worker's fork server, capped in memory, CPU time and file size with rlimits and,
  with ``sandbox="bwrap"``, confined, with capped disk and CPU share (see those modules); such a
  kernel is interrupted by message, since a signal would reach the launcher. Once the kernel is
  ready, its scratch folder is taken back (``sandbox.lock_scratch``).
"""
from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Float, Integer, Unicode

from .. import checks
from . import cells, integrity, sandbox, worker

# Names of the error outputs this module writes: the grading report looks for them.
KERNEL_DIED = "KernelDied"
KERNEL_RESTARTED = "KernelRestarted"
BUDGET_USED_UP = "TimeBudgetExceeded"


def error_output(name: str, message: str) -> NotebookNode:
    return nbformat.v4.new_output("error", ename=name, evalue=message,
                                  traceback=[f"\x1b[0;31m{name}\x1b[0m: {message}"])


class LimitedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel process starts with resource limits."""

    memory_mb = Integer(2048, help="Address-space limit of the kernel (MiB).").tag(config=True)
    cpu_seconds = Integer(600, help="CPU-time limit of the kernel (s).").tag(config=True)
    max_processes = Integer(64, help="Processes and threads of the kernel's own user (root only)."
                            ).tag(config=True)
    sandbox = Unicode("none", help="'bwrap' to isolate the kernel, 'none' for limits only."
                      ).tag(config=True)
    scratch = Unicode("", help="Private folder of the kernel: connection file, Unix sockets, "
                               "caches. Required with bwrap, whose kernel has no network."
                      ).tag(config=True)
    forkserver = Unicode("", help="Socket of the worker's kernel fork server "
                                  "(course.grader.forkserver.ensure_server)").tag(config=True)
    disk_mb = Integer(256, help="Size of the kernel's working folder and of its /tmp (MiB, "
                                "bwrap).").tag(config=True)
    max_files = Integer(10_000, help="Files and folders in each of them (bwrap)."
                        ).tag(config=True)
    cpus = Float(1.0, help="Cores the kernel and all its processes share (bwrap)."
                 ).tag(config=True)

    async def _async_interrupt_kernel(self):
        if self.has_kernel:
            # A SIGINT would reach the launcher, not the kernel it asked the fork server for:
            # ask the kernel itself, as jupyter_client does for kernels whose spec says
            # interrupt_mode "message".
            self._connect_control_socket()
            self.session.send(self._control_socket, self.session.msg("interrupt_request", {}))

    interrupt_kernel = _async_interrupt_kernel

    def format_kernel_cmd(self, extra_arguments=None):
        command = super().format_kernel_cmd(extra_arguments)
        launcher = [sys.executable, "-m", "course.grader.sandbox", "--forkserver", self.forkserver,
                    "--memory-mb", str(self.memory_mb), "--cpu-seconds", str(self.cpu_seconds),
                    "--max-processes", str(self.max_processes), "--sandbox", self.sandbox,
                    "--disk-mb", str(self.disk_mb), "--max-files", str(self.max_files),
                    "--cpus", str(self.cpus)]
        if self.scratch:
            launcher += ["--scratch", self.scratch]
        return launcher + ["--"] + command


class BudgetedExecute(Execute):
    """nbgrader's Execute with one time budget per notebook and recovery from a dead kernel."""

    budget = Float(300.0, help="Wall-time budget for executing one notebook (s).").tag(config=True)
    kill_grace = Float(10.0, help="Seconds past the budget before the kernel is killed outright."
                       ).tag(config=True)
    workdir = Unicode("", help="Private folder the kernel runs in: a fresh copy of the notebook's "
                               "folder (regular files and folders only). Empty: the notebook's "
                               "folder itself, as upstream.").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", LimitedKernelManager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, km=None):
        folder = resources.setdefault("metadata", {}).get("path")
        if self.workdir and folder:
            shutil.rmtree(self.workdir, ignore_errors=True)     # a fresh copy, regular files only
            os.makedirs(self.workdir)
            worker.write_files(Path(self.workdir), worker.collect_files(Path(folder)))
            resources["metadata"]["path"] = self.workdir
        try:
            return self._run(nb, resources, km)
        finally:
            if self.workdir and folder:
                resources["metadata"]["path"] = folder

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        scratch = getattr(self.km, "scratch", "")
        if getattr(self.km, "sandbox", "none") == "bwrap" and scratch:
            sandbox.lock_scratch(scratch)
        return client

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def _run(self, nb, resources, km):
        seed = os.environ.get(checks.SEED_VARIABLE, "")
        self._seed = int(seed) if seed.isdigit() else None
        self._deadline = time.monotonic() + self.budget
        self._dead_cells: set[int] = set()
        self.timeout_func = self._cell_timeout
        stop = threading.Event()
        watchdog = threading.Thread(target=self._watch, args=(stop,), daemon=True)
        watchdog.start()
        try:
            return super().preprocess(nb, resources, km)
        finally:
            stop.set()

    def _remaining(self) -> float:
        return self._deadline - time.monotonic()

    def _cell_timeout(self, cell) -> int:
        return max(1, int(min(self.timeout or self.budget, self._remaining()) + 0.999))

    def _watch(self, stop: threading.Event) -> None:
        """Kill a kernel that ignores interrupts once the budget and a grace period are spent."""
        while not stop.wait(1.0):
            if self._remaining() < -self.kill_grace and self.km is not None:
                process = getattr(getattr(self.km, "provisioner", None), "process", None)
                if process is not None and process.poll() is None:
                    self.log.error("Time budget used up: killing the kernel")
                    process.kill()

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if self._remaining() <= 0:
            cell.outputs = [error_output(BUDGET_USED_UP, (
                f"not run: this notebook used up its time budget of {self.budget:g} s "
                "(look for an endless loop above)"))]
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
            if cells.is_test(cell) and self._remaining() > 0:
                self._check_integrity(cell)
            return cell, resources
        except Exception as failure:    # DeadKernelError, or a protocol error after a fork
            self._dead_cells.add(index)
            if isinstance(failure, DeadKernelError):
                name, what = KERNEL_DIED, "the kernel died while running this cell: " + (
                    "the time budget was used up" if self._remaining() <= 0 else
                    "the code exited the Python process, crashed it or hit a resource limit")
            else:
                name, what = KERNEL_RESTARTED, (
                    f"the kernel stopped answering ({type(failure).__name__}): an endless loop "
                    "that ignores interrupts, or code that forked the kernel")
            cell.outputs.append(error_output(
                name, f"{what}. The kernel was restarted and the cells above were run again."))
            self._restart(index)
            return cell, resources

    def _check_integrity(self, cell) -> None:
        """Fail a test cell if the probe finds the notebook tampering with the grader."""
        msg_id = self.kc.execute("", silent=True, store_history=False,
                                 user_expressions={"tampered": integrity.probe(self._seed)})
        reply = self.wait_for_reply(msg_id, cell)
        evidence = integrity.read_reply(reply or {})
        if evidence:
            cell.outputs.append(error_output(integrity.TAMPERED, integrity.message(evidence)))

    def _restart(self, index: int) -> None:
        """Fresh kernel, then the earlier cells again (outputs discarded) to rebuild the state."""
        run_sync(self.km.restart_kernel)(now=True)
        if self.kc is not None:
            self.kc.stop_channels()
        self.start_new_kernel_client()
        for earlier in range(index):
            cell = self.nb.cells[earlier]
            if (earlier in self._dead_cells or cell.cell_type != "code" or not cell.source.strip()
                    or self._remaining() <= 0):
                continue
            try:
                self.execute_cell(nbformat.from_dict(cell), earlier, store_history=False)
            except Exception:            # died again on replay: give up rebuilding the state
                run_sync(self.km.restart_kernel)(now=True)
                self.kc.stop_channels()
                self.start_new_kernel_client()
                return
