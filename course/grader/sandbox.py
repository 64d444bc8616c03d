"""Launch one grading kernel, confined: ``python -m course.grader.sandbox --forkserver SOCKET ... -- CMD``.

Student code runs only in the kernel, so only the kernel is confined; the grader's own steps
(reading the gradebook, restoring test cells, saving grades) stay outside. This launcher is the
process jupyter_client starts and watches for a kernel. It asks the worker's fork server
(``course.grader.forkserver``) for a kernel, which is forked from an interpreter that has already
imported the course's libraries, and which confines itself before any student code runs:

* rlimits: address space (a huge allocation raises MemoryError), CPU time (a busy loop that
  ignores interrupts is killed), file size, no core dumps;
* with the sandbox, a CPU cgroup of its own (``cpu_cgroup``): the kernel and every process it
  starts share at most ``--cpus`` cores, so detached busy loops slow down no one else;
* with ``--sandbox bwrap`` (Debian's bubblewrap), this launcher first makes a sandbox for this
  kernel alone, and the kernel joins it: new mount, PID, network, IPC and UTS namespaces, in
  which the kernel sees its own working folder (read-write), a private scratch folder for its
  connection sockets, and the installed software read-only. The course directory,
  the gradebook, ``source/``, other students' files and the instructor's home do not exist in
  there; there is no network (the kernel talks to the grader over Unix sockets) and the
  environment is replaced, so no database URL or token leaks in. The kernel runs as a user id of
  its own (100000 + this launcher's process id, unique while it lives) with a process cap, which
  the kernel enforces per user. Its working folder and ``/tmp`` are size-capped tmpfs mounts of
  the sandbox alone (``--disk-mb`` bytes and ``--max-files`` files each), the working folder
  filled with a copy of the folder it was started in: the grader never reads, follows, chmods or
  collects anything the kernel leaves, because all of it goes with the sandbox. When this
  launcher ends or is killed, the sandbox and everything in it go with it.

``check()`` says what a machine lacks; ``course grade`` refuses to run unless it has everything
or the instructor passes ``--unsandboxed`` (rlimits only: student code can then read and write
whatever the grader can).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

MAX_FILE_BYTES = 256 * 1024 * 1024
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
UID_BASE = 100_000
# Read-only system files a Python kernel needs (the shared-library cache among them).
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf",
             "passwd", "group")
KEPT_ENVIRONMENT = ("LANG", "LC_ALL", "NBGRADER_EXECUTION", "PYTHONHASHSEED", "MDL_HIDDEN_SEED")
# Where kernels' CPU cgroups go: cgroup v1's cpu hierarchy, or the unified (v2) hierarchy.
CGROUP_V1 = Path("/sys/fs/cgroup/cpu")
CGROUP_V2 = Path("/sys/fs/cgroup")
CGROUP_PARENT = "mdl-kernels"
CPU_PERIOD_US = 100_000


def check() -> list[str]:
    """What this machine cannot provide for the sandbox (empty: everything is available)."""
    problems = []
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        problems.append("bubblewrap is not installed (Debian: apt-get install bubblewrap)")
    else:
        probe = subprocess.run([bwrap, "--ro-bind", "/", "/", "--unshare-all", "true"],
                               capture_output=True, text=True)
        if probe.returncode != 0:
            problems.append("bubblewrap cannot create namespaces here: "
                            + (probe.stderr.strip() or f"exit {probe.returncode}"))
    if os.geteuid() != 0:
        problems.append("the grader is not root, so kernels cannot run as users of their own "
                        "and the process cap is not enforced")
    elif _cgroup_parent() is None:
        problems.append("no writable CPU cgroup (cgroup v1's cpu controller, or v2 with the cpu "
                        "controller enabled): a student's busy loops could slow everyone down")
    return problems


def _cgroup_parent() -> Path | None:
    """The folder under which kernels get CPU cgroups, made if needed; None when there is none."""
    for root, quota in ((CGROUP_V1, "cpu.cfs_quota_us"), (CGROUP_V2, "cpu.max")):
        parent = root / CGROUP_PARENT
        try:
            if root == CGROUP_V2:
                if "cpu" not in (root / "cgroup.controllers").read_text().split():
                    continue
                (root / "cgroup.subtree_control").write_text("+cpu")
            parent.mkdir(exist_ok=True)
            if root == CGROUP_V2:
                (parent / "cgroup.subtree_control").write_text("+cpu")
            if (parent / quota).exists():
                return parent
        except OSError:
            continue
    return None


class cpu_cgroup:
    """A CPU cgroup for one kernel: at most ``cpus`` cores for it and all it starts.

    Entering gives the file a process writes its id to in order to join (the kernel does, while
    still root); leaving removes the group once the sandbox's processes are gone."""

    def __init__(self, name: str, cpus: float):
        parent = _cgroup_parent()
        self.path = None if parent is None else parent / name
        self.cpus = cpus

    def __enter__(self) -> str | None:
        if self.path is None:
            return None
        self.path.mkdir(exist_ok=True)
        quota = int(self.cpus * CPU_PERIOD_US)
        if (self.path / "cpu.max").exists():
            (self.path / "cpu.max").write_text(f"{quota} {CPU_PERIOD_US}")
        else:
            (self.path / "cpu.cfs_period_us").write_text(str(CPU_PERIOD_US))
            (self.path / "cpu.cfs_quota_us").write_text(str(quota))
        return str(self.path / "cgroup.procs")

    def __exit__(self, *exc) -> None:
        for _ in range(50 if self.path else 0):   # the sandbox's processes take a moment to go
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.1)


def _software() -> list[str]:
    """Folders holding this Python, its packages and the course package, as real paths."""
    import course

    folders = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    folders.add(os.path.dirname(os.path.realpath(sys.executable)))
    folders.add(os.path.dirname(os.path.realpath(course.__file__)))   # an editable install
    # keep the outermost folders only; /usr is bound whole anyway
    chosen = []
    for folder in sorted(folders):
        if not folder.startswith("/usr/") and not any(
                folder.startswith(c.rstrip("/") + "/") for c in chosen):
            chosen.append(folder)
    return chosen


def bwrap_command(workdir: str, scratch: str, command: list[str]) -> list[str]:
    """bubblewrap running ``command`` in new namespaces (no user namespace: the grader is root
    and the kernel's uid must be a real one for the process cap) with the kernel's view of the
    file system."""
    args = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--ro-bind", "/usr", "/usr"]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = Path("/") / link
        if target.is_symlink():
            args += ["--symlink", os.readlink(target), f"/{link}"]
        elif target.exists():
            args += ["--ro-bind", str(target), f"/{link}"]
    for name in ETC_FILES:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    made = {"/", "/tmp", "/usr", "/proc", "/dev"}

    def parents(path: str) -> list[str]:
        """Create the folders above a mount point traversable (bwrap would copy their modes,
        e.g. 0700 of /root or of a temporary folder, and the kernel's user could not pass)."""
        out = []
        for parent in reversed(Path(path).parents):
            if str(parent) not in made:
                made.add(str(parent))
                out += ["--perms", "0755", "--dir", str(parent)]
        return out

    for folder in _software():
        args += [*parents(folder), "--ro-bind", folder, folder]
    args += [*parents(scratch), "--bind", scratch, scratch]
    if not workdir.startswith(scratch.rstrip("/") + "/"):
        # only read (by the kernel, as root, to fill its own capped copy: forkserver)
        args += [*parents(workdir), "--ro-bind", workdir, workdir]
    # "/": the scratch folder belongs to the kernel's user, and this process has no capability
    return args + ["--clearenv", "--chdir", "/", "--", *command]


def kernel_environment() -> dict[str, str]:
    """A sandboxed kernel's whole environment: nothing of the grader's but a few settings. Its
    home and caches are in its capped ``/tmp``."""
    return {"PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin",
            "HOME": "/tmp/home", "MPLCONFIGDIR": "/tmp/matplotlib", "TMPDIR": "/tmp",
            **{name: "1" for name in THREAD_VARIABLES},
            **{k: os.environ[k] for k in KEPT_ENVIRONMENT if k in os.environ}}


def start_sandbox(workdir: str, scratch: str) -> tuple[subprocess.Popen, int]:
    """An empty sandbox for one kernel: bubblewrap around a process that waits for this
    launcher to end (``cat`` on a pipe only we hold). Returns it and the process id whose
    namespaces the kernel joins, once the sandbox is complete."""
    info_read, info_write = os.pipe()
    command = bwrap_command(workdir, scratch, ["/bin/sh", "-c", "echo ready && exec cat"])
    command[1:1] = ["--info-fd", str(info_write)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               pass_fds=(info_write,))
    os.close(info_write)
    with os.fdopen(info_read, "rb") as info:
        details = info.read()
    if process.stdout.readline().strip() != b"ready":     # the command runs after the set-up
        raise RuntimeError(f"bubblewrap could not make the sandbox (exit {process.wait()})")
    return process, int(json.loads(details)["child-pid"])


def _prepare(scratch: str, connection_file: str | None, uid: int) -> None:
    """Let the kernel's user create its sockets in the scratch folder while it starts (the grader
    takes the folder back once the kernel is ready: ``lock_scratch``) and read, not change, its
    connection file."""
    os.lchown(scratch, uid, uid)
    os.chmod(scratch, 0o700)
    if connection_file and os.path.isfile(connection_file) and not os.path.islink(connection_file):
        os.chmod(connection_file, 0o644)


def lock_scratch(scratch: str) -> None:
    """Once the kernel listens on its sockets it needs to create nothing more in the scratch
    folder: give the folder back to root, so student code cannot leave files there."""
    os.lchown(scratch, 0, 0)
    os.chmod(scratch, 0o755)


def die_with_parent() -> None:
    """Ask Linux to kill this launcher when the grading worker dies; its kernel goes with it."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9)   # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass


def main(argv: list[str] | None = None) -> None:
    from . import forkserver

    parser = argparse.ArgumentParser(prog="python -m course.grader.sandbox")
    parser.add_argument("--forkserver", required=True, help="socket of the worker's fork server")
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--sandbox", choices=["none", "bwrap"], default="none")
    parser.add_argument("--scratch", help="private read-write folder of this kernel (bwrap)")
    parser.add_argument("--max-processes", type=int, default=64)
    parser.add_argument("--disk-mb", type=int, default=256,
                        help="size of the kernel's working folder and of its /tmp (bwrap)")
    parser.add_argument("--max-files", type=int, default=10_000,
                        help="files and folders in each of them (bwrap)")
    parser.add_argument("--cpus", type=float, default=1.0,
                        help="cores the kernel and its processes share (bwrap)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if command[1:3] != ["-m", "ipykernel_launcher"]:
        parser.error("the command must start an ipykernel: PYTHON -m ipykernel_launcher ...")
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # kernels are interrupted by message
    die_with_parent()
    workdir = os.getcwd()
    request = {"cwd": workdir, "args": command[3:], "memory_mb": args.memory_mb,
               "cpu_seconds": args.cpu_seconds, "max_file_bytes": MAX_FILE_BYTES,
               "max_processes": args.max_processes, "uid": None, "sandbox_pid": None,
               "disk_bytes": args.disk_mb * 1024 * 1024, "max_files": args.max_files,
               "cgroup": None,
               # The kernel's own log would drown the grader's progress: it goes to the
               # scratch folder (or nowhere); what student code prints reaches the notebook.
               "log": os.path.join(args.scratch, "kernel.log") if args.scratch else None,
               "env": {**os.environ, **{name: "1" for name in THREAD_VARIABLES}}}
    if args.sandbox == "none":
        sys.exit(forkserver.run_kernel(args.forkserver, request))
    if not args.scratch:
        parser.error("--sandbox bwrap needs --scratch")
    if os.geteuid() != 0:
        parser.error("--sandbox bwrap needs root: " + "; ".join(check()))
    request["uid"] = UID_BASE + os.getpid()
    request["env"] = kernel_environment()
    connection = command[command.index("-f") + 1] if "-f" in command[:-1] else None
    _prepare(args.scratch, connection, request["uid"])
    with cpu_cgroup(f"kernel-{os.getpid()}", args.cpus) as request["cgroup"]:
        sandbox, request["sandbox_pid"] = start_sandbox(workdir, args.scratch)
        try:
            status = forkserver.run_kernel(args.forkserver, request)
        finally:                        # ends the sandbox: whatever the kernel left there dies
            sandbox.stdin.close()
            sandbox.wait()
    sys.exit(status)


if __name__ == "__main__":
    main(sys.argv[1:])
