"""Timed mock exam sections: one graded assignment per exam version, drawn from the question bank.

``instructor/<mock>/mock.toml`` says which exam the section imitates, how many questions it has,
its time budget and the seed of its draw. ``python -m course mock`` draws the questions once (a
fixed seed, in proportion to the number of exam items of each task, new items first, keys balanced)
and keeps the draw in the mock's ``questions.toml`` as references to the lesson questions
(``from``), each with the section of its lesson that teaches it (``study``; chosen by TF-IDF
similarity between the question and the lesson's sections, reviewable by hand). From that it
writes the mock's notebook and its misconception catalog. The draw stays until ``--redraw``:
a mock's cells live in the gradebook, so growing the bank must not change a section already given.
"""
from __future__ import annotations

import json
import random
import re
import textwrap
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import paths, questions, syllabus

TASKS = {"C01": {"2.1": "Choose a modeling approach", "2.2": "Train and refine models",
                 "2.3": "Analyse model performance"},
         "C02": {"2.1": "Choose modeling approaches for ML and AI solutions",
                 "2.2": "Train, fine-tune and customize models",
                 "2.3": "Analyse and evaluate ML and AI systems"}}
SHARE = {"C01": 26, "C02": 24}          # Domain 2's share of scored content (AWS_FACTS.md §9)
DRAW_HEADER = """# The questions drawn for {assignment} (python -m course mock --redraw {assignment} draws
# anew). `from` names the lesson question; `study` is the section of that lesson's notebook that
# teaches it (chosen by TF-IDF similarity: correct it by hand if it points to the wrong section;
# `lesson` names another lesson whose section teaches it better).
# The notebook and mistakes.toml are written from this file by `python -m course mock`.
exam = "{exam}"
"""


@dataclass(frozen=True)
class Mock:
    assignment: str
    exam: str          # "C01" or "C02"
    questions: int
    minutes: int
    seed: int


def load(assignment: str) -> Mock:
    with (paths.INSTRUCTOR / assignment / paths.MOCK).open("rb") as handle:
        spec = tomllib.load(handle)
    return Mock(assignment, spec["exam"], spec["questions"], spec["minutes"], spec["seed"])


def mocks() -> list[Mock]:
    return [load(spec.parent.name) for spec in sorted(paths.INSTRUCTOR.glob(f"*/{paths.MOCK}"))]


# --- Drawing ----------------------------------------------------------------------------------

def task_of(item: str) -> str:
    """"T2.K5" → "2.2"; "C2-2.3.7" → "2.3"."""
    if item.startswith("C2-"):
        return item.removeprefix("C2-")[:3]
    return f"2.{item[1]}"


def quotas(exam: str, count: int) -> dict[str, int]:
    """Questions per task, in proportion to the task's number of exam items (largest remainder):
    AWS publishes only the domain's share, so the items are the best guide to the tasks' weight."""
    items = Counter(task_of(item) for item in syllabus.EXAMS[exam])
    exact = {task: count * n / sum(items.values()) for task, n in items.items()}
    given = {task: int(share) for task, share in exact.items()}
    for task in sorted(exact, key=lambda t: given[t] - exact[t])[:count - sum(given.values())]:
        given[task] += 1
    return dict(sorted(given.items()))


def fair(drawn: list[questions.Question]) -> bool:
    """The keys give nothing away: no letter is the key of more than 40 % of the questions and
    the key is the longest option in at most a quarter of them."""
    keys = Counter(q.answer for q in drawn)
    longest = sum(len(q.options[q.letters.index(q.answer)])
                  > max(len(o) for letter, o in zip(q.letters, q.options) if letter != q.answer)
                  for q in drawn)
    return max(keys.values()) <= 0.4 * len(drawn) and longest <= len(drawn) // 4


def draw(mock: Mock) -> list[questions.Question]:
    """The section's questions, grouped by task: each pick prefers a question that tests an item
    not yet drawn, then one from a lesson drawn least; ties go to the seeded shuffle. Draws that
    are not ``fair`` are redrawn with the next seed."""
    pool = [q for q in questions.load_all() if q.items(mock.exam)]
    for attempt in range(1000):
        rng = random.Random(mock.seed * 1000 + attempt)
        drawn: list[questions.Question] = []
        for task, count in quotas(mock.exam, mock.questions).items():
            candidates = [q for q in pool if task_of(q.items(mock.exam)[0]) == task]
            rng.shuffle(candidates)
            covered: set[str] = set()
            lessons: Counter[str] = Counter()
            for _ in range(count):
                best = max(candidates, key=lambda q: (bool(set(q.items(mock.exam)) - covered),
                                                      -lessons[q.assignment]))
                candidates.remove(best)
                covered |= set(best.items(mock.exam))
                lessons[best.assignment] += 1
                drawn.append(best)
        if fair(drawn):
            return drawn
    raise RuntimeError(f"{mock.assignment}: no fair draw in 1000 seeds")


def sections(assignment: str) -> dict[str, str]:
    """The numbered sections of a lesson ("7. The precision–recall curve ...") and their text."""
    notebook = nbformat.read(paths.notebooks(paths.SOURCE / assignment)[0], as_version=4)
    found: dict[str, list[str]] = {}
    current = None
    for cell in notebook.cells:
        heading = re.match(r"## (\d+\. .+)", cell.source) if cell.cell_type == "markdown" else None
        if heading:
            current = heading.group(1).strip()
            current = None if "scenario questions" in current.lower() else current
            if current:
                found[current] = []
        if current and cell.cell_type == "markdown":
            found[current].append(cell.source)
    return {name: "\n".join(text) for name, text in found.items()}


def study_section(question: questions.Question) -> str:
    """The lesson section whose text is most like the question, its key and its explanation."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    found = sections(question.assignment)
    key = question.options[question.letters.index(question.answer)]
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(
        [*found.values(), f"{question.stem} {key} {question.explanation}"])
    scores = cosine_similarity(vectors[-1], vectors[:-1])[0]
    return list(found)[int(scores.argmax())]


def write_draw(mock: Mock) -> Path:
    lines = [DRAW_HEADER.format(assignment=mock.assignment, exam=mock.exam)]
    topics: Counter[str] = Counter()
    for number, question in enumerate(draw(mock), start=1):
        topic = question.cell.split("_", 1)[1]
        topics[topic] += 1
        topic += f"_{topics[topic]}" if topics[topic] > 1 else ""
        lines.append(f'[[question]]\ncell = "q{number}_{topic}"\n'
                     f'from = "{question.assignment}/{question.cell}"\n'
                     f'study = {json.dumps(study_section(question), ensure_ascii=False)}\n')
    path = questions.bank_path(mock.assignment)
    path.write_text("\n".join(lines))
    return path


# --- The notebook and the catalog -----------------------------------------------------------

def _markdown(grade_id: str, text: str):
    return nbformat.v4.new_markdown_cell(text, metadata={"nbgrader": {
        "grade": False, "grade_id": grade_id, "locked": True, "schema_version": 3,
        "solution": False, "task": False}})


def _code(grade_id: str, text: str):
    return nbformat.v4.new_code_cell(text, metadata={"nbgrader": {
        "grade": False, "grade_id": grade_id, "locked": True, "schema_version": 3,
        "solution": False, "task": False}})


def _introduction(mock: Mock, drawn: list[questions.Question]) -> str:
    per_task = Counter(task_of(q.items(mock.exam)[0]) for q in drawn)
    tasks = "; ".join(f"{per_task[t]} on Task {t} ({name.lower()})" for t, name in TASKS[mock.exam].items())
    noun = "item" if mock.exam == "C01" else "skill"
    about = textwrap.fill(
        f"Domain 2 is {SHARE[mock.exam]} % of the scored content of MLA-{mock.exam}, so in an exam of "
        f"about 65 questions you meet roughly {mock.questions} of them. This section gives you that "
        f"many, with a budget of {mock.minutes} minutes ({mock.minutes / mock.questions:.0f} minutes a "
        f"question). They are drawn from the course's question bank to cover the three tasks of "
        f"Domain 2 in proportion to their exam {noun}s: {tasks}. (AWS's exam page gives the real "
        f"exam's current length and time.)", width=99)
    after = textwrap.fill(
        f"After grading, your feedback says for every wrong answer why it is wrong, which exam {noun} "
        f"the question tests and which section of which assignment teaches it.", width=99)
    return f"""# {mock.assignment[:2]} · Mock exam: MLA-{mock.exam} Domain 2

*Model Development Labs — a timed section in the style of the real exam*

{about}

**Take it like the real thing.**

1. Run the clock cell below and answer the questions in order, without your notes.
2. Answer every question: an unanswered question scores as a wrong one, and a guess may score.
3. The test cell under each answer only checks that you gave one of the letters. Whether it is
   the best answer is decided when your notebook is graded.
4. Stop the clock at the end.

{after}"""


def notebook(mock: Mock) -> nbformat.NotebookNode:
    drawn = questions.load(mock.assignment)
    cells = [_markdown("title", _introduction(mock, drawn)),
             _code("start_clock", f"from course.clock import Clock\n\nclock = Clock(minutes={mock.minutes})")]
    task = None
    for question in drawn:
        if task_of(question.items(mock.exam)[0]) != task:
            task = task_of(question.items(mock.exam)[0])
            cells.append(_markdown(f"task_{task.replace('.', '_')}", f"## Task {task}: {TASKS[mock.exam][task]}"))
        cells += [questions._cell(gid, source, kind) for (gid, source), kind
                  in zip(questions.rendered(question).items(), ("question", "answer", "test"))]
    cells.append(_code("stop_clock", "clock.stop()"))
    cells.append(_markdown("summary", """## After the mock

Your feedback lists each question you missed with the reason and the section to study. Go back to
those sections first, then try the practice notebook (`practice/`), whose questions are new and
say at once whether you are right."""))
    for cell in cells:
        cell.id = cell.metadata["nbgrader"]["grade_id"]     # stable ids: a rewrite changes nothing
    result = nbformat.v4.new_notebook(cells=cells)
    result.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                      "name": "python3"}, "language_info": {"name": "python"}}
    return result


def catalog(mock: Mock) -> str:
    """Two wrong answers per question (the first two wrong letters) and two right answers in
    another spelling, so the proof shows that each question's cell can fail and that a correct
    answer in any spelling keeps its point."""
    drawn = questions.load(mock.assignment)
    lines = [(f"# The misconception catalog of {mock.assignment}, written by `python -m course mock`\n"
              f"# from its questions.toml: do not edit by hand.\n")]
    for question in drawn:
        for letter in [l for l in question.letters if l != question.answer][:2]:
            reason = json.dumps(question.origin.why[letter], ensure_ascii=False)
            lines.append(f'[[mistake]]\nid = "q{question.number}-{letter.lower()}"\ncell = "{question.cell}"\n'
                         f'loses = ["{question.test_cell}"]\nwhy = {reason}\n'
                         f"code = '{question.variable} = \"{letter}\"'\n")
    first = drawn[0]
    for name, spelling in (("lower-case", first.answer.lower()), ("in-brackets", f"({first.answer})")):
        lines.append(f'[[correct]]\nid = "q1-{name}"\n'
                     f'cell = "{first.cell}"\nwhy = "The key written as {spelling!r} is still the key."\n'
                     f"code = '{first.variable} = \"{spelling}\"'\n")
    return "\n".join(lines)


def write(mock: Mock, redraw: bool = False) -> list[Path]:
    """Draw (only when there is no draw yet, or ``redraw``), then write the notebook and catalog."""
    written = []
    if redraw or not questions.bank_path(mock.assignment).exists():
        written.append(write_draw(mock))
    folder = paths.SOURCE / mock.assignment
    folder.mkdir(exist_ok=True)
    target = folder / f"{mock.assignment[3:]}.ipynb"
    nbformat.write(notebook(mock), target)
    (paths.INSTRUCTOR / mock.assignment / paths.MISTAKES).write_text(catalog(mock))
    return [*written, target, paths.INSTRUCTOR / mock.assignment / paths.MISTAKES]


def stale(mock: Mock) -> list[str]:
    """What of the mock's notebook or catalog no longer agrees with its draw."""
    found = []
    target = paths.SOURCE / mock.assignment / f"{mock.assignment[3:]}.ipynb"
    if not target.exists() or nbformat.read(target, as_version=4) != notebook(mock):
        found.append(f"{mock.assignment}: the notebook is not the one its draw writes")
    if (paths.INSTRUCTOR / mock.assignment / paths.MISTAKES).read_text() != catalog(mock):
        found.append(f"{mock.assignment}: mistakes.toml is not the one its draw writes")
    return found
