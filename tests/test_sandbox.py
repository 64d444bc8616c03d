"""The grading sandbox: a submission can read or change nothing but its own working copy.

Students who attack the grading machine (wipe the gradebook, read source/ and other students'
work, write outside their folder, open connections, fork without end) are graded next to
ordinary students by ``course grade``. Every attack fails, the ordinary students get exactly the
grades of a run without the attackers, and nothing secret reaches any notebook or feedback page.
Without the sandbox (``--unsandboxed``) the same kind of attack succeeds, which shows the tests
can fail.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading

import nbformat
import pytest

from course.grader import sandbox
from course.tools import classroom, leaks, paths, pipeline
from tests.support import hostile
from tests.support.classes import course_with, submit_hostile

ASSIGNMENT = hostile.ASSIGNMENT
ORDINARY = [classroom.perfect(), classroom.blank(), classroom.one_per_mistake(ASSIGNMENT)[0]]
POSTGRES = os.environ.get("MDL_TEST_POSTGRES_URL")
# What a PostgreSQL gradebook changes: a URL to attack, and secrets that could leak through it.
DATABASE_ATTACKS = {"wipe-postgres", "read-secrets"}
FILES_BEFORE: dict = {}       # course root -> files_and_modes() before the attackers were graded

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(bool(sandbox.check()) and not os.environ.get("MDL_REQUIRE_SANDBOX"),
                                 reason="no sandbox here: " + "; ".join(sandbox.check()))]


def new_course(root, gradebook_url=None) -> pipeline.Course:
    return course_with(root, ORDINARY, gradebook_url=gradebook_url)


class Listener:
    """A TCP server on loopback that records whether anyone connected."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.server.accept()[0].close()
            except OSError:
                return
            self.connections += 1


def _database(url):
    import psycopg
    import uuid

    name = f"mdl_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                         autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The ordinary students graded without attackers next to them."""
    course = new_course(tmp_path_factory.mktemp("reference") / "course")
    assert pipeline.grade(course, "--workers", "2").returncode == 0
    return pipeline.cell_scores(course, ASSIGNMENT)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def attacked(request, reference, tmp_path_factory):
    """Attackers graded next to the ordinary students, into a SQLite gradebook (every attack)
    and into a PostgreSQL server (the attacks that depend on the database)."""
    if request.param == "postgresql" and not POSTGRES:
        if os.environ.get("MDL_REQUIRE_POSTGRES"):
            pytest.fail("MDL_REQUIRE_POSTGRES is set but MDL_TEST_POSTGRES_URL is not")
        pytest.skip("no PostgreSQL server: eval \"$(bash .ci/postgres)\" starts one")
    url = _database(POSTGRES) if request.param == "postgresql" else None
    course = new_course(tmp_path_factory.mktemp("attacked") / "course", url)
    listener = Listener()
    attacks = hostile.sandbox_attacks(str(course.root), "perfect", db_url=url or POSTGRES,
                                      catalog=str(paths.INSTRUCTOR / ASSIGNMENT / paths.MISTAKES),
                                      port=listener.port)
    if url:
        attacks = [entry for entry in attacks if entry.id in DATABASE_ATTACKS]
    for entry in attacks:
        submit_hostile(course, entry)
    before = files_and_modes(course)
    run = pipeline.grade(course, "--workers", "2")
    pipeline.generate_feedback(course, ASSIGNMENT)
    FILES_BEFORE[course.root] = before
    return course, reference, attacks, run, listener


def files_and_modes(course) -> dict[str, tuple[int, bytes]]:
    """Mode and content of the files an attacker's links point at."""
    targets = [course.root / "source" / ASSIGNMENT / hostile.NOTEBOOK,
               course.root / "submitted" / "perfect" / ASSIGNMENT / hostile.NOTEBOOK]
    if (course.root / "gradebook.db").exists():
        targets.append(course.root / "gradebook.db")
    return {str(p): (p.stat().st_mode, p.read_bytes() if p.suffix == ".ipynb" else b"")
            for p in targets}


def outputs(course, student) -> str:
    path = course.root / "autograded" / student / ASSIGNMENT / hostile.NOTEBOOK
    notebook = nbformat.read(path, as_version=4)
    return "\n".join(str(o.get("text", "")) + str(o.get("evalue", ""))
                     for c in notebook.cells for o in c.get("outputs", []))


def test_the_class_gets_the_grades_of_a_run_without_attackers(attacked):
    course, reference, attacks, run, _ = attacked
    assert "Sandbox: bubblewrap" in run.stdout, run.stdout[-2000:] + run.stderr[-2000:]
    assert run.returncode == 0, run.stdout[-3000:]
    scores = pipeline.cell_scores(course, ASSIGNMENT)
    for student in ORDINARY:
        assert scores[student.id] == reference[student.id], student.id
    for entry in attacks:     # the attack failed inside the answer cell: the answers still count
        cells = scores[entry.student]
        assert cells and [c.score for c in cells] == [c.max_score for c in cells], entry.id


def test_every_attack_failed(attacked):
    course, _, attacks, _, listener = attacked
    for entry in attacks:
        said = outputs(course, entry.student)
        assert "ATTACK FAILED" in said or entry.id == "fork-bomb", (entry.id, said[-1500:])
        for success in ("WIPED", "WROTE", "CONNECTED"):
            assert success not in said, (entry.id, said[-1500:])
    assert listener.connections == 0
    assert not list(course.root.rglob("PWNED.txt"))
    if any(entry.id == "fork-bomb" for entry in attacks):
        forked = [line for line in outputs(course, "h-fork-bomb").splitlines() if "FORKED" in line]
        assert forked and int(forked[0].split()[-1]) < 64, forked


def test_links_left_in_the_working_folder_are_never_followed(attacked):
    """After the kernel ends, the grader writes, chmods and collects only what it wrote itself:
    the links, the FIFO and the replaced notebook the attacker left stay in its sandbox."""
    course, _, attacks, _, _ = attacked
    if not any(entry.id == "leaves-links" for entry in attacks):
        pytest.skip("the link attack does not depend on the database")
    folder = course.root / "autograded" / "h-leaves-links" / ASSIGNMENT
    assert sorted(p.name for p in folder.iterdir()) == [hostile.NOTEBOOK]
    assert not (folder / hostile.NOTEBOOK).is_symlink()
    nbformat.read(folder / hostile.NOTEBOOK, as_version=4)        # the executed notebook
    for feedback in (course.root / "feedback" / "h-leaves-links").rglob("*"):
        assert not feedback.is_symlink() and "gradebook" not in feedback.name
    after = files_and_modes(course)
    for path, (mode, content) in FILES_BEFORE[course.root].items():
        assert after[path][0] == mode, f"{path} was chmod-ed"
        assert after[path][1] == content, f"{path} was changed"


def test_nothing_secret_reaches_notebooks_or_feedback(attacked):
    course, _, attacks, _, _ = attacked
    secrets = leaks.all_secret_lines(paths.SOURCE / ASSIGNMENT)
    catalog_lines = {line.strip() for line in (paths.INSTRUCTOR / ASSIGNMENT / paths.MISTAKES)
                     .read_text().splitlines() if len(line.strip()) > 30}
    for entry in attacks:
        if entry is hostile.LEAKS_HIDDEN_TESTS:     # its autograded notebook is the instructor's
            continue
        printed = outputs(course, entry.student)
        assert not [s for s in secrets if s in printed], entry.id
        assert not [s for s in catalog_lines if s in printed], entry.id
    hidden = {s for s, origin in secrets.items() if origin.startswith("hidden")}
    if any(entry is hostile.LEAKS_HIDDEN_TESTS for entry in attacks):   # the test can fail
        printed = outputs(course, hostile.LEAKS_HIDDEN_TESTS.student)
        assert len([s for s in hidden if s in printed]) > 20
    for page in (course.root / "feedback").rglob("*.html"):
        text = leaks.visible_text(page.read_text())
        assert not [s for s in hidden if s in text], page


def test_without_the_sandbox_the_same_attack_succeeds(tmp_path):
    """Proof that the attack tests can fail: unsandboxed, a student writes next to the gradebook."""
    course = pipeline.make_course(tmp_path / "course", [ASSIGNMENT])
    pipeline.generate_release(course, ASSIGNMENT)
    entry = next(e for e in hostile.sandbox_attacks(str(course.root), "nobody")
                 if e.id == "write-files")
    submit_hostile(course, entry)
    run = pipeline.grade(course, "--unsandboxed", "--workers", "1")
    assert "UNSANDBOXED" in run.stderr
    assert (course.root / "PWNED.txt").exists()


def test_grading_refuses_without_a_sandbox(tmp_path):
    """A machine without bubblewrap: `course grade` refuses and says why."""
    course = new_course(tmp_path / "course")
    bare = tmp_path / "bin"
    bare.mkdir()
    os.symlink(sys.executable, bare / "python3")
    env = {**os.environ, "PATH": str(bare)}
    run = subprocess.run([sys.executable, "-m", "course", "grade", str(course.root),
                          "--workers", "1"], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Refusing to grade" in run.stderr and "bubblewrap is not installed" in run.stderr
    assert not pipeline.cell_scores(course, ASSIGNMENT)["perfect"]
