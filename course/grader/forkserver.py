"""Start grading kernels warm: a fork server per grading worker (``python -m course.grader.forkserver``).

A kernel started cold spends most of its CPU time importing ipykernel, numpy, pandas,
scikit-learn and matplotlib before its first cell runs, and a submission starts one kernel per
notebook. So each grading worker keeps a *fork server*, a process that imports those once
(``PRELOAD``) and forks a copy of itself for every kernel. Before any student code runs, the copy
confines itself as tightly as a cold kernel would be (``course.grader.sandbox``):

* with the sandbox, it joins the kernel's CPU cgroup and the namespaces of a bubblewrap sandbox
  that the kernel's launcher has just made for this kernel alone (mounts, PID, network, IPC,
  UTS), makes the sandbox's root its own, and forks once more, so that the kernel itself lives in
  the sandbox's PID namespace and dies with it; there it caps ``/tmp`` and mounts the kernel's
  private, capped working folder (``_private_folders``);
* it starts a session of its own, keeps no file descriptor of the server, sets the rlimits,
  forbids gaining privileges (``PR_SET_NO_NEW_PRIVS``, as bubblewrap does), becomes the kernel's
  own user, replaces the environment, and only then starts ipykernel.

The server holds nothing secret (an emptied environment, no course files) and only the grader
can connect to its socket. It exits when its worker does, and kills the kernel of a launcher
that went away, so a killed kernel never outlives its launcher.
"""
from __future__ import annotations

import ctypes
import json
import os
import resource
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from . import sandbox

# What the course's notebooks import; a module missing here is simply imported by the kernel.
PRELOAD = ("ipykernel.kernelapp", "numpy", "pandas", "scipy.stats", "matplotlib.pyplot",
           "sklearn.base", "sklearn.cluster", "sklearn.compose", "sklearn.datasets",
           "sklearn.dummy", "sklearn.ensemble", "sklearn.inspection", "sklearn.linear_model",
           "sklearn.metrics", "sklearn.model_selection", "sklearn.pipeline",
           "sklearn.preprocessing", "sklearn.tree", "sklearn.neural_network",
           "sklearn.gaussian_process", "xgboost", "botocore.session", "course.checks",
           "course.datasets", "course.plots", "course.sagemaker")
# ipykernel sets this before a kernel's first import of matplotlib; the server imports
# matplotlib earlier, so it must already hold the kernel's value.
MATPLOTLIB_BACKEND = "module://matplotlib_inline.backend_inline"
PR_SET_NO_NEW_PRIVS = 38
MS_NOSUID, MS_NODEV, MS_REMOUNT = 2, 4, 32
NAMESPACES = ("ipc", "uts", "net", "pid", "mnt")     # mnt last: it changes what /proc shows
MAX_REQUEST = 1 << 20


class ForkServerError(RuntimeError):
    """The fork server could not be started."""


# --- the worker's side --------------------------------------------------------------------------

_server: tuple[subprocess.Popen, str] | None = None
_starting = threading.Lock()


def server_environment(folder: str) -> dict[str, str]:
    """The server's environment: what a kernel's imports may read, nothing of the grader's."""
    keep = {k: os.environ[k] for k in ("LANG", "LC_ALL", "PYTHONHASHSEED") if k in os.environ}
    return {"PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin", "HOME": folder,
            "MPLCONFIGDIR": os.path.join(folder, "matplotlib"),
            "MPLBACKEND": MATPLOTLIB_BACKEND,
            **{name: "1" for name in sandbox.THREAD_VARIABLES}, **keep}


def font_cache_folder() -> Path:
    """Where matplotlib keeps the grader's font cache (``matplotlib.get_cachedir()``)."""
    if os.environ.get("MPLCONFIGDIR"):
        return Path(os.environ["MPLCONFIGDIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"


def ensure_server() -> str:
    """The socket of this process's fork server, started (a few seconds of imports) if needed."""
    global _server
    with _starting:
        if _server is None or _server[0].poll() is not None:
            _server = _start_server()
        return _server[1]


def _start_server() -> tuple[subprocess.Popen, str]:
    folder = tempfile.mkdtemp(prefix="mdl-forkserver-")
    path = os.path.join(folder, "server.sock")
    os.makedirs(os.path.join(folder, "matplotlib"))
    for cache in font_cache_folder().glob("fontlist-*.json"):     # else built once, in there
        shutil.copy(cache, os.path.join(folder, "matplotlib", cache.name))
    with open(os.path.join(folder, "server.log"), "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "course.grader.forkserver", path],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                   cwd=folder, env=server_environment(folder))
    ready = process.stdout.readline()
    if ready.strip() != b"ready":
        process.kill()
        raise ForkServerError(f"the kernel fork server did not start (see {folder}/server.log)")
    return process, path


def run_kernel(path: str, request: dict) -> int:
    """Ask the server at ``path`` for a kernel; wait for it to end; its exit status."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.connect(path)
        connection.sendall(json.dumps(request).encode() + b"\n")
        for line in connection.makefile("rb"):
            message = json.loads(line)
            if "exit" in message:
                return int(message["exit"])
    return 1                         # the server went away: so did the kernel


# --- the server ---------------------------------------------------------------------------------

def preload() -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:           # noqa: BLE001  (an optional package: the kernel imports it)
            pass


def serve(path: str) -> None:
    """Accept kernel requests until the worker (our stdin) goes away."""
    preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(sys.stdin.buffer, selectors.EVENT_READ, "worker")
    kernels: dict[int, socket.socket] = {}
    try:
        try:
            os.write(sys.stdout.fileno(), b"ready\n")
        except BrokenPipeError:     # the worker went away while this server was importing
            return
        while _serve_once(selector, listener, kernels):
            pass
    finally:
        for pid in kernels:
            _kill(pid)
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)   # made for this server


def _serve_once(selector, listener: socket.socket, kernels: dict[int, socket.socket]) -> bool:
    """Handle what happened in the last tenth of a second; False when the worker is gone."""
    for key, _ in selector.select(timeout=0.1):
        if key.data == "worker":
            return False
        if key.data == "accept":
            connection = listener.accept()[0]
            pid = _start(connection, listener, kernels)
            if pid:
                kernels[pid] = connection
                selector.register(connection, selectors.EVENT_READ, pid)
            else:
                connection.close()
        else:                       # the launcher went away (killed): so goes its kernel
            _kill(key.data)
    while kernels:                  # report each kernel that ended to its launcher
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        connection = kernels.pop(pid, None)
        if connection is not None:
            selector.unregister(connection)
            try:
                connection.sendall(json.dumps(
                    {"exit": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
            except OSError:
                pass
            connection.close()
    return True


def _kill(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _start(connection: socket.socket, listener: socket.socket, kernels: dict) -> int:
    connection.settimeout(10)
    try:
        request = json.loads(connection.makefile("rb").readline(MAX_REQUEST))
    except (OSError, ValueError):
        return 0
    pid = os.fork()
    if pid == 0:
        try:
            # nothing of the server survives into the kernel: not its socket, nor another's
            for handle in (listener, connection, *kernels.values()):
                handle.close()
            _become_kernel(request)
        except BaseException as error:       # noqa: BLE001
            print(f"kernel start failed: {type(error).__name__}: {error}", file=sys.stderr,
                  flush=True)
        os._exit(70)
    return pid


def _become_kernel(request: dict) -> None:
    """In the forked copy: confine this process, then run ipykernel (never returns)."""
    if request.get("cgroup"):
        Path(request["cgroup"]).write_text(str(os.getpid()))
    if request.get("sandbox_pid"):
        _enter_sandbox(int(request["sandbox_pid"]))
        _private_folders(request)
    os.setsid()
    os.chdir(request["cwd"])
    null = os.open(os.devnull, os.O_RDONLY)
    log = os.open(request.get("log") or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    for target, source in ((0, null), (1, log), (2, log)):
        os.dup2(source, target)
    os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    _limit(request)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS")
    uid = request.get("uid")
    if uid is not None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    os.environ.clear()
    os.environ.update(request["env"])
    checks = sys.modules.get("course.checks")
    if checks is not None:              # imported before this kernel's environment was set
        checks.use_run_seed_from_environment()
    for number in (signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    _fresh_random_state()
    import ipykernel_launcher
    from ipykernel import kernelapp

    sys.argv = [ipykernel_launcher.__file__, *request["args"]]
    if sys.path and sys.path[0] in ("", str(Path(__file__).parents[2])):
        del sys.path[0]             # as ipykernel_launcher does; the shell adds '' back
    try:
        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    os._exit(code)


def _enter_sandbox(pid: int) -> None:
    """Join the namespaces and the root of sandbox process ``pid``, then fork: the child goes on
    inside the sandbox's PID namespace, this process waits for it and exits as it did."""
    handles = {name: os.open(f"/proc/{pid}/ns/{name}", os.O_RDONLY) for name in NAMESPACES}
    root = os.open(f"/proc/{pid}/root", os.O_RDONLY)
    libc = ctypes.CDLL(None, use_errno=True)
    for name, handle in handles.items():
        if libc.setns(handle, 0) != 0:
            raise OSError(ctypes.get_errno(), f"setns({name})")
        os.close(handle)
    os.fchdir(root)
    os.chroot(".")
    os.close(root)
    child = os.fork()
    if child:
        os.closerange(0, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
        code = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
        os._exit(code if code >= 0 else 128 - code)        # killed by signal N: 128 + N


def _private_folders(request: dict) -> None:
    """Inside the sandbox, still root: cap the sandbox's ``/tmp`` (a tmpfs of its own) in bytes
    and files, and cover the working folder with a tmpfs of the same caps, owned by the kernel's
    user, into which the folder's files (regular files and folders only) are copied. What the
    kernel writes there is never seen outside and goes when the sandbox ends. (``/tmp`` is
    remounted, not covered: the software or the scratch folder may be bound below it.)"""
    cwd, uid = request["cwd"], int(request["uid"])
    source = os.open(cwd, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    libc = ctypes.CDLL(None, use_errno=True)

    def mount(target: str, flags: int, options: str) -> None:
        if libc.mount(b"tmpfs", target.encode(), b"tmpfs", flags | MS_NOSUID | MS_NODEV,
                      options.encode()) != 0:
            raise OSError(ctypes.get_errno(), f"mount tmpfs on {target}")

    capped = f"size={int(request['disk_bytes'])},nr_inodes={int(request['max_files'])}"
    mount("/tmp", MS_REMOUNT, capped)
    os.chmod("/tmp", 0o1777)
    mount(cwd, 0, f"{capped},mode=0700,uid={uid},gid={uid}")
    _copy_tree(source, cwd, uid)
    os.close(source)
    for name in ("home", "matplotlib"):
        os.mkdir(f"/tmp/{name}", 0o700)
        os.chown(f"/tmp/{name}", uid, uid)


def _copy_tree(source: int, target: str, uid: int) -> None:
    """Copy the folder open as ``source`` into ``target``, following no link."""
    for entry in os.scandir(source):
        path = os.path.join(target, entry.name)
        if entry.is_dir(follow_symlinks=False):
            os.mkdir(path, 0o700)
            inner = os.open(entry.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=source)
            try:
                _copy_tree(inner, path, uid)
            finally:
                os.close(inner)
        elif entry.is_file(follow_symlinks=False):
            handle = os.open(entry.name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=source)
            with open(handle, "rb") as src, open(path, "xb") as dst:
                shutil.copyfileobj(src, dst)
        else:
            continue
        os.chown(path, uid, uid)


def _limit(request: dict) -> None:
    memory = int(request["memory_mb"]) * 1024 * 1024
    cpu = int(request["cpu_seconds"])
    limits = {resource.RLIMIT_AS: (memory, memory), resource.RLIMIT_CPU: (cpu, cpu + 5),
              resource.RLIMIT_FSIZE: (request["max_file_bytes"],) * 2,
              resource.RLIMIT_CORE: (0, 0)}
    if request.get("uid") is not None:
        limits[resource.RLIMIT_NPROC] = (request["max_processes"],) * 2
    for which, value in limits.items():
        resource.setrlimit(which, value)


def _fresh_random_state() -> None:
    """Forked copies share the server's random state; give each kernel its own, as a fresh
    interpreter would have (``random`` reseeds itself after a fork)."""
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


if __name__ == "__main__":
    serve(sys.argv[1])
