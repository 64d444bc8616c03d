"""The self-study practice notebook, rendered from its own bank (instructor/practice/questions.toml).

Students receive it in the student export as ``practice/domain2-practice.ipynb``. Its questions
are new, never graded: the key, the explanation and the reason for every wrong option sit in
each question's check cell (collapsed, so a student does not read the answer by accident), and
``course.practice.check`` says at once whether an answer is right.
"""
from __future__ import annotations

import json

import nbformat

from . import mock, paths, questions

NOTEBOOK = paths.PRACTICE / "domain2-practice.ipynb"
INTRODUCTION = """# Practice questions: Domain 2 (self-study)

*Model Development Labs — new exam-style questions with the answer at once*

Nothing in this notebook is graded, so try each question honestly before you check it. Set the
answer variable to a letter and run the check cell below it: it says whether you are right and
why. A wrong answer gets the reason it is wrong and another try; the second wrong try shows the
best answer. Each explanation ends with the exam items the question tests (MLA-C01, then MLA-C02)
and the assignment that teaches them.

The check cells are collapsed because they hold the answers. The questions here never appear in
a graded assignment or a mock exam, and those never appear here."""


def _items(question: questions.Question) -> str:
    c01, c02 = question.items("C01"), question.items("C02")
    shown = [", ".join(c01) or "—", ", ".join(s.removeprefix("C2-") for s in c02) or "—"]
    return f"Tests MLA-C01 {shown[0]} · MLA-C02 {shown[1]}; taught in {questions.title(question.study)}."


def _check_cell(question: questions.Question) -> str:
    why = ",\n".join(f"    {json.dumps(letter)}: {json.dumps(question.why[letter], ensure_ascii=False)}"
                     for letter in question.letters if letter in question.why)
    return (f"check(p{question.number}_answer, key={json.dumps(question.answer)}, "
            f"options={json.dumps(question.letters)}, question=\"Question {question.number}\",\n"
            f"      explanation={json.dumps(question.explanation, ensure_ascii=False)},\n"
            f"      study={json.dumps(_items(question), ensure_ascii=False)},\n"
            f"      why={{\n{why}}})")


def notebook(bank: list[questions.Question] | None = None) -> nbformat.NotebookNode:
    bank = questions.load_practice() if bank is None else bank
    cells = [nbformat.v4.new_markdown_cell(INTRODUCTION),
             nbformat.v4.new_code_cell("from course.practice import check")]
    task = None
    for question in bank:
        first = (question.items("C01") or question.items("C02"))[0]
        if mock.task_of(first) != task:
            task = mock.task_of(first)
            cells.append(nbformat.v4.new_markdown_cell(f"## Task {task}: {mock.TASKS['C02'][task]}"))
        cells.append(nbformat.v4.new_markdown_cell(
            questions.question_markdown(question).replace(question.variable, f"p{question.number}_answer")))
        cells.append(nbformat.v4.new_code_cell(f"p{question.number}_answer = None   # one of "
                                               + ", ".join(f'"{letter}"' for letter in question.letters)))
        cells.append(nbformat.v4.new_code_cell(_check_cell(question), metadata={
            "jupyter": {"source_hidden": True}, "tags": ["practice-check"]}))
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"                      # stable ids: a rewrite changes nothing
    result = nbformat.v4.new_notebook(cells=cells)
    result.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                      "name": "python3"}, "language_info": {"name": "python"}}
    return result


def sync(write: bool = False) -> list[str]:
    """Whether the practice notebook is the one its bank renders (and, with ``write``, rewrite it)."""
    if not paths.PRACTICE_BANK.exists():
        return []
    wanted = notebook()
    if NOTEBOOK.exists() and nbformat.read(NOTEBOOK, as_version=4) == wanted:
        return []
    if write:
        NOTEBOOK.parent.mkdir(exist_ok=True)
        nbformat.write(wanted, NOTEBOOK)
    return [f"{NOTEBOOK.relative_to(paths.ROOT)} {'rewritten from' if write else 'differs from'} its bank"]
