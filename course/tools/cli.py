"""`course` (or `python -m course`): the maintainer's and instructor's commands."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    release = commands.add_parser("release", help="regenerate release/ from source/")
    release.add_argument("assignments", nargs="*", help="assignment ids (default: all)")

    demo = commands.add_parser("demo", help="release, grade a sample class, write feedback and grades")
    demo.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    demo.add_argument("--class-size", type=int, default=4, help="students built from the catalog")
    demo.add_argument("--workdir", type=Path, help="scratch course directory (default: a temp dir)")
    demo.add_argument("--output", type=Path, default=paths.DEMO_OUTPUT,
                      help="where autograded/, feedback/ and grades.csv go (default: demo-output/; "
                           "a folder holding anything the demo did not write is refused)")

    coverage = commands.add_parser("coverage", help="print which exam items the graded cells cover")
    coverage.add_argument("--exam", choices=("C01", "C02"), default="C01",
                          help="MLA-C01's 37 Domain 2 items (default) or MLA-C02's 27 skills")
    coverage.add_argument("--write", action="store_true",
                          help="rewrite each lesson's exam-map line (its learning objectives) from exam.toml")

    bank = commands.add_parser("questions", help="check the question bank (instructor/*/questions.toml) "
                                                 "and the notebooks' question cells against it")
    bank.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    bank.add_argument("--write", action="store_true",
                      help="rewrite the source notebooks' question cells from the bank")

    mock = commands.add_parser("mock", help="draw the timed mock exam sections from the question "
                                            "bank (once) and write their notebooks and catalogs")
    mock.add_argument("assignments", nargs="*", help="mock assignment ids (default: all)")
    mock.add_argument("--redraw", action="store_true",
                      help="draw the questions anew (changes the cells of a section already given)")

    prove = commands.add_parser("prove", help="prove the misconception catalog: every mistake "
                                              "fails the cells it names; the solution and every "
                                              "right answer in another style pass")
    prove.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    prove.add_argument("--seed", type=int, default=None,
                       help="seed of the hidden tests' inputs (default: a new one)")

    from ..progress import add_arguments as progress_arguments
    progress_arguments(commands.add_parser(
        "progress", help="a student's progress by exam item, from their own notebooks (table and plot)"))

    lab = commands.add_parser("lab", help="open JupyterLab for a student (release/, Validate only) "
                                          "or an instructor (course root, formgrader)")
    lab.add_argument("--instructor", action="store_true", help="open the instructor's JupyterLab")
    # any other option (e.g. --port 8890 --no-browser) is passed on to `jupyter lab`

    student = commands.add_parser("export-student", help="write a student-only tree and scan it for leaks")
    student.add_argument("dest", type=Path, help="output folder (new, or an earlier export)")
    student.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    student.add_argument("--repository", default=None,
                         help="GitHub owner/name of the student repository, for the Binder badge")

    bench = commands.add_parser("benchmark", help="time and memory of each notebook and of grading")
    bench.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    bench.add_argument("--class-size", type=int, default=8)
    bench.add_argument("--class-grading", action="store_true",
                       help="instead: grade a synthetic class with plain nbgrader and course grade")
    bench.add_argument("--workers", type=int, default=None)

    grade = commands.add_parser(
        "grade", help="grade every submission of a course directory in parallel, with a report")
    grade.add_argument("course_dir", nargs="?", type=Path, default=paths.ROOT,
                       help="course directory holding nbgrader_config.py and submitted/ "
                            "(default: this repository)")
    grade.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    grade.add_argument("--student", action="append", help="only this student (repeatable)")
    grade.add_argument("--workers", type=int, default=None,
                       help="parallel workers on this machine (default: one per core)")
    grade.add_argument("--scheduler", default=None,
                       help="address of an existing Dask scheduler (e.g. tcp://10.0.0.5:8786) "
                            "to grade on its workers instead of this machine")
    grade.add_argument("--budget", type=float, default=300.0,
                       help="wall seconds one notebook may run (default: 300)")
    grade.add_argument("--cell-timeout", type=int, default=None,
                       help="seconds one cell may run (default: Execute.timeout of the config)")
    grade.add_argument("--memory-mb", type=int, default=2048,
                       help="memory limit of each notebook's kernel in MiB (default: 2048)")
    grade.add_argument("--disk-mb", type=int, default=256,
                       help="size of each kernel's working folder and of its /tmp in MiB "
                            "(default: 256)")
    grade.add_argument("--max-files", type=int, default=10_000,
                       help="files and folders each of them may hold (default: 10000)")
    grade.add_argument("--cpus", type=float, default=1.0,
                       help="cores one kernel and every process it starts share (default: 1)")
    grade.add_argument("--seed", type=int, default=None,
                       help="seed the hidden tests draw their inputs from (default: a new one "
                            "per run; a submission graded before, unchanged, keeps its own)")
    grade.add_argument("--unsandboxed", action="store_true",
                       help="run student code without the sandbox (rlimits only), e.g. where "
                            "bubblewrap or root is missing; see the README's threat model")
    grade.add_argument("--force", action="store_true",
                       help="regrade submissions that have not changed since the last run")

    args, passthrough = parser.parse_known_args(argv)
    if passthrough and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(passthrough)}")
    if args.command == "progress":                   # the student's folders, not source/
        from ..progress import progress
        from .student_export import progress_map
        return progress(args, progress_map())
    known = paths.assignments() if args.command != "mock" else [
        spec.parent.name for spec in sorted(paths.INSTRUCTOR.glob(f"*/{paths.MOCK}"))]
    unknown = sorted(set(getattr(args, "assignments", None) or []) - set(known))
    if unknown:
        parser.error(f"unknown assignment(s): {', '.join(unknown)}; known: {', '.join(known)}")

    if args.command == "release":
        from .pipeline import regenerate_repository_release
        for folder in regenerate_repository_release(args.assignments or None):
            print(f"wrote {folder.relative_to(paths.ROOT)}")
        return 0
    if args.command == "demo":
        from .demo import run
        ok = run(args.assignments or None, args.class_size, args.output, args.workdir)
        return 0 if ok else 1
    if args.command == "lab":
        from .lab import open_lab
        return open_lab("instructor" if args.instructor else "student", passthrough)
    if args.command == "coverage" and args.write:
        from .syllabus import sync_exam_map
        changed = [a for a in paths.lessons() if not sync_exam_map(a, write=True)]
        print(f"exam-map lines rewritten: {', '.join(changed) or 'none'} (then run `course release`)")
        return 0
    if args.command == "coverage":
        from .syllabus import coverage_report
        print(coverage_report(args.exam))
        return 0
    if args.command == "questions":
        from . import questions
        chosen = args.assignments or paths.assignments()
        unfit = [p for a in chosen for q in questions.load(a) for p in questions.problems(q)]
        differ = [d for a in chosen for d in questions.sync(a, write=args.write)]
        if not args.assignments:                       # and the self-study practice notebook
            from . import practice
            unfit += [p for q in questions.load_practice() for p in questions.problems(q)]
            differ += practice.sync(write=args.write)
        for problem in unfit + differ:
            print(problem)
        total = sum(len(questions.load(a)) for a in chosen)
        print(f"{total} questions in {len(chosen)} assignments: {len(unfit)} problems in the bank, "
              f"{len(differ)} notebook cells {'rewritten' if args.write else 'out of step with it'}")
        return 1 if unfit or (differ and not args.write) else 0
    if args.command == "mock":
        from . import mock as mocks
        for section in mocks.mocks():
            if not args.assignments or section.assignment in args.assignments:
                for path in mocks.write(section, redraw=args.redraw):
                    print(f"wrote {path.relative_to(paths.ROOT)}")
        return 0
    if args.command == "prove":
        import secrets

        from .proof import prove_all
        seed = args.seed if args.seed is not None else secrets.randbelow(2 ** 31)
        proofs = prove_all(args.assignments or paths.assignments(), seed)
        problems = [f"{a}: {p}" for a, proof in proofs.items() for p in proof.problems()]
        for assignment, proof in proofs.items():
            print(f"{assignment}: {len(proof.expected)} mistakes, {len(proof.correct)} right "
                  f"answers in other styles, seed {seed}, "
                  f"{'proven' if not proof.problems() else 'NOT PROVEN'}")
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    if args.command == "export-student":
        from .student_export import PLACEHOLDER_REPOSITORY, LeakFound, export
        try:
            export(args.dest, args.repository or PLACEHOLDER_REPOSITORY, args.assignments or None)
        except LeakFound as leak:
            print(f"REFUSED: {leak}", file=sys.stderr)
            return 1
        print(f"wrote {args.dest}; leak scan clean")
        if not args.repository:
            print(f"note: the Binder badge points at {PLACEHOLDER_REPOSITORY}; pass --repository owner/name")
        return 0
    if args.command == "grade":
        from ..grader.coordinator import SandboxUnavailable, grade_class, summary
        from ..grader.worker import Limits
        limits = Limits(budget=args.budget, cell_timeout=args.cell_timeout,
                        memory_mb=args.memory_mb, disk_mb=args.disk_mb,
                        max_files=args.max_files, cpus=args.cpus)
        try:
            report = grade_class(args.course_dir, args.assignment, args.student, args.workers,
                                 args.scheduler, limits, args.force, unsandboxed=args.unsandboxed,
                                 seed=args.seed)
        except SandboxUnavailable as refusal:
            print(refusal, file=sys.stderr)
            return 2
        print(summary(report))
        return 0 if all(line.status != "error" for line in report) else 1
    if args.command == "benchmark":
        from .benchmark import class_grading
        from .benchmark import run as benchmark
        if args.class_grading:
            class_grading(args.class_size, args.workers)
        else:
            benchmark(args.assignments or None, args.class_size)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
