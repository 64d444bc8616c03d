"""Start a grading kernel confined by the operating system: ``python -m course.sandbox ... -- CMD``.

Student code runs only in the kernel, so only the kernel is confined; the grader's own steps
(reading the gradebook, restoring test cells, saving grades) stay outside. Every limit is set on
this process before it *execs*, so student code inherits it and cannot lift it:

* rlimits: address space (a huge allocation raises MemoryError), CPU time (a busy loop that
  ignores interrupts is killed), file size, no core dumps;
* with ``--sandbox bwrap`` (Debian's bubblewrap), new mount, PID, network, IPC and UTS
  namespaces: the kernel sees its own working folder (read-write), a private scratch folder for
  its connection sockets and caches, and the installed software read-only. The course directory,
  the gradebook, ``source/``, other students' files and the instructor's home do not exist in
  there; there is no network (the kernel talks to the grader over Unix sockets) and the
  environment is emptied, so no database URL or token leaks in;
* when the grader runs as root, the kernel also runs as a user id of its own (100000 + this
  process id, unique while it lives) with a process cap, which the kernel enforces per user.

``check()`` says what a machine lacks; ``course grade`` refuses to run unless it has everything
or the instructor passes ``--unsandboxed`` (rlimits only: student code can then read and write
whatever the grader can).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

MAX_FILE_BYTES = 256 * 1024 * 1024
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
UID_BASE = 100_000
# Read-only system files a Python kernel needs (the shared-library cache among them).
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf",
             "passwd", "group")
KEPT_ENVIRONMENT = ("LANG", "LC_ALL", "NBGRADER_EXECUTION", "PYTHONHASHSEED")


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
    return problems


def apply_limits(memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


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


def bwrap_command(workdir: str, scratch: str, uid: int | None, max_processes: int,
                  command: list[str]) -> list[str]:
    # As root, no user namespace: the kernel's uid must be a real one for the process cap.
    namespaces = (["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                   "--unshare-cgroup-try"] if uid is not None else ["--unshare-all"])
    args = ["bwrap", *namespaces, "--die-with-parent", "--new-session",
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
    for folder in (scratch, workdir):
        args += [*parents(folder), "--bind", folder, folder]
    args += ["--chdir", workdir]
    python_bin = os.path.dirname(sys.executable)
    environment = {"PATH": f"{python_bin}:/usr/bin:/bin", "HOME": f"{scratch}/home",
                   "MPLCONFIGDIR": f"{scratch}/matplotlib", "TMPDIR": "/tmp",
                   **{name: "1" for name in THREAD_VARIABLES},
                   **{k: os.environ[k] for k in KEPT_ENVIRONMENT if k in os.environ}}
    args.append("--clearenv")
    for key, value in environment.items():
        args += ["--setenv", key, value]
    if uid is not None:
        # root outside: keep only what the inner step needs to become `uid`, nothing else
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
                 "--", sys.executable, "-m", "course.sandbox", "--become", str(uid),
                 "--max-processes", str(max_processes), "--"]
    else:
        args.append("--")
    return args + command


def _prepare(workdir: str, scratch: str, uid: int | None) -> None:
    """Scratch folders, a copy of matplotlib's font cache (else every kernel rebuilds it) and,
    for a kernel user of its own, ownership of what it may write."""
    for name in ("home", "matplotlib"):
        os.makedirs(os.path.join(scratch, name), exist_ok=True)
    try:
        import matplotlib

        for cache in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
            shutil.copy(cache, os.path.join(scratch, "matplotlib", cache.name))
    except Exception:        # no cache yet: the kernel builds one in its scratch folder
        pass
    if uid is not None:
        for folder in (workdir, scratch):
            for base, dirs, files in os.walk(folder):
                for name in [base, *(os.path.join(base, n) for n in dirs + files)]:
                    os.lchown(name, uid, uid)


def die_with_parent() -> None:
    """Ask Linux to kill this process (the kernel, after exec) when the grading worker dies,
    so a killed worker leaves no orphaned kernel behind."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9)   # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass


def become(uid: int, max_processes: int, command: list[str]) -> None:
    """Inside the sandbox: drop root for ``uid`` with a process cap, then run the kernel."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    resource.setrlimit(resource.RLIMIT_NPROC, (max_processes, max_processes))
    os.execvp(command[0], command)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m course.sandbox")
    parser.add_argument("--memory-mb", type=int)
    parser.add_argument("--cpu-seconds", type=int)
    parser.add_argument("--sandbox", choices=["none", "bwrap"], default="none")
    parser.add_argument("--scratch", help="private read-write folder of this kernel (bwrap)")
    parser.add_argument("--max-processes", type=int, default=64)
    parser.add_argument("--become", type=int, help=argparse.SUPPRESS)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    if args.become is not None:
        become(args.become, args.max_processes, command)
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    die_with_parent()
    if args.sandbox == "bwrap":
        if not args.scratch:
            parser.error("--sandbox bwrap needs --scratch")
        uid = UID_BASE + os.getpid() if os.geteuid() == 0 else None
        workdir = os.getcwd()
        _prepare(workdir, args.scratch, uid)
        command = bwrap_command(workdir, args.scratch, uid, args.max_processes, command)
    apply_limits(args.memory_mb, args.cpu_seconds)
    # The kernel's own log would drown the grader's progress: it goes to the scratch folder (or
    # nowhere); what the student's code prints reaches the notebook through the kernel instead.
    log = os.path.join(args.scratch, "kernel.log") if args.scratch else os.devnull
    handle = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(handle, 1)
    os.dup2(handle, 2)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
