"""The graders are proven through `course grade` (nbgrader's own autograde, every kernel
sandboxed): the solution scores full marks, the blank release scores zero, and every catalog
mistake loses points on the cell it targets."""
from __future__ import annotations

import nbformat
import pytest

from course.tools import catalog, paths

from course.tools.leaks import secret_lines, visible_text

ASSIGNMENTS = paths.assignments()
MISTAKES = [pytest.param(a, m, id=f"{a}:{m.id}") for a in ASSIGNMENTS for m in catalog.load(a)]

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
def test_mistake_loses_points(graded_class, assignment, mistake):
    graded = graded_class(assignment)
    for grade_id in mistake.loses:
        cell = graded.score(mistake.student, grade_id)
        assert cell.score < cell.max_score, (
            f"{grade_id} gave full marks to the mistake {mistake.id!r} ({mistake.why})")


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
def test_solution_writes_nothing_to_stderr(graded_class, assignment):
    """nbgrader gives 0 to a test cell that writes to stderr (a warning included), so the
    instructor's solution must run warning-free in every graded cell."""
    graded = graded_class(assignment)
    for notebook in sorted((graded.course.root / "autograded" / "perfect" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                noisy = [o.get("text", "") for o in cell.get("outputs", [])
                         if o.get("output_type") == "stream" and o.get("name") == "stderr"]
                assert not noisy, f"{cell.metadata.nbgrader.grade_id} wrote to stderr: {noisy[0][:200]}"


def test_solutions_score_full_marks_whatever_the_seed(tmp_path):
    """Hidden tests draw fresh inputs every grading run (a new seed): they recompute what they
    expect, so the instructor's solution keeps full marks for any seed, not only the defaults."""
    import json
    import random

    from course.grader import coordinator
    from course.tools import classroom, pipeline

    seeds = random.sample(range(2 ** 31), 2)
    course = pipeline.make_course(tmp_path / "course", ASSIGNMENTS)
    for assignment in ASSIGNMENTS:
        release_dir = pipeline.generate_release(course, assignment)
        pipeline.submit(course, "perfect", assignment, classroom.submission(
            classroom.perfect(), release_dir, paths.SOURCE / assignment))
    for seed in seeds:
        run = pipeline.grade(course, "--seed", str(seed), "--force")
        assert run.returncode == 0, run.stdout[-2000:]
        report = json.loads((course.state / coordinator.REPORT).read_text())
        assert report["seed"] == seed
        for line in report["submissions"]:
            assert line["seed"] == seed
            assert line["score"] == line["max_score"], (seed, line["assignment"], line["failed_cells"])
