"""Warm kernels (``course.forkserver``): forked from a server that has the libraries imported,
yet each one as fresh and as confined as a kernel started cold, and gone with its launcher."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from jupyter_core.utils import run_sync

from course import forkserver, paths, sandbox
from course.execute import LimitedKernelManager

SANDBOXED = pytest.mark.skipif(bool(sandbox.check()) and not os.environ.get("MDL_REQUIRE_SANDBOX"),
                               reason="no sandbox here: " + "; ".join(sandbox.check()))


class Kernel:
    """One kernel started the way ``course grade`` starts them, for code to run in."""

    def __init__(self, folder: Path, mode: str):
        workdir, scratch = folder / "work", folder / "scratch"
        workdir.mkdir(parents=True)
        scratch.mkdir()
        self.km = LimitedKernelManager(
            forkserver=forkserver.ensure_server(), sandbox=mode, scratch=str(scratch),
            memory_mb=1536, cpu_seconds=120, connection_file=str(scratch / "kernel.json"),
            **({"transport": "ipc", "ip": str(scratch / "ipc")} if mode == "bwrap" else {}))
        run_sync(self.km.start_kernel)(cwd=str(workdir))
        self.client = self.km.client()
        self.client.start_channels()
        run_sync(self.client.wait_for_ready)(timeout=60)

    def run(self, code: str) -> str:
        printed = []

        def keep(message):
            if message["header"]["msg_type"] == "stream":
                printed.append(message["content"]["text"])
            elif message["header"]["msg_type"] == "error":
                printed.append("ERROR " + message["content"]["evalue"])

        run_sync(self.client.execute_interactive)(code, output_hook=keep, timeout=60)
        return "".join(printed).strip()

    @property
    def launcher(self) -> psutil.Process:
        return psutil.Process(self.km.provisioner.process.pid)

    def stop(self) -> None:
        self.client.stop_channels()
        run_sync(self.km.shutdown_kernel)(now=True)


@pytest.fixture
def kernels(tmp_path):
    started = []

    def start(mode: str = "none") -> Kernel:
        started.append(Kernel(tmp_path / f"kernel-{len(started)}", mode))
        return started[-1]

    yield start
    for kernel in started:
        kernel.stop()


def test_each_kernel_has_its_own_random_state(kernels):
    code = "import random, numpy as np; print(random.random(), np.random.random())"
    first, second = kernels().run(code), kernels().run(code)
    assert first and second and first != second


def test_a_kernel_starts_with_the_libraries_already_imported(kernels):
    said = kernels().run("import sys; print(sorted({'numpy', 'sklearn.metrics', "
                         "'matplotlib.pyplot'} & set(sys.modules)))")
    assert said == "['matplotlib.pyplot', 'numpy', 'sklearn.metrics']"


@SANDBOXED
def test_a_sandboxed_kernel_is_confined_before_student_code_runs(kernels):
    kernel = kernels("bwrap")
    said = kernel.run(
        "import os; status = open('/proc/self/status').read()\n"
        "print(os.getuid(), os.getpid() < 10, 'NoNewPrivs:\\t1' in status, "
        f"os.path.exists({forkserver.ensure_server()!r}), os.path.exists({str(paths.SOURCE)!r}), "
        "sorted(os.environ))")
    uid, small_pid, no_new_privileges, sees_server, sees_source, names = said.split(" ", 5)
    assert int(uid) >= sandbox.UID_BASE
    assert small_pid == "True", "the kernel is not in a PID namespace of its own"
    assert no_new_privileges == "True"
    assert sees_server == "False" and sees_source == "False"
    assert "MDL_GRADEBOOK_URL" not in names and "PATH" in names


@SANDBOXED
def test_killing_the_launcher_ends_the_kernel_and_all_it_started(kernels):
    kernel = kernels("bwrap")
    uid = int(kernel.run(
        "import os, subprocess\n"
        "subprocess.Popen(['sleep', '300'], start_new_session=True)\n"
        "print(os.getuid())"))
    mine = [p for p in psutil.process_iter(["uids"]) if p.info["uids"].real == uid]
    assert len(mine) >= 2, mine          # the kernel and the process it detached
    kernel.launcher.kill()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        left = [p for p in psutil.process_iter(["uids"]) if p.info["uids"].real == uid]
        if not left:
            break
        time.sleep(0.2)
    assert not left, f"processes of the kernel's user survived: {left}"


def test_the_server_stops_and_cleans_up_when_its_worker_goes(tmp_path):
    folder = tmp_path / "server"
    folder.mkdir()
    path = str(folder / "server.sock")
    server = subprocess.Popen([sys.executable, "-m", "course.forkserver", path],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              env=forkserver.server_environment(str(folder)))
    assert server.stdout.readline().strip() == b"ready"
    assert os.path.exists(path)
    server.stdin.close()                 # what the worker's death looks like to the server
    assert server.wait(timeout=30) == 0
    assert not folder.exists()


def test_a_server_whose_worker_went_away_while_it_started_leaves_nothing(tmp_path):
    folder = tmp_path / "server"
    folder.mkdir()
    server = subprocess.Popen([sys.executable, "-m", "course.forkserver", str(folder / "server.sock")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=forkserver.server_environment(str(folder)))
    server.stdout.close()                # the worker died before the server said it was ready
    server.stdin.close()
    assert server.wait(timeout=60) == 0
    assert server.stderr.read() == b""
    assert not folder.exists()
