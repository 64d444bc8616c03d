"""The timed mock exam sections (course/tools/mock.py): drawn from the question bank to cover the
three tasks of each exam's Domain 2, written from their draw, and pointing every wrong answer to
the lesson section that teaches it."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from course.checks import CheckFailed
from course.clock import Clock
from course.tools import mock, paths, questions, syllabus

MOCKS = mock.mocks()


def test_there_is_a_mock_section_for_each_exam_version():
    assert sorted(m.exam for m in MOCKS) == ["C01", "C02"]
    assert all(m.assignment in paths.assignments() and m.assignment not in paths.lessons() for m in MOCKS)
    assert not set(syllabus.GRADED) & {m.assignment for m in MOCKS}, \
        "a mock teaches nothing of its own: coverage counts the lessons only"
    # Domain 2's share of each exam's 65 questions (26 % for C01, 24 % for C02), two minutes each
    assert {m.exam: (m.questions, m.minutes) for m in MOCKS} == {"C01": (17, 34), "C02": (16, 32)}


def test_the_quotas_follow_the_number_of_items_per_task():
    assert mock.quotas("C01", 17) == {"2.1": 4, "2.2": 8, "2.3": 5}      # 9, 17 and 11 items
    assert mock.quotas("C02", 16) == {"2.1": 5, "2.2": 5, "2.3": 6}      # 8, 9 and 10 skills
    assert sum(mock.quotas("C02", 7).values()) == 7


@pytest.mark.parametrize("section", MOCKS, ids=lambda m: m.assignment)
def test_the_draw_covers_the_three_tasks_of_its_exam(section):
    drawn = questions.load(section.assignment)
    assert len(drawn) == section.questions
    origins = [(q.origin.assignment, q.origin.cell) for q in drawn]
    assert len(set(origins)) == len(origins), "a question is drawn twice"
    assert all(q.items(section.exam) for q in drawn), "every question tests an item of its exam"
    tasks = Counter(mock.task_of(q.items(section.exam)[0]) for q in drawn)
    assert tasks == Counter(mock.quotas(section.exam, section.questions))
    assert len({item for q in drawn for item in q.items(section.exam)}) >= section.questions - 2
    assert mock.fair(drawn)


@pytest.mark.parametrize("section", MOCKS, ids=lambda m: m.assignment)
def test_the_notebook_and_catalog_are_written_from_the_draw(section):
    assert mock.stale(section) == [], "run `python -m course mock` and `python -m course release`"


@pytest.mark.parametrize("section", MOCKS, ids=lambda m: m.assignment)
def test_every_wrong_answer_points_to_the_section_that_teaches_it(section):
    for question in questions.load(section.assignment):
        lesson = re.search(r": (\d\d) · ", question.why[next(iter(question.why))]).group(1)
        home = next(a for a in paths.lessons() if a.startswith(lesson))
        assert question.study in mock.sections(home), f"{question.cell}: no section {question.study!r} in {home}"
        items = ", ".join(i.removeprefix("C2-") for i in question.origin.items(section.exam))
        source = questions.test_cell(question).replace("### BEGIN HIDDEN TESTS\n", "")
        wrong = next(letter for letter in question.letters if letter != question.answer)
        with pytest.raises(CheckFailed) as failure:
            exec(source, {question.variable: wrong})
        message = str(failure.value)
        assert question.origin.why[wrong] in message and f"Study {items}: " in message
        assert question.study in message
        exec(source, {question.variable: question.answer.lower()})        # the key in any spelling


def test_a_draw_is_deterministic_and_fair():
    section = MOCKS[0]
    first, again = mock.draw(section), mock.draw(section)
    assert [q.cell for q in first] == [q.cell for q in again]
    unfair = [q for q in questions.load_all() if q.answer == "A"][:10]
    assert not mock.fair(unfair), "ten keys all A must not pass as fair"


def test_the_study_section_is_chosen_by_similarity():
    question = next(q for q in questions.load("12-classification-metrics") if q.cell == "q7_pr_auc_imbalanced")
    assert mock.study_section(question) == "7. The precision–recall curve on imbalanced data"


def test_the_clock_tells_the_time_against_the_budget(capsys):
    now = iter([100.0, 100.0 + 29 * 60 + 5, 100.0 + 36 * 60])
    clock = Clock(minutes=34, now=lambda: next(now))
    assert "34 minutes" in capsys.readouterr().out
    assert clock.stop() == "You took 29 min 05 s of 34 minutes: 4 min 55 s to spare."
    assert "2 min 00 s over the budget" in clock.stop()
