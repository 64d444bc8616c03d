"""The graders are proven. Through `course grade` (nbgrader's own autograde, every kernel
sandboxed): the solution scores full marks, the blank release scores zero, a sample of catalog
students loses points where the catalog says. Every catalog mistake is proven by
``course.tools.proof`` (one warm interpreter per notebook, a fork per mistake), whose verdicts
are checked against course grade's, cell by cell, on that sample."""
from __future__ import annotations

import random
import shutil
import textwrap

import nbformat
import pytest

from course.tools import catalog, paths, proof
from course.tools.leaks import secret_lines, visible_text
from tests.conftest import GRADING_SEED, sampled_mistakes

ASSIGNMENTS = paths.assignments()
MISTAKES = [pytest.param(a, m, id=f"{a}:{m.id}") for a in ASSIGNMENTS for m in catalog.load(a)]
CORRECT = [pytest.param(a, v, id=f"{a}:{v.id}") for a in ASSIGNMENTS for v in catalog.load_correct(a)]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_scores_full_marks(graded_class, assignment):
    graded = graded_class(assignment)
    cells = graded.scores["perfect"]
    assert cells, "the perfect submission was not graded (see nbgrader.log in the course dir)"
    lost = {c.grade_id: f"{c.score:g}/{c.max_score:g}" for c in cells if c.score != c.max_score}
    assert not lost, f"the instructor's solution lost points: {lost}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_scores_zero(graded_class, assignment):
    graded = graded_class(assignment)
    cells = graded.scores["blank"]
    assert cells, "the blank submission was not graded"
    scored = {c.grade_id: c.score for c in cells if c.score != 0}
    assert not scored, f"an unanswered notebook earned points (a grader that cannot fail): {scored}"


@pytest.mark.parametrize(("assignment", "mistake"), MISTAKES)
def test_mistake_loses_points(proofs, assignment, mistake):
    result = proofs[assignment].mistakes.get(mistake.id)
    assert result is not None, f"{mistake.id} was not run: is its cell {mistake.cell!r} in a notebook?"
    assert result.error is None, f"{mistake.id} could not be proven: {result.error}"
    kept = [cell for cell in mistake.loses if cell not in result.failed]
    assert not kept, f"{', '.join(kept)} gave full marks to the mistake {mistake.id!r} ({mistake.why})"


@pytest.mark.parametrize(("assignment", "variant"), CORRECT)
def test_a_right_answer_in_another_style_keeps_full_marks(proofs, assignment, variant):
    result = proofs[assignment].mistakes.get(variant.id)
    assert result is not None and result.error is None, result
    assert result.passed, f"{variant.id} reached no test cell"
    assert not result.failed, f"the right answer {variant.id!r} ({variant.why}) loses {result.failed}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_sampled_mistakes_lose_points_in_course_grade(graded_class, assignment):
    graded = graded_class(assignment)
    for mistake in sampled_mistakes(assignment):
        for grade_id in mistake.loses:
            cell = graded.score(mistake.student, grade_id)
            assert cell.score < cell.max_score, (
                f"{grade_id} gave full marks to the mistake {mistake.id!r} ({mistake.why})")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_fast_proof_agrees_with_course_grade(graded_class, proofs, assignment):
    """The fast proof is trusted for the whole catalog because, on the students graded both
    ways, it fails exactly the test cells that real nbgrader scores below full marks."""
    graded, proven = graded_class(assignment), proofs[assignment]
    assert not proven.perfect.failed and not proven.perfect.error, proven.perfect
    assert proven.perfect.passed
    assert sorted(proven.perfect.passed) == sorted(c.grade_id for c in graded.scores["perfect"])
    for mistake in sampled_mistakes(assignment):
        lost = {c.grade_id for c in graded.scores[mistake.student] if c.score < c.max_score}
        result = proven.mistakes[mistake.id]
        assert result.error is None, result.error
        tested = set(result.failed) | set(result.passed)
        assert lost & tested == set(result.failed), (
            f"{mistake.id}: course grade took points on {sorted(lost & tested)}, the fast proof "
            f"failed {sorted(result.failed)}")


def test_the_fast_proof_can_fail(tmp_path):
    """A "mistake" that changes nothing a test can see keeps full marks, and one that hangs is
    stopped: both are reported, so a catalog entry that proves nothing cannot pass."""
    assignment = "12-classification-metrics"
    folder = tmp_path / assignment
    folder.mkdir()
    (folder / paths.MISTAKES).write_text(textwrap.dedent('''
        [[mistake]]
        id = "only-spaces"
        cell = "confusion_matrix_from_scratch"
        loses = ["test_confusion_matrix_from_scratch"]
        why = "not a mistake at all: spaces added"
        replace = [ { old = "labels = np.unique(", new = "labels  =  np.unique(" } ]

        [[mistake]]
        id = "hangs"
        cell = "precision_recall_f1"
        loses = ["test_precision_recall_f1"]
        why = "never returns"
        code = "import time\\ndef precision_recall_f1(*args, **kwargs):\\n    while True:\\n        time.sleep(1)"
        '''))
    result = proof.prove(assignment, GRADING_SEED, instructor=tmp_path, seconds=20)
    problems = result.problems()
    assert any(p.startswith("only-spaces: full marks on test_confusion_matrix_from_scratch")
               for p in problems), problems
    assert any(p.startswith("hangs: not proven (the run did not finish within 20 s")
               for p in problems), problems
    assert len(problems) == 2, problems


def test_a_worked_example_that_raises_is_reported(tmp_path):
    """The proof of "every cell runs" can fail: a cell outside the graded ones that raises is
    named, though it costs no points."""
    assignment = "21-mock-exam-mla-c01"
    shutil.copytree(paths.SOURCE / assignment, tmp_path / assignment)
    notebook = next((tmp_path / assignment).glob("*.ipynb"))
    cells = nbformat.read(notebook, as_version=4)
    cells.cells.insert(3, nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(cells, notebook)
    problems = proof.prove(assignment, GRADING_SEED, source=tmp_path, mistakes=False).problems()
    assert problems == [f"the solution's {notebook.name} cell 1 raises ZeroDivisionError: division by zero"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_hides_hidden_tests(graded_class, assignment):
    graded = graded_class(assignment)
    pages = graded.feedback_pages()
    assert len(pages) == len(graded.students) * len(paths.notebooks(paths.SOURCE / assignment))
    secrets = set().union(*(secret_lines(nb, "hidden") for nb in paths.notebooks(paths.SOURCE / assignment)))
    assert secrets, "no hidden tests found: the leak check would prove nothing"
    for page in pages:
        text = visible_text(page.read_text())
        assert "HIDDEN TESTS" not in text, f"{page}: hidden-test markers in feedback"
        leaked = sorted(secrets & {line.strip() for line in text.splitlines()})
        assert not leaked, f"{page.relative_to(graded.course.root)} shows hidden test code: {leaked[:3]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_leak_check_catches_upstream_feedback(graded_class, assignment):
    """Without the course's preprocessor, nbgrader's own feedback shows hidden tests, and the
    check above sees it: the leak test can fail."""
    graded = graded_class(assignment)
    graded.course.nbgrader(
        "generate_feedback", assignment, "--force", "--student", "blank",
        "--CourseDirectory.feedback_directory=feedback-upstream",
        '--GenerateFeedback.preprocessors=["nbgrader.preprocessors.GetGrades",'
        '"nbconvert.preprocessors.CSSHTMLHeaderPreprocessor"]')
    pages = sorted((graded.course.root / "feedback-upstream").rglob("*.html"))
    assert pages
    secrets = set().union(*(secret_lines(nb, "hidden") for nb in paths.notebooks(paths.SOURCE / assignment)))
    lines = {line.strip() for page in pages for line in visible_text(page.read_text()).splitlines()}
    assert secrets & lines


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_writes_nothing_to_stderr(proofs, assignment):
    """Output to stderr costs no points (course.grader.scoring), but a warning in the solution
    is noise every student would see and wonder about: the solution runs warning-free."""
    noisy = proofs[assignment].perfect.noisy
    assert not noisy, f"cells of the solution write to stderr: {noisy}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_cell_of_the_solution_runs(proofs, assignment):
    """The setup and worked-example cells raise nothing either: a broken worked example costs no
    points, so the grades alone would not show it (this is what nbval checks in the quick run;
    the full run skips nbval for the notebooks proven here, see conftest.py)."""
    broken = proofs[assignment].perfect.broken
    assert not broken, f"cells of the solution raise: {broken}"


def test_solutions_score_full_marks_whatever_the_seed():
    """Hidden tests draw fresh inputs every grading run (a new seed): they recompute what they
    expect, so the instructor's solution passes every test cell for any seed, not only the one
    the class above was graded with (a second seed besides the grading seed: each costs a full
    run of every notebook)."""
    seed = random.randrange(2 ** 31)
    for assignment, proven in proof.prove_all(ASSIGNMENTS, seed, mistakes=False).items():
        assert proven.perfect.passed and not proven.perfect.error, (seed, proven.perfect)
        assert not proven.perfect.failed, (seed, assignment, proven.perfect.failed)
