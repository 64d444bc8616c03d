"""The question bank: every exam-style scenario question as data, one file per assignment.

``instructor/<assignment>/questions.toml`` holds each question's stem, options, key, why each
wrong option is wrong, and an explanation of the key. It is the one source of the questions: the
three cells of every question in the notebook (the question, the answer cell, the test cell with
the key hidden) are rendered from it by ``python -m course questions --write``, which also adds the
cells of a question new to the bank; a test proves the notebooks agree with the bank. The files live beside ``mistakes.toml``, outside ``source/``,
so students never receive a key. A question's exam items come from ``exam.toml`` (the items its
test cell grades), so the syllabus stays in one place.
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import paths, syllabus

BANK = "questions.toml"
LETTERS = "ABCDEF"
HEADER = """# The scenario questions of {assignment}: the notebook's question cells are rendered from this
# file (python -m course questions --write {assignment}); tests/test_questions.py proves they agree.
# `cell` is the answer cell's grade id; the question's exam items are those exam.toml gives its
# test cell, test_<cell>. `why` says, per wrong option, why it is wrong (graded feedback);
# `explanation` says why the key is right (self-study and the mock exams, never graded feedback).
"""


@dataclass(frozen=True)
class Question:
    assignment: str
    number: int                       # 1-based position in the notebook
    cell: str                         # grade id of the answer cell, e.g. "q1_medical_screening"
    stem: str
    options: tuple[str, ...]
    answer: str
    why: dict[str, str] = field(default_factory=dict)
    explanation: str = ""
    # A mock exam's question is drawn from a lesson's: ``origin`` is that question and ``study``
    # the section of its notebook that teaches it. A practice question has its own ``tags``
    # (C01 items, C02 skills) because no exam.toml grades it.
    origin: Question | None = None
    study: str = ""
    tags: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    @property
    def letters(self) -> str:
        return LETTERS[:len(self.options)]

    @property
    def variable(self) -> str:
        return f"q{self.number}_answer"

    @property
    def test_cell(self) -> str:
        return f"test_{self.cell}"

    def items(self, exam: str = "C01") -> tuple[str, ...]:
        """The exam items (C01) or skills (C02) that this question's test cell grades."""
        if self.tags is not None:
            return self.tags[0] if exam == "C01" else self.tags[1]
        if self.origin is not None:
            return self.origin.items(exam)
        found = (syllabus.GRADED if exam == "C01" else syllabus.GRADED_C02).get(self.assignment, {})
        return tuple(item for item, cells in found.items() if self.test_cell in cells)


def bank_path(assignment: str) -> Path:
    return paths.INSTRUCTOR / assignment / BANK


def load(assignment: str) -> list[Question]:
    """The questions of one assignment, in notebook order (empty when it has no bank)."""
    path = bank_path(assignment)
    if not path.exists():
        return []
    with path.open("rb") as handle:
        bank = tomllib.load(handle)
    return [_drawn(assignment, number, entry, bank.get("exam", "C01")) if "from" in entry else
            Question(assignment, number, entry["cell"], entry["stem"].strip("\n"),
                     tuple(entry["options"]), entry["answer"], dict(entry.get("why", {})),
                     entry.get("explanation", "").strip())
            for number, entry in enumerate(bank.get("question", []), start=1)]


def _drawn(assignment: str, number: int, entry: dict, exam: str) -> Question:
    """A mock exam's question: the lesson question it names (``from = "<assignment>/<cell>"``),
    numbered in the mock, each wrong option's reason ending with what to study: the ``study``
    section of that lesson, or of ``lesson`` when another lesson teaches it better."""
    home, _, cell = entry["from"].partition("/")
    origin = next((q for q in load(home) if q.cell == cell), None)
    if origin is None:
        raise ValueError(f"{assignment}: question {number} is drawn from {entry['from']}, "
                         f"which is not in the bank")
    items = ", ".join(item.removeprefix("C2-") for item in origin.items(exam))
    study = f" Study {items}: {title(entry.get('lesson', home))}, “{entry['study']}”."
    return Question(assignment, number, entry["cell"], origin.stem, origin.options, origin.answer,
                    {letter: reason + study for letter, reason in origin.why.items()},
                    origin.explanation, origin=origin, study=entry["study"])


def title(assignment: str) -> str:
    """The notebook's title without its ``#``, e.g. "12 · Classification metrics"."""
    notebook = nbformat.read(paths.notebooks(paths.SOURCE / assignment)[0], as_version=4)
    return notebook.cells[0].source.splitlines()[0].lstrip("# ").strip()


def load_all() -> list[Question]:
    """Every question of the lessons, once (a mock exam's questions are drawn from these)."""
    return [q for assignment in paths.lessons() for q in load(assignment)]


def load_practice(path: Path = paths.PRACTICE_BANK) -> list[Question]:
    """The self-study questions: never graded, so they carry their own exam items and the lesson
    that teaches them (``study``)."""
    if not path.exists():
        return []
    with path.open("rb") as handle:
        entries = tomllib.load(handle).get("question", [])
    return [Question("practice", number, f"p{number}_{entry['id']}", entry["stem"].strip("\n"),
                     tuple(entry["options"]), entry["answer"], dict(entry.get("why", {})),
                     entry.get("explanation", "").strip(), study=entry["study"],
                     tags=(tuple(entry.get("c01", ())), tuple(entry.get("c02", ()))))
            for number, entry in enumerate(entries, start=1)]


def problems(question: Question) -> list[str]:
    """What makes a question unfit for the bank: every item here is a sentence for its author."""
    where = f"{question.assignment} {question.cell}"
    found = []
    prefix = "p" if question.assignment == "practice" else "q"
    if not re.fullmatch(rf"{prefix}{question.number}_\w+", question.cell):
        found.append(f"{where}: the answer cell of question {question.number} must be named {prefix}{question.number}_<topic>")
    if not 3 <= len(question.options) <= len(LETTERS):
        found.append(f"{where}: {len(question.options)} options (3 to {len(LETTERS)} expected)")
    normalised = [" ".join(option.split()).lower() for option in question.options]
    if len(set(normalised)) != len(normalised):
        found.append(f"{where}: two options read the same")
    if question.answer not in tuple(question.letters):   # one letter, not a substring like 'AB'
        found.append(f"{where}: the key {question.answer!r} is not one of {question.letters}")
    wrong = set(question.letters) - {question.answer}
    if set(question.why) != wrong:
        found.append(f"{where}: `why` must explain exactly the wrong options {sorted(wrong)}, "
                     f"it has {sorted(question.why)}")
    if len(question.explanation.split()) < 8:
        found.append(f"{where}: the explanation of the key is missing or too short")
    if not question.items("C01") and not question.items("C02"):
        found.append(f"{where}: no exam item (exam.toml maps {question.test_cell} to none)")
    if question.tags is not None:
        unknown = ([i for i in question.tags[0] if i not in syllabus.EXAM_ITEMS]
                   + [s for s in question.tags[1] if s not in syllabus.C02_SKILLS])
        if unknown:
            found.append(f"{where}: unknown exam items {unknown}")
        if question.study not in paths.lessons():
            found.append(f"{where}: `study` must name the lesson that teaches it, not {question.study!r}")
    return found


# --- Rendering the three notebook cells of a question --------------------------------------

def question_markdown(question: Question) -> str:
    options = "\n".join(f"* {letter}. {text}" for letter, text in zip(question.letters, question.options))
    return f"**Question {question.number}.** {question.stem}\n\n{options}\n\nSet `{question.variable}`."


def answer_cell(question: Question) -> str:
    return f'### BEGIN SOLUTION\n{question.variable} = "{question.answer}"\n### END SOLUTION'


def test_cell(question: Question) -> str:
    why = ",\n".join(f"    {json.dumps(letter)}: {json.dumps(question.why[letter], ensure_ascii=False)}"
                     for letter in question.letters if letter in question.why)
    label = f"Question {question.number}"
    return (f'from course import checks\n\n'
            f'checks.choice({question.variable}, "{question.letters}", "{label}")\n'
            f'checks.passed(1)\n'
            f'### BEGIN HIDDEN TESTS\n'
            f'checks.answer({question.variable}, "{question.answer}", "{question.letters}", "{label}", why={{\n'
            f'{why}}})\n'
            f'### END HIDDEN TESTS')


def rendered(question: Question) -> dict[str, str]:
    """grade id → the source that cell must hold."""
    return {f"{question.cell}_question": question_markdown(question),
            question.cell: answer_cell(question),
            question.test_cell: test_cell(question)}


def _cell(grade_id: str, source: str, kind: str):
    """A new question cell with the nbgrader metadata of its kind (question, answer or test)."""
    meta = {"grade": kind == "test", "grade_id": grade_id, "locked": kind != "answer",
            "schema_version": 3, "solution": kind == "answer", "task": False}
    if kind == "test":
        meta["points"] = 1
    make = nbformat.v4.new_markdown_cell if kind == "question" else nbformat.v4.new_code_cell
    return make(source, metadata={"nbgrader": meta})


def sync(assignment: str, write: bool = False) -> list[str]:
    """The question cells of the assignment's notebook that differ from the bank (and, with
    ``write``, the source notebook rewritten to agree). A question new to the bank gets its three
    cells after the previous question's (the first one, before the summary)."""
    bank = load(assignment)
    notebooks = paths.notebooks(paths.SOURCE / assignment)
    if not bank or not notebooks:
        return []
    path = notebooks[0]                                   # one notebook per assignment
    notebook = nbformat.read(path, as_version=4)
    differences = []
    for question in bank:
        ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in notebook.cells]
        wanted = rendered(question)
        if question.cell not in ids:
            anchor = (f"test_{bank[question.number - 2].cell}" if question.number > 1 else "summary")
            if anchor not in ids:
                differences.append(f"{assignment}: no place for {question.cell} (no cell {anchor})")
                continue
            at = ids.index(anchor) + (1 if question.number > 1 else 0)
            notebook.cells[at:at] = [_cell(gid, source, kind) for (gid, source), kind
                                     in zip(wanted.items(), ("question", "answer", "test"))]
            differences.append(f"{assignment}: {question.cell} {'added' if write else 'missing'}")
            continue
        for cell in notebook.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in wanted and cell.source != wanted[gid]:
                differences.append(f"{assignment}: cell {gid} {'rewritten from' if write else 'differs from'} {BANK}")
                cell.source = wanted[gid]
    if write and differences:
        nbformat.write(notebook, path)
    return differences
