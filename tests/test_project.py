"""Fast structural checks: dependencies agree, the syllabus points at real cells, the catalog
matches the source notebooks."""
from __future__ import annotations

import re
import tomllib

import nbformat
import pytest
import yaml

from course.tools import catalog, paths, syllabus
from course.tools.cli import main as cli

ASSIGNMENTS = paths.assignments()
LESSONS = paths.lessons()


def _spec(requirement: str) -> tuple[str, str]:
    # pip extras (psycopg[binary]) have no conda spelling: conda's package includes them
    name, spec = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_pyproject_and_environment_yml_agree():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    conda = dict(_spec(d) for d in environment["dependencies"] if isinstance(d, str))
    python = conda.pop("python")
    conda.pop("pip", None)
    assert python == project["requires-python"]
    extras = project["optional-dependencies"]
    wanted = [*project["dependencies"], *extras["instructor"], *extras["test"]]
    assert conda == dict(_spec(d) for d in wanted)


def _cells(assignment):
    for notebook in paths.notebooks(paths.SOURCE / assignment):
        for cell in nbformat.read(notebook, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade_id"):
                yield meta


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_test_cells_give_partial_credit(assignment):
    """nbgrader scores a test cell all or nothing, so independent clauses (main behaviour, edge
    cases, parameters) sit in cells of their own: none is worth more than 2 points."""
    heavy = {m["grade_id"]: m["points"] for m in _cells(assignment)
             if m.get("grade") and not m.get("solution") and m.get("points", 0) > 2}
    assert not heavy, f"split these test cells so each clause earns its share: {heavy}"


def test_syllabus_maps_only_existing_graded_cells():
    assert sorted(syllabus.GRADED) == LESSONS, "every lesson in source/ needs a syllabus entry"
    planned = {p.assignment: p for p in syllabus.PLAN}
    for assignment in LESSONS:
        graded_ids = {m["grade_id"] for m in _cells(assignment) if m.get("grade")}
        listed = set()
        for exam, found, allowed in (("C01", syllabus.GRADED, planned[assignment].items),
                                     ("C02", syllabus.graded(table="graded_c02"), planned[assignment].c02)):
            items = found[assignment]
            assert set(items) <= set(allowed), f"{assignment} claims {exam} items it does not plan"
            for item, grade_ids in items.items():
                assert grade_ids, f"{assignment}: {item} lists no graded cell"
                missing = set(grade_ids) - graded_ids
                assert not missing, f"{assignment}: {item} maps to missing or ungraded cells {missing}"
                listed |= set(grade_ids)
        unmapped = graded_ids - listed
        assert not unmapped, f"{assignment}: graded cells in neither exam's syllabus: {unmapped}"


def test_c02_skills_follow_from_the_plan():
    """A cell that grades a C01 item grades the C02 skill that carries it on: the derived skills
    of every assignment are planned for it."""
    planned = {p.assignment: set(p.c02) for p in syllabus.PLAN}
    for assignment, skills in syllabus.GRADED_C02.items():
        assert set(skills) <= planned[assignment], f"{assignment}: C02 skills not planned: {set(skills) - planned[assignment]}"


def test_syllabus_lists_both_exams_and_20_assignments():
    assert len(syllabus.EXAM_ITEMS) == 37 and len(syllabus.C02_SKILLS) == 27
    assert len(syllabus.PLAN) == 20
    assert set(syllabus.C01_TO_C02) == set(syllabus.EXAM_ITEMS)
    assert {s for skills in syllabus.C01_TO_C02.values() for s in skills} <= set(syllabus.C02_SKILLS)
    assert {item for p in syllabus.PLAN for item in p.items} == set(syllabus.EXAM_ITEMS), \
        "every C01 exam item must be planned somewhere"
    assert {skill for p in syllabus.PLAN for skill in p.c02} == set(syllabus.C02_SKILLS), \
        "every C02 skill must be planned somewhere"


@pytest.mark.parametrize(("exam", "total"), [("C01", 37), ("C02", 27)])
def test_coverage_command_reports_total(capsys, exam, total):
    assert cli(["coverage", "--exam", exam]) == 0
    out = capsys.readouterr().out
    covered = sum(1 for cells in syllabus.coverage(exam).values() if cells)
    noun = "exam items" if exam == "C01" else "skills"
    assert f"{covered} of {total} {noun} covered" in out
    for assignment, items in (syllabus.GRADED if exam == "C01" else syllabus.GRADED_C02).items():
        for item in items:
            assert re.search(rf"^{re.escape(item)}\s+[1-9]\d*\s+.*{assignment}", out, re.M)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_grade_ids_are_unique_and_descriptive(assignment):
    ids = [m["grade_id"] for m in _cells(assignment)]
    assert len(ids) == len(set(ids)), "duplicated grade ids"
    assert not [i for i in ids if re.fullmatch(r"cell-[0-9a-f]+", i)], "use descriptive grade ids"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_catalog_matches_the_source(assignment):
    metas = list(_cells(assignment))
    solutions = {m["grade_id"] for m in metas if m.get("solution")}
    tests = {m["grade_id"] for m in metas if m.get("grade") and not m.get("solution")}
    mistakes = catalog.load(assignment)
    source = catalog.read_notebooks(paths.SOURCE / assignment)
    for mistake in mistakes:
        assert mistake.cell in solutions, f"{mistake.id}: {mistake.cell!r} is not a solution cell"
        assert mistake.loses and set(mistake.loses) <= tests, f"{mistake.id}: unknown test cells"
        assert len(mistake.why) > 10, f"{mistake.id}: say why it is a mistake"
        # applying must work and change the answer
        answered = catalog.answered(source, source, [mistake])
        perfect = catalog.answered(source, source)
        assert answered != perfect, f"{mistake.id} changes nothing"
    for variant in catalog.load_correct(assignment):
        assert variant.cell in solutions, f"{variant.id}: {variant.cell!r} is not a solution cell"
        assert len(variant.why) > 10, f"{variant.id}: say what style it is written in"
        assert catalog.answered(source, source, [variant]) != catalog.answered(source, source), (
            f"{variant.id} changes nothing")
    untested = tests - {cell for mistake in mistakes for cell in mistake.loses}
    assert not untested, f"test cells no catalog mistake fails (a grader not proven to fail): {untested}"
    per_cell = {cell: sum(m.cell == cell for m in mistakes) for cell in solutions}
    thin = {cell: n for cell, n in per_cell.items() if n < 2}
    assert not thin, f"each solution region needs two or more catalog mistakes: {thin}"


def test_stale_catalog_entry_is_reported():
    mistake = catalog.Mistake("stale", "cell", ("t",), "an edit that no longer applies",
                                     replace=(("not in the answer", "x"),))
    with pytest.raises(catalog.CatalogError, match="occurs 0 times"):
        catalog.apply(mistake, "return 1")


def test_solution_code_drops_only_the_markers():
    source = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"
    assert catalog.solution_code(source) == "def f():\n    return 1"


@pytest.mark.parametrize("assignment", paths.assignments())
def test_solutions_raise_no_review_flags(assignment):
    """The grader-facing-code screen stays quiet for honest answers (and catches the hostile
    ones: tests/test_grading.py)."""
    from course.grader import integrity

    for notebook in paths.notebooks(paths.SOURCE / assignment):
        assert integrity.screen_notebook(notebook.name, notebook.read_bytes()) == []


def test_the_instructor_readme_never_sends_students_to_this_repository():
    """This repository holds the solutions: no Binder badge or link may open it for students;
    they are pointed at the student export, which has a badge of its own."""
    text = (paths.ROOT / "README.md").read_text()
    assert "mybinder.org" not in text
    assert "course export-student" in text and "instructor repository" in text


def test_the_course_config_takes_the_gradebook_url_from_the_environment(monkeypatch):
    """An instructor points the real course at a shared database without editing the config;
    scratch courses pin their own gradebook so that URL is never touched by tests or the demo."""
    from course.grader.layout import Course

    monkeypatch.setenv("MDL_GRADEBOOK_URL", "postgresql://grader@db.example/course")
    assert Course(paths.ROOT).db_url == "postgresql://grader@db.example/course"
    monkeypatch.delenv("MDL_GRADEBOOK_URL")
    assert Course(paths.ROOT).db_url == f"sqlite:///{paths.ROOT / 'gradebook.db'}"


def test_a_scratch_course_keeps_its_own_gradebook(monkeypatch, tmp_path):
    from course.tools import pipeline

    monkeypatch.setenv("MDL_GRADEBOOK_URL", "postgresql://grader@db.example/course")
    course = pipeline.make_course(tmp_path / "a", [ASSIGNMENTS[0]])
    assert course.db_url == f"sqlite:///{tmp_path / 'a' / 'gradebook.db'}"
    moved = tmp_path / "b"
    course.root.rename(moved)
    assert pipeline.Course(moved).db_url == f"sqlite:///{moved / 'gradebook.db'}"


OPTION = re.compile(r"^\* ([A-F])\. (.*)$")


def _questions() -> list[tuple[str, str, str, dict[str, str]]]:
    """(assignment, question grade id, key, options) of every scenario question: the options are
    read from the question's markdown ("* A. text", continued on indented lines), the key from
    the solution cell that answers it."""
    found = []
    for assignment in ASSIGNMENTS:
        for notebook in paths.notebooks(paths.SOURCE / assignment):
            cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c
                     for c in nbformat.read(notebook, as_version=4).cells}
            for grade_id, cell in cells.items():
                if not (grade_id or "").endswith("_question"):
                    continue
                options, current = {}, None
                for line in cell.source.split("\n"):
                    match = OPTION.match(line)
                    if match:
                        current = match.group(1)
                        options[current] = match.group(2).strip()
                    elif current and line.startswith("  ") and line.strip():
                        options[current] += " " + line.strip()
                    else:
                        current = None
                key = re.search(r'=\s*"([A-F])"', cells[grade_id[:-len("_question")]].source)
                found.append((assignment, grade_id, key.group(1), options))
    return found


def test_every_question_has_distinct_options_and_a_key_among_them():
    questions = _questions()
    assert len(questions) >= 5 * len(ASSIGNMENTS)
    for assignment, grade_id, key, options in questions:
        assert len(options) >= 4 and key in options, (assignment, grade_id, options)
        assert len(set(options.values())) == len(options), f"{grade_id}: repeated options"


def _giveaways(questions) -> list[str]:
    """How a test-wise student could pass ``questions`` (assignment, cell, key, options) without
    knowing anything: the key is the longest option in more than a third of them (a quarter by
    chance), or one letter is the key of more than 40 % (half within one assignment)."""
    found = []
    longest = [(a, g) for a, g, key, options in questions
               if len(options[key]) > max(len(text) for letter, text in options.items() if letter != key)]
    if len(longest) > len(questions) / 3:
        found.append(f"the key is the longest option in {longest}")
    for assignment in sorted({q[0] for q in questions}):
        mine = [q for q in questions if q[0] == assignment]
        mine_longest = [g for a, g in longest if a == assignment]
        if len(mine_longest) > max(1, len(mine) // 3):
            found.append(f"{assignment}: the key is the longest option in {mine_longest}")
        keys = [key for _, _, key, _ in mine]
        if max(map(keys.count, set(keys))) > len(mine) / 2:
            found.append(f"{assignment}: keys {keys}")
    keys = [key for _, _, key, _ in questions]
    if max(map(keys.count, set(keys))) > 0.4 * len(keys):
        found.append(f"keys {sorted(keys)}")
    return found


def test_neither_length_nor_position_gives_the_key_away():
    """A test-wise student who picks the longest option, or always the same letter, must not pass."""
    assert _giveaways(_questions()) == []
    # the control: a bank whose key is always A and always the longest option is caught both ways
    rigged = [("99-x", f"q{i}", "A", {"A": "the longest option of all", "B": "short", "C": "brief"})
              for i in range(6)]
    found = " | ".join(_giveaways(rigged))
    assert "the key is the longest option" in found and "keys ['A', 'A'" in found, found


def test_the_readme_course_map_matches_the_syllabus():
    """The course map students and instructors read first says what the syllabus data says: each
    assignment's C01 items and C02 skills, and "ready" exactly for the assignments that exist."""
    text = (paths.ROOT / "README.md").read_text()
    rows = {m[0]: m[1:] for m in re.findall(r"^\| (\d\d) \| [^|]+ \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", text, re.M)}
    assert len(rows) == len(syllabus.PLAN)
    for plan in syllabus.PLAN:
        c01, c02, status = (cell.strip() for cell in rows[plan.assignment[:2]])
        if plan.items:
            assert c01 == ", ".join(plan.items), plan.assignment
        if plan.c02:
            assert c02 == ", ".join(skill.removeprefix("C2-") for skill in plan.c02), plan.assignment
        assert (status == "**ready**") == (plan.assignment in ASSIGNMENTS), plan.assignment


@pytest.mark.parametrize("assignment", LESSONS)
def test_the_learning_objectives_show_both_exams(assignment):
    """A student of either exam version sees, where the lab starts, every C01 item and C02 skill
    its graded cells test (assembled from exam.toml, so it cannot drift from the grading)."""
    assert syllabus.sync_exam_map(assignment), (
        f"{assignment}: the learning objectives should end with {syllabus.exam_map_line(assignment)!r}; "
        "run `python -m course coverage --write` and `python -m course release " + assignment + "`")
