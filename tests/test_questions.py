"""The question bank (instructor/*/questions.toml) is the one source of the scenario questions:
every question is fit to grade, and the notebooks' question cells are rendered from it."""
from __future__ import annotations

import re

import nbformat
import pytest

from course.tools import paths, practice, questions, syllabus
from course.tools.cli import main as cli

ASSIGNMENTS = paths.assignments()


def _question_cells(assignment: str) -> set[str]:
    return {cell.metadata["nbgrader"]["grade_id"]
            for notebook in paths.notebooks(paths.SOURCE / assignment)
            for cell in nbformat.read(notebook, as_version=4).cells
            if re.fullmatch(r"q\d+_\w+", cell.metadata.get("nbgrader", {}).get("grade_id", ""))
            and not cell.metadata["nbgrader"]["grade_id"].endswith("_question")}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_question_of_a_notebook_is_in_the_bank(assignment):
    in_bank = [q.cell for q in questions.load(assignment)]
    assert len(in_bank) == len(set(in_bank)), "a question is in the bank twice"
    assert set(in_bank) == _question_cells(assignment), \
        f"{assignment}: add the notebook's questions to {questions.BANK} (or remove them from it)"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_notebook_question_cells_are_rendered_from_the_bank(assignment):
    assert questions.sync(assignment) == [], "run `python -m course questions --write` and regenerate the release"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_question_is_fit_to_grade(assignment):
    """One key among distinct options, a reason for every wrong option, an explanation of the
    key, and an exam item for its test cell."""
    assert [p for q in questions.load(assignment) for p in questions.problems(q)] == []


def test_the_checks_find_what_makes_a_question_unfit():
    """The fitness checks can fail: a question with a stray key, repeated options, a wrong
    option left unexplained and no explanation gets one message for each."""
    bad = questions.Question("12-classification-metrics", 1, "q1_medical_screening", "Which?",
                             ("Recall", "recall ", "Precision"), "D", {"A": "no"}, "")
    found = " | ".join(questions.problems(bad))
    for fragment in ("the key 'D' is not one of ABC", "two options read the same",
                     "`why` must explain exactly the wrong options", "explanation of the key"):
        assert fragment in found
    for key in ("AB", ""):                     # one letter, not a substring of the letters
        stray = questions.Question("12-classification-metrics", 1, "q1", "Which?", ("Recall", "Precision", "F1"),
                                   key, {"A": "no", "B": "no", "C": "no"}, "The key is explained here in enough words.")
        assert any(f"the key {key!r} is not one of ABC" in p for p in questions.problems(stray))


def test_a_question_renders_into_cells_that_grade_it(tmp_path):
    """The rendered test cell really grades: the key passes, another letter fails with its why."""
    from course.checks import CheckFailed

    question = next(q for assignment in ASSIGNMENTS for q in questions.load(assignment))
    source = questions.test_cell(question).replace("### BEGIN HIDDEN TESTS\n", "").replace("### END HIDDEN TESTS", "")
    exec(source, {question.variable: question.answer})
    wrong = next(letter for letter in question.letters if letter != question.answer)
    with pytest.raises(CheckFailed, match=re.escape(question.why[wrong][:40])):
        exec(source, {question.variable: wrong})


def test_the_questions_command_reports_the_bank(capsys):
    assert cli(["questions"]) == 0
    total = sum(len(questions.load(a)) for a in ASSIGNMENTS)
    assert f"{total} questions in {len(ASSIGNMENTS)} assignments: 0 problems" in capsys.readouterr().out


def test_the_bank_covers_both_exams():
    """At least 120 questions, and at least two for each of MLA-C01's 37 items and each of
    MLA-C02's 27 skills, so a mock section can be drawn for either exam."""
    bank = questions.load_all()
    assert len(bank) >= 120
    for exam, items in (("C01", syllabus.EXAM_ITEMS), ("C02", syllabus.C02_SKILLS)):
        counts = {item: sum(item in q.items(exam) for q in bank) for item in items}
        assert not {i: n for i, n in counts.items() if n < 2}, f"{exam} items with fewer than 2 questions"


# --- The self-study practice notebook (instructor/practice/questions.toml → practice/) ---------

PRACTICE = questions.load_practice()


def _plain(text: str) -> str:
    return " ".join(text.split()).lower()


def test_the_practice_bank_is_fit_new_and_fair():
    """Its answers ship with the notebook, so not one of its questions may be graded anywhere:
    no stem of the graded bank (mocks included) appears in it. Its keys give nothing away either."""
    assert len(PRACTICE) >= 30
    assert [p for q in PRACTICE for p in questions.problems(q)] == []
    graded = {_plain(q.stem) for a in ASSIGNMENTS for q in questions.load(a)}
    assert not [q.cell for q in PRACTICE if _plain(q.stem) in graded]
    text = _plain(" ".join(c.source for c in nbformat.read(practice.NOTEBOOK, as_version=4).cells))
    assert not [stem for stem in graded if stem[:80] in text], \
        "a graded question reached the practice notebook"
    from course.tools import mock
    assert {mock.task_of((q.items("C01") or q.items("C02"))[0]) for q in PRACTICE} == {"2.1", "2.2", "2.3"}
    keys = [q.answer for q in PRACTICE]
    assert max(map(keys.count, set(keys))) <= 0.4 * len(keys), sorted(keys)
    longest = [q.cell for q in PRACTICE if len(q.options[q.letters.index(q.answer)])
               > max(len(o) for letter, o in zip(q.letters, q.options) if letter != q.answer)]
    assert len(longest) <= len(PRACTICE) / 4, longest


def test_the_practice_notebook_is_rendered_from_its_bank():
    assert practice.sync() == [], "run `python -m course questions --write`"


def test_a_practice_check_says_right_or_wrong_at_once(capsys):
    """The key gets the explanation; a wrong letter its reason and another try; the second wrong
    try shows the key; no answer yet is a friendly note, not an error."""
    notebook = nbformat.read(practice.NOTEBOOK, as_version=4)
    checks = [c.source for c in notebook.cells if "practice-check" in c.metadata.get("tags", [])]
    assert len(checks) == len(PRACTICE)
    from course.practice import check
    for question, source in zip(PRACTICE, checks):
        wrong = next(letter for letter in question.letters if letter != question.answer)
        exec(source, {"check": check, f"p{question.number}_answer": f" {question.answer.lower()} "})
        assert f"{question.answer} is right. {question.explanation}" in capsys.readouterr().out
        exec(source, {"check": check, f"p{question.number}_answer": wrong})
        first = capsys.readouterr().out
        assert question.why[wrong] in first and "Try another option" in first
        assert question.explanation not in first
        exec(source, {"check": check, f"p{question.number}_answer": wrong})
        assert f"The best answer is {question.answer}." in capsys.readouterr().out
        exec(source, {"check": check, f"p{question.number}_answer": None})
        assert "no answer yet" in capsys.readouterr().out
