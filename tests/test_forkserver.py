"""Warm kernels (``course.forkserver``): forked from a server that has the libraries imported,
yet each one as fresh and as confined as a kernel started cold, and gone with its launcher."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from jupyter_core.utils import run_sync

from course.grader import forkserver, sandbox
from course.tools import paths
from course.grader.execute import LimitedKernelManager

pytestmark = pytest.mark.slow

SANDBOXED = pytest.mark.skipif(bool(sandbox.check()) and not os.environ.get("MDL_REQUIRE_SANDBOX"),
                               reason="no sandbox here: " + "; ".join(sandbox.check()))


class Kernel:
    """One kernel started the way ``course grade`` starts them, for code to run in."""

    def __init__(self, folder: Path, mode: str, **options):
        self.workdir, self.scratch = folder / "work", folder / "scratch"
        self.workdir.mkdir(parents=True)
        self.scratch.mkdir()
        (self.workdir / "data.csv").write_text("x\n1\n")
        self.km = LimitedKernelManager(
            forkserver=forkserver.ensure_server(), sandbox=mode, scratch=str(self.scratch),
            memory_mb=1536, cpu_seconds=120, connection_file=str(self.scratch / "kernel.json"),
            **({"transport": "ipc", "ip": str(self.scratch / "ipc")} if mode == "bwrap" else {}),
            **options)
        run_sync(self.km.start_kernel)(cwd=str(self.workdir))
        self.client = self.km.client()
        self.client.start_channels()
        run_sync(self.client.wait_for_ready)(timeout=60)
        if mode == "bwrap":             # as course.grader.execute.BudgetedExecute does
            sandbox.lock_scratch(str(self.scratch))

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

    def start(mode: str = "none", **options) -> Kernel:
        started.append(Kernel(tmp_path / f"kernel-{len(started)}", mode, **options))
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


@pytest.mark.parametrize("mode", ["none", pytest.param("bwrap", marks=SANDBOXED)])
def test_a_warm_kernel_uses_the_hidden_test_seed_of_its_grading_run(kernels, monkeypatch, mode):
    """The fork server imported course.checks before the run's seed was set: the kernel reads
    it again once its own environment is in place."""
    monkeypatch.setenv("MDL_HIDDEN_SEED", "4242")
    said = kernels(mode).run("from course import checks; print(checks._run_seed)")
    assert said == "4242"


@SANDBOXED
def test_a_sandboxed_kernel_writes_only_into_its_own_capped_folders(kernels):
    """The kernel sees a copy of its folder on a tmpfs of its sandbox, capped in bytes and files
    (as is its /tmp); links, FIFOs and files it leaves are never in the grader's folders."""
    kernel = kernels("bwrap", disk_mb=8, max_files=200)
    said = kernel.run(
        "import os, errno\n"
        "print(open('data.csv').read().split())\n"
        "os.symlink('/etc/passwd', 'link'); os.mkfifo('pipe')\n"
        "for where in (os.environ['HOME'], " + repr(str(kernel.scratch)) + "):\n"
        "    try: open(f'{where}/x', 'w').close(); print(where, 'writable')\n"
        "    except OSError: print(where, 'read-only')\n"
        "for where in ('.', '/tmp'):\n"
        "    try:\n"
        "        with open(f'{where}/big', 'wb') as out:\n"
        "            for _ in range(64): out.write(b'x' * 2 ** 20)\n"
        "    except OSError as e: print(where, 'bytes', e.errno == errno.ENOSPC)\n"
        "    try:\n"
        "        for i in range(1000): open(f'{where}/f{i}', 'w').close()\n"
        "    except OSError as e: print(where, 'files', e.errno == errno.ENOSPC)")
    lines = said.splitlines()
    assert lines[0] == "['x', '1']", said
    assert lines[1] == "/tmp/home writable" and lines[2].endswith("read-only"), said
    assert lines[3:] == [". bytes True", ". files True", "/tmp bytes True", "/tmp files True"], said
    assert sorted(p.name for p in kernel.workdir.iterdir()) == ["data.csv"]
    assert not any(p.is_symlink() for p in kernel.scratch.iterdir())
    assert not (kernel.scratch / "x").exists()


@SANDBOXED
def test_a_kernel_and_all_it_starts_share_one_core(kernels):
    """Detached busy loops get one core between them, not one each: the CPU cgroup holds."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: any process could take at most one anyway")
    kernel = kernels("bwrap", cpus=1.0)
    uid = int(kernel.run(
        "import os, subprocess, sys\n"
        "for _ in range(3):\n"
        "    subprocess.Popen([sys.executable, '-c', 'while True: pass'], start_new_session=True)\n"
        "print(os.getuid())"))

    def busy_seconds() -> float:
        total = 0.0
        for process in psutil.process_iter(["uids"]):
            if process.info["uids"].real == uid:
                try:
                    times = process.cpu_times()
                    total += times.user + times.system
                except psutil.NoSuchProcess:
                    pass
        return total

    time.sleep(1)
    before, started = busy_seconds(), time.monotonic()
    time.sleep(3)
    cores = (busy_seconds() - before) / (time.monotonic() - started)
    assert 0.5 < cores < 1.25, f"the kernel's processes used {cores:.2f} cores"


def _server(folder: Path, **popen) -> tuple[subprocess.Popen, str]:
    """A fork server in ``folder`` started as a grading worker starts it; its socket's path."""
    folder.mkdir()
    path = str(folder / "server.sock")
    return subprocess.Popen([sys.executable, "-m", "course.grader.forkserver", path],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env=forkserver.server_environment(str(folder)), **popen), path


def test_the_server_stops_and_cleans_up_when_its_worker_goes(tmp_path):
    folder = tmp_path / "server"
    server, path = _server(folder)
    assert server.stdout.readline().strip() == b"ready"
    assert os.path.exists(path)
    server.stdin.close()                 # what the worker's death looks like to the server
    assert server.wait(timeout=30) == 0
    assert not folder.exists()


def test_a_server_whose_worker_went_away_while_it_started_leaves_nothing(tmp_path):
    folder = tmp_path / "server"
    server, _ = _server(folder, stderr=subprocess.PIPE)
    server.stdout.close()                # the worker died before the server said it was ready
    server.stdin.close()
    assert server.wait(timeout=60) == 0
    assert server.stderr.read() == b""
    assert not folder.exists()


def test_the_server_answers_a_bad_request_and_goes_on_serving(tmp_path):
    """A request that is not JSON is dropped without a reply (the launcher sees exit 1); one
    whose kernel cannot start gets exit 70; neither stops the server."""
    server, path = _server(tmp_path / "server")
    try:
        assert server.stdout.readline().strip() == b"ready"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.connect(path)
            connection.sendall(b"this is not json\n")
            assert connection.makefile("rb").read() == b""          # closed, no reply
        assert forkserver.run_kernel(path, {"cwd": str(tmp_path / "missing"), "args": [],
                                            "env": {}}) == 70
        assert forkserver.run_kernel(path, {"cwd": str(tmp_path), "args": [], "env": {},
                                            "cpu_seconds": "many"}) == 70
        assert server.poll() is None, "a bad request stopped the server"
    finally:
        server.stdin.close()
        server.wait(timeout=30)
