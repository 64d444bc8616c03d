"""``course grade``: a class with hostile students is graded correctly, in parallel, resumably,
on this machine or on an existing Dask cluster.

One class (ordinary and hostile students of assignment 12) is graded once by the real command
with two workers; every hostile student gets the grade its catalog entry states, and the ordinary
students get exactly what plain ``nbgrader autograde`` gives them.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from course.grader import coordinator, gradebook, worker
from course.tools import classroom, leaks, paths, pipeline
from tests.support import classes, hostile
from tests.support.classes import course_with, report

pytestmark = pytest.mark.slow

ASSIGNMENT = hostile.ASSIGNMENT
# the budget leaves room for two cell timeouts and restarts (loop-ignores-interrupt) and
# is too short for 70 s of sleep (slow-everywhere)
LIMITS = ["--budget", "50", "--cell-timeout", "8", "--memory-mb", "1536"]
ORDINARY = [classroom.perfect(), classroom.blank(), *classroom.one_per_mistake(ASSIGNMENT)[:2]]


def new_course(root: Path, hostile_entries=hostile.CATALOG, ordinary=ORDINARY) -> pipeline.Course:
    return course_with(root, ordinary, hostile_entries)


def course_grade(course: pipeline.Course, *args: str, **popen) -> subprocess.CompletedProcess:
    return classes.course_grade(course, *LIMITS, *args, **popen)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = new_course(tmp_path_factory.mktemp("class") / "course")
    run = course_grade(course, "--workers", "2")
    return course, run, pipeline.cell_scores(course, ASSIGNMENT), report(course)


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """The ordinary students graded by plain nbgrader, for comparison."""
    course = new_course(tmp_path_factory.mktemp("plain") / "course", hostile_entries=[])
    pipeline.autograde(course, ASSIGNMENT)
    return pipeline.cell_scores(course, ASSIGNMENT)


def test_command_reports_progress_and_summary(graded):
    _, run, _, _ = graded
    total = len(ORDINARY) + len(hostile.CATALOG)
    assert f"[1/{total - 2}]" in run.stdout or f"/{total - 2}]" in run.stdout, run.stdout[-2000:]
    assert f"{total} submission(s): {total} graded, 0 with errors." in run.stdout, run.stdout[-3000:]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def test_ordinary_students_get_what_plain_nbgrader_gives(graded, plain):
    _, _, scores, _ = graded
    for student in ORDINARY:
        assert scores[student.id] == plain[student.id], student.id
    assert sum(c.score for c in scores["perfect"]) == sum(c.max_score for c in scores["perfect"])
    assert sum(c.score for c in scores["blank"]) == 0


@pytest.mark.parametrize("entry", hostile.CATALOG, ids=[e.id for e in hostile.CATALOG])
def test_hostile_submission(graded, entry):
    _, _, scores, lines = graded
    cells = scores[entry.student]
    assert cells, f"{entry.student} was not graded"
    for cell in cells:
        if hostile.ALL in entry.lose:
            assert cell.score == 0, (entry.id, cell)
        elif cell.grade_id in entry.lose:
            assert cell.score < cell.max_score, (entry.id, cell)
        elif cell.grade_id in entry.maybe:
            continue
        else:
            assert cell.score == cell.max_score, (entry.id, cell)
    line = lines[entry.student]
    said = " ".join(line["notes"]) + " " + " ".join(line["failed_cells"].values())
    assert entry.report in said, (entry.id, said)
    assert line["status"] == "graded"


def test_huge_output_is_cut_in_the_autograded_notebook(graded):
    course, _, _, _ = graded
    path = course.root / "autograded" / "h-huge-output" / ASSIGNMENT / hostile.NOTEBOOK
    assert path.stat().st_size < 1_000_000


def test_snooping_student_finds_nothing_and_changes_nothing(graded):
    course, _, scores, _ = graded
    notebook = nbformat.read(course.root / "autograded" / "h-snoops-relative" / ASSIGNMENT /
                             hostile.NOTEBOOK, as_version=4)
    printed = "\n".join(str(o.get("text", "")) for c in notebook.cells for o in c.get("outputs", []))
    secrets = leaks.all_secret_lines(paths.SOURCE / ASSIGNMENT)
    assert not [s for s in secrets if s in printed]
    assert all(scores[s.id] for s in ORDINARY)      # nobody's grades were deleted


def test_rerun_is_idempotent(graded):
    course, _, scores, _ = graded
    again = course_grade(course, "--workers", "2")
    assert "Grading 0 submission(s)" in again.stdout, again.stdout[-2000:]
    assert pipeline.cell_scores(course, ASSIGNMENT) == scores


def test_one_worker_gives_the_same_grades_as_two(graded, tmp_path):
    _, _, scores, _ = graded
    chosen = [e for e in hostile.CATALOG if e.id in {"os-exit", "memory-hog", "duplicated-cell",
                                                      "patched-checks", "invalid-json"}]
    course = new_course(tmp_path / "course", chosen)
    run = course_grade(course, "--workers", "1")
    assert run.returncode == 0, run.stdout[-2000:]
    sequential = pipeline.cell_scores(course, ASSIGNMENT)
    assert sequential == {k: v for k, v in scores.items() if k in sequential}


def _grading_processes(parent: int) -> list:
    """The grading workers under ``parent``; a process that ends while we look is skipped (a
    short-lived child can exit between the listing and the reading of its command line)."""
    import psutil

    found = []
    for child in psutil.Process(parent).children(recursive=True):
        try:
            line = " ".join(child.cmdline())
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            continue
        if "multiprocessing" in line and "resource_tracker" not in line:
            found.append(child)
    return found


def test_interrupted_and_killed_runs_resume_to_the_same_grades(graded, tmp_path):
    _, _, scores, _ = graded
    ordinary = ORDINARY + classroom.one_per_mistake(ASSIGNMENT)[2:4]
    course = new_course(tmp_path / "course", [], ordinary)
    env = dict(os.environ)
    command = [sys.executable, "-m", "course", "grade", str(course.root), *LIMITS, "--workers", "2"]

    # A grading worker is killed mid-run: Dask restarts it and the submission is graded again.
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not _grading_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(3)
    _grading_processes(process.pid)[0].kill()
    # Then Ctrl-C once the first result is in: the run stops cleanly and can be resumed.
    first = process.stdout.readline()
    while first and not first.startswith("["):
        first = process.stdout.readline()
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=300)
    partial = pipeline.cell_scores(course, ASSIGNMENT)
    done = {p.stem for p in (course.state / "done" / ASSIGNMENT).glob("*.json")}
    assert done and len(done) < len(ordinary), out
    for student in done:            # whatever was recorded as done is complete in the gradebook
        assert partial[student] == scores.get(student, partial[student]) and partial[student]

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stdout[-2000:]
    assert f"{len(done)} unchanged since the last run" in resumed.stdout
    final = pipeline.cell_scores(course, ASSIGNMENT)
    for student in ORDINARY:
        assert final[student.id] == scores[student.id]
    assert all(final[s.id] for s in ordinary)


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")   # nbgrader's own session use
def test_late_penalties_and_extensions_are_those_of_plain_nbgrader(tmp_path):
    """With a late penalty configured, a student who handed in a day late loses the notebook's
    points and one with a two-day extension does not, as plain nbgrader decides."""
    penalties = {}
    for how in ("plain", "course grade"):
        course = new_course(tmp_path / how.replace(" ", "-"), [], [])
        with (course.root / "nbgrader_config.py").open("a") as config:
            config.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
        release_dir = course.root / "release" / ASSIGNMENT
        course_id = course.course_id
        with Gradebook(course.db_url, course_id) as gradebook:
            gradebook.update_or_create_assignment(ASSIGNMENT, duedate=datetime(2030, 1, 1))
        for student in ("late", "extended"):
            folder = pipeline.submit(course, student, ASSIGNMENT, classroom.submission(
                classroom.perfect(), release_dir, paths.SOURCE / ASSIGNMENT))
            (folder / "timestamp.txt").write_text("2030-01-02 00:00:00 UTC")
        with Gradebook(course.db_url, course_id) as gradebook:
            gradebook.update_or_create_student("extended")
            gradebook.update_or_create_submission(ASSIGNMENT, "extended")
            gradebook.grant_extension(ASSIGNMENT, "extended", days=2)
        if how == "plain":
            pipeline.autograde(course, ASSIGNMENT)
        else:
            run = course_grade(course, "--workers", "1")
            assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        with Gradebook(course.db_url, course_id) as gradebook:
            penalties[how] = {s.student.id: sum(n.late_submission_penalty or 0 for n in s.notebooks)
                              for s in gradebook.assignment_submissions(ASSIGNMENT)}
    assert penalties["plain"]["late"] > 0 and penalties["plain"]["extended"] == 0, penalties
    assert penalties["course grade"] == penalties["plain"]


def test_grading_a_course_without_submissions_says_so(tmp_path):
    course = pipeline.make_course(tmp_path / "course", [ASSIGNMENT])
    pipeline.generate_release(course, ASSIGNMENT)
    run = course_grade(course)
    assert "Grading 0 submission(s)" in run.stdout and run.returncode == 0


def test_an_existing_dask_cluster_grades_the_same(graded, tmp_path):
    """Scale-out: a scheduler and workers started separately (as on other machines)."""
    _, _, scores, _ = graded
    address_file = tmp_path / "scheduler.json"
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler",
                                  "--scheduler-file", str(address_file), "--port", "0",
                                  "--no-dashboard"], stderr=subprocess.DEVNULL)
    workers = None
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        address = json.loads(address_file.read_text())["address"]
        workers = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address,
                                    "--nworkers", "2", "--nthreads", "1", "--no-dashboard"],
                                   stderr=subprocess.DEVNULL, cwd=tmp_path)
        course = new_course(tmp_path / "course", [], ORDINARY[:3])
        run = course_grade(course, "--scheduler", address)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        assert f"on {address}" in run.stdout
        cluster = pipeline.cell_scores(course, ASSIGNMENT)
        assert cluster == {k: v for k, v in scores.items() if k in cluster}
    finally:
        for process in (workers, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


def test_a_submission_nbgrader_cannot_grade_is_reported_with_its_real_cause(tmp_path):
    """nbgrader's own message is "Please see the above traceback"; the report names the cause."""
    course = pipeline.make_course(tmp_path / "course", [ASSIGNMENT])
    release_dir = pipeline.generate_release(course, ASSIGNMENT)
    template = gradebook.template(course.db_url, course.course_id, ASSIGNMENT, tmp_path)
    files = {name: nbformat.writes(nb).encode() for name, nb in classroom.submission(
        classroom.blank(), release_dir, paths.SOURCE / ASSIGNMENT).items()}
    job = worker.Job("99-never-released", "someone", files, {}, paths.CONFIG.read_text(),
                     template, worker.Limits(sandbox="none"))
    outcome = worker.grade(job)
    assert not outcome.ok and "Please see the" in outcome.error
    cause = coordinator.failure_cause(outcome)
    assert "No assignment with ID '99-never-released' exists" in cause, cause


def test_a_submission_for_an_unreleased_assignment_is_reported_and_the_rest_graded(tmp_path):
    course = new_course(tmp_path / "course", [], ORDINARY[:1])
    pipeline.submit(course, "early-bird", "13-regression-metrics-and-baselines",
                    {"notes.ipynb": nbformat.v4.new_notebook()})
    run = course_grade(course, "--workers", "1")
    assert run.returncode == 1, run.stdout[-2000:] + run.stderr[-2000:]
    lines = report(course)
    assert lines["perfect"]["status"] == "graded"
    assert lines["perfect"]["score"] == lines["perfect"]["max_score"] > 0
    said = " ".join(lines["early-bird"]["notes"])
    assert lines["early-bird"]["status"] == "error" and "generate_assignment" in said, said


@pytest.mark.parametrize("entry", [e for e in hostile.CATALOG if e.report == "tampering suspected"],
                         ids=lambda e: e.id)
def test_tampering_is_flagged_for_review_before_grading(graded, entry):
    _, _, _, lines = graded
    assert lines[entry.student]["review"], entry.id


def test_ordinary_students_are_not_flagged_for_review(graded):
    _, _, _, lines = graded
    for student in ORDINARY:
        assert lines[student.id]["review"] == [], student.id


@pytest.mark.parametrize(("entry_id", "with_config", "without"), [
    ("displays-a-score", 0, 2),       # a wrong answer: nbgrader alone reads the displayed 2
    ("warns-but-right", 2, 0),        # a right one: nbgrader alone takes the cell for stderr
])
def test_plain_nbgrader_with_the_course_config_scores_test_cells_by_their_checks(
        tmp_path, entry_id, with_config, without):
    """Only a failed check or an error costs points, also in plain `nbgrader autograde` with the
    course's config; the control without ScoreByCompletion shows what it prevents."""
    entry = next(e for e in hostile.CATALOG if e.id == entry_id)
    scores = {}
    for how in ("course config", "without ScoreByCompletion"):
        course = new_course(tmp_path / how.replace(" ", "-"), [entry], [])
        if how != "course config":
            with (course.root / "nbgrader_config.py").open("a") as config:
                config.write("\nc.Autograde.autograde_preprocessors = [p for p in "
                             "c.Autograde.autograde_preprocessors if 'course.grader.scoring' not in p]\n")
        pipeline.autograde(course, ASSIGNMENT)
        scores[how] = {c.grade_id: c for c in
                       pipeline.cell_scores(course, ASSIGNMENT)[entry.student]}
    assert scores["course config"]["test_ndcg_at_k"].score == with_config
    assert scores["without ScoreByCompletion"]["test_ndcg_at_k"].score == without
    others = [c for c in scores["course config"].values()
              if c.grade_id not in entry.lose | {"test_ndcg_at_k"}]
    assert all(c.score == c.max_score for c in others)


def test_a_regraded_submission_keeps_its_seed_and_a_new_run_draws_another(tmp_path):
    course = new_course(tmp_path / "course", [], ORDINARY[:1])
    first = course_grade(course, "--workers", "1")
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    seed = report(course)["perfect"]["seed"]
    assert isinstance(seed, int) and f"seed {seed}" in first.stdout
    again = course_grade(course, "--workers", "1", "--force")
    assert report(course)["perfect"]["seed"] == seed          # the same submission: same inputs
    assert f"seed {seed}" not in again.stdout                 # ... though the run drew its own
    chosen = course_grade(course, "--workers", "1", "--force", "--seed", "5")
    assert chosen.returncode == 0 and report(course)["perfect"]["seed"] == 5


def test_the_report_never_blames_a_cell_that_kept_its_points(graded):
    """Every cell a note names (tampering suspected, timed out, ...) is one that lost points."""
    _, _, scores, lines = graded
    for student, line in lines.items():
        full = {c.grade_id for c in scores[student] if c.score == c.max_score}
        for note in line["notes"]:
            reason, _, cells = note.partition(": ")
            if reason in coordinator.REASONS.values():
                blamed = set(cells.split(", "))
                assert not blamed & full, (student, note)


def test_workers_run_the_configured_preprocessors_with_execute_replaced():
    """An instructor's own autograde step still runs; the scoring rule is never left out."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    course = worker.worker_preprocessors(PyFileConfigLoader(
        "nbgrader_config.py", path=str(paths.ROOT)).load_config())
    assert course[0] == worker.BUDGETED_EXECUTE
    assert course.index(worker.SCORE_BY_COMPLETION) == course.index(
        "nbgrader.preprocessors.SaveAutoGrades") - 1
    own = Config()
    own.Autograde.autograde_preprocessors = ["nbgrader.preprocessors.Execute", "my.Redactor",
                                             "nbgrader.preprocessors.SaveAutoGrades"]
    assert worker.worker_preprocessors(own) == [worker.BUDGETED_EXECUTE, "my.Redactor",
                                                worker.SCORE_BY_COMPLETION,
                                                "nbgrader.preprocessors.SaveAutoGrades"]
    upstream = worker.worker_preprocessors(Config())
    assert upstream[0] == worker.BUDGETED_EXECUTE and worker.SCORE_BY_COMPLETION in upstream


def test_changing_the_assignment_or_the_config_regrades_unchanged_submissions(tmp_path):
    """The digest that lets a re-run skip a submission covers what its grade depends on, not
    only the submission: a fixed hidden test (regenerated), or a changed nbgrader_config.py."""
    course = new_course(tmp_path / "course", [], ORDINARY[:1])
    assert course_grade(course, "--workers", "1").returncode == 0
    full = {c.grade_id: c.score for c in pipeline.cell_scores(course, ASSIGNMENT)["perfect"]}
    assert full["test_ndcg_at_k"] == 2

    source = course.root / "source" / ASSIGNMENT / hostile.NOTEBOOK
    notebook = nbformat.read(source, as_version=4)
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                == "test_ndcg_at_k")
    cell.source = cell.source.replace("### BEGIN HIDDEN TESTS\n", "### BEGIN HIDDEN TESTS\n"
                                      "raise checks.CheckFailed('a stricter hidden test')\n")
    nbformat.write(notebook, source)
    pipeline.generate_release(course, ASSIGNMENT)
    again = course_grade(course, "--workers", "1")
    assert "Grading 1 submission(s)" in again.stdout, again.stdout[-2000:]
    scores = {c.grade_id: c.score for c in pipeline.cell_scores(course, ASSIGNMENT)["perfect"]}
    assert scores["test_ndcg_at_k"] == 0

    assert "Grading 0 submission(s)" in course_grade(course, "--workers", "1").stdout
    with (course.root / "nbgrader_config.py").open("a") as config:
        config.write("\nc.LimitOutput.max_lines = 300\n")
    assert "Grading 1 submission(s)" in course_grade(course, "--workers", "1").stdout


def test_a_course_with_its_own_folder_names_and_gradebook_is_graded(tmp_path):
    """Folders and gradebook come from the course's nbgrader_config.py, as for nbgrader."""
    root = tmp_path / "course"
    pipeline.make_course(root, [ASSIGNMENT])
    with (root / "nbgrader_config.py").open("a") as config:
        config.write('\nc.CourseDirectory.submitted_directory = "handed-in"\n'
                     'c.CourseDirectory.autograded_directory = "marked"\n'
                     f'c.CourseDirectory.db_url = "sqlite:///{root}/marks.db"\n')
    course = pipeline.Course(root)
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release_dir = course.release(ASSIGNMENT)
    folder = root / "handed-in" / "perfect" / ASSIGNMENT
    folder.mkdir(parents=True)
    for name, notebook in classroom.submission(classroom.perfect(), release_dir,
                                               paths.SOURCE / ASSIGNMENT).items():
        nbformat.write(notebook, folder / name)
    run = course_grade(course, "--workers", "1")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert (root / "marked" / "perfect" / ASSIGNMENT / hostile.NOTEBOOK).exists()
    assert not (root / "gradebook.db").exists() and not (root / "autograded").exists()
    with Gradebook(f"sqlite:///{root}/marks.db") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "perfect")
        assert submission.score == submission.max_score > 0


@pytest.mark.parametrize(("entry_id", "evidence"), [
    ("skips-tests", "input transformers post step"),
    ("hooks-checks", "event hook on pre_run_cell"),
    ("swallows-errors", "custom exception handler"),
    ("changes-seed", "seed changed"),
    ("forged-probe-state", "numpy.allclose replaced"),
    ("patched-checks", "course.checks.close replaced"),
])
def test_the_report_gives_the_evidence_of_tampering(graded, entry_id, evidence):
    _, _, _, lines = graded
    notes = " ".join(lines[f"h-{entry_id}"]["notes"])
    assert "tampering evidence:" in notes and evidence in notes, notes
