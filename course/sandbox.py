"""Start a grading kernel with OS-level limits: ``python -m course.sandbox [options] -- CMD...``.

The limits are set on this process and then it *execs* the kernel, so student code inherits
them and cannot lift them (an rlimit can only be lowered by an unprivileged process):

* address space (``--memory-mb``): a huge allocation raises MemoryError instead of starving the
  machine;
* CPU time (``--cpu-seconds``): a busy loop that ignores interrupts is killed by the kernel;
* file size: a runaway write cannot fill the disk.

Maths libraries get one thread each, so parallel grading does not oversubscribe the cores and
every run computes the same floating-point results.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys

MAX_FILE_BYTES = 256 * 1024 * 1024
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def apply_limits(memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m course.sandbox")
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-seconds", type=int, required=True)
    parser.add_argument("--sandbox", choices=["none"], default="none")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    apply_limits(args.memory_mb, args.cpu_seconds)
    # The kernel's own log (a warning about TCP on every start) would drown the grader's
    # progress; what the student's code prints reaches the notebook through the kernel instead.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
