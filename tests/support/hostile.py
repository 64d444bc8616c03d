"""Broken and hostile submissions, built from the perfect answer to assignment 12.

Each entry damages a perfect submission in one way a real class produces (an endless loop, a
crash, edited metadata, a file that is not JSON, replaced library functions, ...) and states what
the grading command must make of it: which graded cells lose points (all others keep full marks)
and a phrase the report must show. The tests grade them all in one class run next to ordinary
students; the benchmark mixes them into its synthetic class. ``sandbox_attacks`` builds the
submissions that attack the grading machine itself (the gradebook, source/, other students).
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import nbformat

from course.grader import cells
from course.tools import classroom, paths

ASSIGNMENT = "12-classification-metrics"
NOTEBOOK = "classification-metrics.ipynb"
ALL = "*"          # every graded cell


# Test cells split for partial credit: the later parts call the same function as the first,
# so whatever makes the first part lose points makes them lose too.
PARTS = {
    "test_confusion_matrix_from_scratch": {"test_confusion_matrix_labels"},
    "test_plot_confusion_heatmap": {"test_plot_confusion_heatmap_given_axes"},
    "test_precision_recall_f1": {"test_precision_recall_f1_edge_cases"},
    "test_roc_points": {"test_roc_points_edge_cases"},
    "test_ndcg_at_k": {"test_ndcg_at_k_edge_cases"},
    "test_specificity": {"test_specificity_edge_cases"},
    "test_f_beta": {"test_f_beta_boundaries", "test_f_beta_zero_division"},
    "test_pr_points": {"test_pr_points_edge_cases"},
    "test_average_precision_from_scores": {"test_average_precision_from_scores_edge_cases"},
    "test_log_loss_from_scratch": {"test_log_loss_edge_cases"},
}


def _with_parts(cells: frozenset[str]) -> frozenset[str]:
    return frozenset(cells).union(*(PARTS.get(cell, set()) for cell in cells))


@dataclass(frozen=True)
class Hostile:
    id: str
    why: str
    build: Callable[[nbformat.NotebookNode], dict[str, bytes]]
    lose: frozenset[str] = frozenset()        # graded cells that must lose points (ALL: total 0)
    report: str = ""                           # phrase expected in the report line
    maybe: frozenset[str] = frozenset()        # may lose points or not (timing decides)
    # uses up a time budget, or is safe only with the sandbox's caps (fills a disk, leaves
    # processes running): kept out of benchmarks, which also grade with plain nbgrader
    heavy: bool = False

    def __post_init__(self):
        object.__setattr__(self, "lose", _with_parts(self.lose))
        object.__setattr__(self, "maybe", _with_parts(self.maybe))

    @property
    def student(self) -> str:
        return f"h-{self.id}"


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if cells.grade_id(c) == grade_id)


def _index(nb: nbformat.NotebookNode, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if cells.grade_id(c) == grade_id)


def _one(nb: nbformat.NotebookNode, name: str = NOTEBOOK) -> dict[str, bytes]:
    return {name: nbformat.writes(nb).encode()}


def _append(grade_id: str, code: str) -> Callable:
    def build(nb):
        _cell(nb, grade_id).source += "\n" + code
        return _one(nb)
    return build


def _slow(cells: set[str]) -> Callable:
    def build(nb):
        for grade_id in cells:
            _cell(nb, grade_id).source += "\nimport time\ntime.sleep(7)"
        return _one(nb)
    return build


def _deleted(nb):
    del nb.cells[_index(nb, "test_confusion_matrix_from_scratch")]
    return _one(nb)


def _edited_test(nb):
    _cell(nb, "confusion_matrix_from_scratch").source += (
        "\n_right = confusion_matrix_from_scratch\n"
        "def confusion_matrix_from_scratch(*args, **kwargs):\n    return _right(*args, **kwargs).T")
    _cell(nb, "test_confusion_matrix_from_scratch").source = "print('all tests passed')"
    return _one(nb)


def _duplicated(nb):
    at = _index(nb, "test_confusion_matrix_from_scratch")
    nb.cells[at + 1:at + 1] = [copy.deepcopy(nb.cells[at - 1]), copy.deepcopy(nb.cells[at])]
    for cell in nb.cells[at + 1:at + 3]:
        cell.id = cell.id + "-copy"
    return _one(nb)


def _retyped(nb):
    cell = _cell(nb, "test_precision_recall_f1")
    cell.cell_type = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)
    return _one(nb)


def _metadata_lost(nb):
    cell = _cell(nb, "test_f1_average")
    del cell.metadata["nbgrader"]
    _cell(nb, "test_roc_points").metadata.nbgrader["points"] = 99
    return _one(nb)


def _invalid_json(nb):
    return {NOTEBOOK: nbformat.writes(nb).encode()[:5000]}


def _missing(nb):
    return {"notes.txt": b"I forgot to upload the notebook."}


def _renamed(nb):
    return _one(nb, "classification-metrics (1).ipynb")


def _extra(nb):
    return {**_one(nb), "scratch.ipynb": nbformat.writes(nbformat.v4.new_notebook()).encode()}


PATCH_LIBRARIES = """
import numpy as _np, sklearn.metrics as _skm
_np.allclose = lambda *args, **kwargs: True
_np.array_equal = lambda *args, **kwargs: True
_skm.precision_recall_fscore_support = lambda *args, **kwargs: (0.0, 0.0, 0.0, None)
"""
PATCH_CHECKS = """
from course import checks as _checks
for _name in ("close", "equal", "choice", "answer", "raises", "is_finite_number", "annotated_heatmap"):
    setattr(_checks, _name, lambda *args, **kwargs: None)
"""
# Wrong answers from here on, which only the patches above could let pass.
SOLUTION_FUNCTIONS = {"confusion_matrix_from_scratch", "plot_confusion_heatmap",
                      "precision_recall_f1", "f1_average", "majority_baseline_accuracy",
                      "roc_points", "auc_trapezoid", "total_cost", "best_threshold",
                      "average_precision", "mean_average_precision", "ndcg_at_k",
                      "specificity", "f_beta", "pr_points", "average_precision_from_scores", "log_loss_from_scratch"}
WRONG_FROM_PRECISION = {"precision_recall_f1", "f1_average", "majority_baseline_accuracy",
                        "roc_points", "auc_trapezoid", "total_cost", "best_threshold",
                        "average_precision", "mean_average_precision", "ndcg_at_k",
                        "specificity", "f_beta", "pr_points", "average_precision_from_scores", "log_loss_from_scratch"}


def _patched(patch: str):
    def build(nb):
        _cell(nb, "precision_recall_f1").source = patch
        for name in WRONG_FROM_PRECISION - {"precision_recall_f1"}:
            _cell(nb, name).source = f"def {name}(*args, **kwargs):\n    return 0"
        return _one(nb)
    return build


FORGED_PROBE_STATE = """
import numpy as _np
# the probe of an earlier version kept what it had verified in the notebook's namespace
_mdl_probe_state = ({("numpy", "allclose"): None, ("numpy", "array_equal"): None}, {})
_np.allclose = lambda *args, **kwargs: True
_np.array_equal = lambda *args, **kwargs: True
_mdl_probe_state[0][("numpy", "allclose")] = _np.allclose
_mdl_probe_state[0][("numpy", "array_equal")] = _np.array_equal
"""
# Test cells after this are rewritten to `pass` before they run.
SKIPS_TESTS = """
def _skip_checks(lines):
    return ["pass\\n"] if any("checks." in line for line in lines) else lines
get_ipython().input_transformers_post.append(_skip_checks)
"""
# The checks are made no-ops just before each cell runs and restored after it, so that a probe
# looking only at the functions after the cell finds nothing.
HOOKS_CHECKS = """
from course import checks as _checks
_saved = dict(vars(_checks))
def _disarm(info):
    for _name in ("close", "equal", "choice", "answer"):
        setattr(_checks, _name, lambda *args, **kwargs: None)
def _rearm(result):
    for _name in ("close", "equal", "choice", "answer"):
        setattr(_checks, _name, _saved[_name])
get_ipython().events.register("pre_run_cell", _disarm)
get_ipython().events.register("post_run_cell", _rearm)
"""
SWALLOWS_ERRORS = """
get_ipython().set_custom_exc((Exception,), lambda shell, *args, **kwargs: None)
"""
DISPLAYS_A_SCORE = """
import sys
def ndcg_at_k(relevance, scores, k):
    sys.displayhook(2)          # nbgrader reads a cell's first result as its score (2 of 2)
    return 0.5
"""
WARNS_BUT_RIGHT = """
import sys as _sys, warnings as _warnings
_right_ndcg = ndcg_at_k
def ndcg_at_k(relevance, scores, k):
    print("debug: ndcg_at_k called", file=_sys.stderr)      # left-over debugging
    _warnings.warn("a library warning", UserWarning)
    return _right_ndcg(relevance, scores, k)
"""
ALWAYS_EQUAL = """
class _Anything(str):
    __hash__ = str.__hash__
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def strip(self, *args):
        return self
    def upper(self):
        return self
"""
QUESTIONS_NOT_A = {"test_q1_medical_screening", "test_q2_spam_filter",
                   "test_q4_threshold_independent", "test_q5_ranking_metric"}


def _wrong_from(first: str, code: str):
    """``code`` in the answer cell ``first``; every answer from there on wrong."""
    def build(nb):
        started = False
        for cell in nb.cells:
            name = cells.grade_id(cell)
            if name == first:
                started = True
                cell.source = code
            elif started and name in SOLUTION_FUNCTIONS:
                cell.source = f"def {name}(*args, **kwargs):\n    return 0"
        return _one(nb)
    return build


def _always_equal(nb):
    _cell(nb, "q1_medical_screening").source = ALWAYS_EQUAL + "q1_answer = _Anything('A')"
    for number, name in enumerate(("q2_spam_filter", "q3_accuracy_paradox",
                                   "q4_threshold_independent", "q5_ranking_metric",
                                   "q6_macro_vs_micro"), 2):
        _cell(nb, name).source = f"q{number}_answer = _Anything('A')"
    return _one(nb)


RELATIVE_SNOOPING = """
import glob, sqlite3
_found = sorted(glob.glob('../../../**/*.ipynb', recursive=True) + glob.glob('../../../**/*.db', recursive=True))
for _path in glob.glob('../../../**/*.db', recursive=True):
    _c = sqlite3.connect(_path)
    for _t in ("submitted_notebook", "grade", "submitted_assignment"):
        try:
            _c.execute(f"DELETE FROM {_t}")
        except sqlite3.Error:
            pass
    _c.commit()
for _path in glob.glob('../../../source/**/*.ipynb', recursive=True):
    print(open(_path).read())
"""

QUESTION_TESTS = {"test_q1_medical_screening", "test_q2_spam_filter", "test_q3_accuracy_paradox",
                  "test_q4_threshold_independent", "test_q5_ranking_metric",
                  "test_q6_macro_vs_micro", "test_q7_pr_auc_imbalanced", "test_q8_fbeta_choice"}
# Once a library function is replaced, every later test cell is failed, right answers included.
TESTS_OF_PRECISION_ON = {f"test_{n}" for n in WRONG_FROM_PRECISION} | QUESTION_TESTS

CATALOG = [
    Hostile("endless-loop", "an endless loop in a graded function",
            _append("confusion_matrix_from_scratch",
                    "def confusion_matrix_from_scratch(*args, **kwargs):\n    while True:\n"
                    "        pass"),
            frozenset({"test_confusion_matrix_from_scratch"}), "timed out", heavy=True),
    Hostile("loop-ignores-interrupt", "an endless loop that ignores Ctrl-C: only a kill stops it",
            _append("ndcg_at_k", "import signal\n\ndef ndcg_at_k(*args, **kwargs):\n"
                    "    signal.signal(signal.SIGINT, signal.SIG_IGN)\n    while True:\n        pass"),
            frozenset({"test_ndcg_at_k"}), "restarted", heavy=True),
    Hostile("slow-everywhere", "ten answers from precision_recall_f1 to total_cost sleep 7 s "
            "each: the notebook's time budget runs out",
            _slow({"precision_recall_f1", "specificity", "f_beta", "f1_average",
                   "majority_baseline_accuracy", "roc_points", "auc_trapezoid", "pr_points",
                   "log_loss_from_scratch", "total_cost"}),
            frozenset({"test_total_cost", "test_best_threshold", "test_average_precision",
                       "test_mean_average_precision", "test_ndcg_at_k"} | QUESTION_TESTS),
            "time budget", heavy=True,
            # 70 s of sleep against a 50 s budget: it runs out after the fifth slow answer at
            # the earliest and before the tenth (total_cost) at the latest
            maybe=frozenset({"test_majority_baseline_accuracy", "test_roc_points",
                             "test_auc_trapezoid", "test_pr_points",
                             "test_average_precision_from_scores", "test_log_loss_from_scratch"})),
    Hostile("memory-hog", "allocates far more memory than allowed",
            _append("precision_recall_f1", "_right = precision_recall_f1\n"
                    "def precision_recall_f1(*args, **kwargs):\n"
                    "    hog = np.ones(3 * 1024 ** 3 // 8)\n    return _right(*args, **kwargs)"),
            frozenset({"test_precision_recall_f1"}), "ran out of memory"),
    Hostile("os-exit", "os._exit kills the kernel in an answer cell",
            _append("plot_confusion_heatmap", "import os\nos._exit(1)"),
            frozenset({"test_plot_confusion_heatmap"}), "kernel died"),
    Hostile("sys-exit", "sys.exit in an answer cell (IPython keeps the kernel alive)",
            _append("precision_recall_f1", "import sys\nsys.exit(0)")),
    Hostile("deleted-test-cell", "a test cell deleted", _deleted),
    Hostile("edited-test-cell", "a test cell replaced by a print, with a wrong answer",
            _edited_test, frozenset({"test_confusion_matrix_from_scratch"})),
    Hostile("duplicated-cell", "an answer and its test cell duplicated", _duplicated,
            report="appeared more than once"),
    Hostile("test-cell-markdown", "a test cell turned into markdown", _retyped,
            report="restored to code"),
    Hostile("metadata-edited", "nbgrader metadata deleted from one test cell, points raised on another",
            _metadata_lost, report="restored"),
    Hostile("invalid-json", "a notebook file cut short (not JSON)", _invalid_json,
            frozenset({ALL}), "not a readable notebook"),
    Hostile("missing-notebook", "no notebook handed in", _missing, frozenset({ALL}),
            "not submitted"),
    Hostile("renamed-notebook", "the notebook saved under another name", _renamed,
            report="graded as classification-metrics.ipynb"),
    Hostile("extra-notebook", "an extra notebook next to the right one", _extra,
            report="not part of the assignment"),
    Hostile("huge-output", "megabytes printed in a cell",
            _append("confusion_matrix_from_scratch",
                    "for _i in range(60000):\n    print('spam ' * 20, _i)")),
    Hostile("stderr-spam", "thousands of warnings on stderr",
            _append("confusion_matrix_from_scratch",
                    "import sys, warnings\nfor _i in range(5000):\n"
                    "    warnings.warn(f'noise {_i}')\n    print('noise', _i, file=sys.stderr)")),
    Hostile("patched-libraries", "numpy and scikit-learn functions the tests use are replaced",
            _patched(PATCH_LIBRARIES), frozenset(TESTS_OF_PRECISION_ON),
            "tampering suspected"),
    Hostile("patched-checks", "the course's check functions are replaced by no-ops",
            _patched(PATCH_CHECKS), frozenset(TESTS_OF_PRECISION_ON),
            "tampering suspected"),
    Hostile("snoops-relative", "reads ../../../ for notebooks and deletes gradebook rows",
            _append("confusion_matrix_from_scratch", RELATIVE_SNOOPING)),
    Hostile("forged-probe-state", "replaces numpy's comparisons and marks them as already "
            "verified in the state an earlier probe kept in the notebook",
            _patched(FORGED_PROBE_STATE), frozenset(TESTS_OF_PRECISION_ON), "tampering suspected"),
    Hostile("skips-tests", "an input transformer rewrites every test cell to `pass`; all "
            "answers wrong", _wrong_from("confusion_matrix_from_scratch", SKIPS_TESTS),
            frozenset({ALL}), "tampering suspected"),
    Hostile("hooks-checks", "event hooks disarm the checks before each cell and rearm them "
            "after; all answers wrong", _wrong_from("confusion_matrix_from_scratch", HOOKS_CHECKS),
            frozenset({ALL}), "tampering suspected"),
    Hostile("swallows-errors", "a custom exception handler swallows every failed check; all "
            "answers wrong", _wrong_from("confusion_matrix_from_scratch", SWALLOWS_ERRORS),
            frozenset({ALL}), "tampering suspected"),
    Hostile("displays-a-score", "a wrong answer shows a result (sys.displayhook) while the "
            "checks run: nbgrader would read it as the cell's score",
            _append("ndcg_at_k", DISPLAYS_A_SCORE), frozenset({"test_ndcg_at_k"}), "CheckFailed"),
    Hostile("warns-but-right", "a right answer that prints to stderr and warns while the checks "
            "run: nbgrader alone would score the cell 0", _append("ndcg_at_k", WARNS_BUT_RIGHT)),
    Hostile("always-equal", "answers that compare equal to anything, the wrong letter inside",
            _always_equal, frozenset(QUESTIONS_NOT_A)),
    Hostile("changes-seed", "sets the hidden tests' seed back to the one it saw in a leak; all "
            "answers wrong", _wrong_from("confusion_matrix_from_scratch",
                                         "from course import checks as _c\n_c._run_seed = None"),
            frozenset({ALL}), "tampering suspected"),
    Hostile("fills-disk", "writes one huge file into its working folder, then /tmp, until full",
            _append("confusion_matrix_from_scratch",
                    "for _where in ('/tmp', '.'):\n"
                    "    with open(f'{_where}/filler.bin', 'wb') as _out:\n"
                    "        while True:\n            _out.write(b'x' * 2 ** 20)"),
            report="disk space used up", heavy=True),
    Hostile("many-files", "creates empty files until none more can be made",
            _append("precision_recall_f1",
                    "import itertools\nfor _i in itertools.count():\n"
                    "    open(f'empty-{_i}.txt', 'w').close()"),
            report="disk space used up", heavy=True),
    Hostile("busy-children", "starts detached processes that spin until grading ends",
            _append("confusion_matrix_from_scratch",
                    # niced, so that they slow this student's own grading down little
                    "import subprocess, sys\nfor _i in range(4):\n"
                    "    subprocess.Popen(['nice', '-n', '19', sys.executable, '-c', "
                    "'while True: pass'], start_new_session=True)"), heavy=True),
]


def files(entry: Hostile) -> dict[str, bytes]:
    """The files ``entry``'s student hands in."""
    perfect = classroom.submission(classroom.perfect(), paths.RELEASE / ASSIGNMENT,
                                   paths.SOURCE / ASSIGNMENT)[NOTEBOOK]
    return entry.build(perfect)


# Attacks on the grading machine itself. They need the real paths of the course being graded,
# so they are built per course. Each runs in a cell of its own that the student added and
# catches its own failure, so a blocked attack costs nothing and every answer still counts.
def _attack(code: str) -> Callable:
    wrapped = "try:\n" + "".join(f"    {line}\n" for line in code.strip().splitlines()) + (
        "except BaseException as _error:\n    print('ATTACK FAILED:', type(_error).__name__)")

    def build(nb):
        at = _index(nb, "confusion_matrix_from_scratch") + 1
        nb.cells.insert(at, nbformat.v4.new_code_cell(wrapped))
        return _one(nb)
    return build


def _prints_hidden_tests(nb):
    """A last cell of its own that prints every cell the kernel ran, hidden tests included, as
    text, as HTML and as an error message, for the feedback to show."""
    nb.cells.append(nbformat.v4.new_code_cell(
        "import html\nfrom IPython.display import HTML, display\n_ran = '\\n'.join(In)\n"
        "print(_ran)\ndisplay(HTML('<pre>' + html.escape(_ran) + '</pre>'))\n"
        "print('ATTACK FAILED unless the feedback shows them')\nraise RuntimeError(_ran)"))
    return _one(nb)


LEAKS_HIDDEN_TESTS = Hostile("prints-hidden-tests", "prints the hidden tests it ran (from In) in "
                             "a cell of its own, for the feedback to show", _prints_hidden_tests)


def sandbox_attacks(course_root: str, victim: str, db_url: str | None = None,
                    catalog: str | None = None, port: int | None = None) -> list[Hostile]:
    """Submissions that try to escape the grading sandbox of the course at ``course_root``."""
    root, a, nb = course_root, ASSIGNMENT, NOTEBOOK
    attacks = [
        Hostile("wipe-gradebook", "deletes every grade from the course's SQLite gradebook",
                _attack(f"""
import glob, sqlite3
for _path in [{root + '/gradebook.db'!r}] + glob.glob('../../../**/*.db', recursive=True):
    _c = sqlite3.connect(_path)
    for _t in ("grade", "submitted_notebook", "submitted_assignment"):
        _c.execute(f"DELETE FROM {{_t}}")
    _c.commit()
    print('WIPED', _path)""")),
        Hostile("read-secrets", "prints source/ notebooks, the catalog and another student's work",
                _attack(f"""
for _path in [{f'{root}/source/{a}/{nb}'!r}, {f'{root}/submitted/{victim}/{a}/{nb}'!r},
              {catalog or '/nonexistent'!r}]:
    try:
        print(open(_path).read())
    except OSError as _e:
        print('ATTACK FAILED:', type(_e).__name__)""")),
        Hostile("write-files", "writes next to the gradebook and into another student's folder",
                _attack(f"""
for _path in [{root + '/PWNED.txt'!r}, {f'{root}/submitted/{victim}/{a}/PWNED.txt'!r}]:
    try:
        open(_path, 'w').write('pwned')
        print('WROTE', _path)
    except OSError as _e:
        print('ATTACK FAILED:', type(_e).__name__)""")),
        Hostile("fork-bomb", "forks as many processes as it can",
                _attack("""
import os, time
_children = 0
try:
    for _i in range(2000):
        if os.fork() == 0:
            time.sleep(20)
            os._exit(0)
        _children += 1
finally:
    print('FORKED', _children)""")),
    ]
    attacks.append(LEAKS_HIDDEN_TESTS)
    attacks.append(Hostile(
        "leaves-links", "leaves links to the gradebook, source/ and another student's notebook "
        "(and a FIFO) in its folder for the grader to follow after the kernel ends",
        _attack(f"""
import os
_targets = {{{nb!r}: {root + '/gradebook.db'!r}, 'source.ipynb': {f'{root}/source/{a}/{nb}'!r},
            'victim.ipynb': {f'{root}/submitted/{victim}/{a}/{nb}'!r}, 'root-dir': '/',
            'etc-passwd': '/etc/passwd', 'gradebook.db': {root + '/gradebook.db'!r}}}
for _name, _target in _targets.items():
    if os.path.lexists(_name):
        os.remove(_name)
    os.symlink(_target, _name)
os.mkfifo('pipe')
print('LEFT', len(os.listdir('.')), 'entries; ATTACK FAILED unless the grader follows them')""")))
    if port:
        attacks.append(Hostile("network", "opens network connections", _attack(f"""
import socket
for _address in [("127.0.0.1", {port}), ("1.1.1.1", 53)]:
    try:
        socket.create_connection(_address, timeout=3).close()
        print('CONNECTED', _address)
    except OSError as _e:
        print('ATTACK FAILED:', type(_e).__name__)""")))
    if db_url:
        attacks.append(Hostile("wipe-postgres", "deletes every grade through the database URL",
                               _attack(f"""
import psycopg
with psycopg.connect({db_url.replace('postgresql+psycopg://', 'postgresql://')!r}) as _c:
    for _t in ("grade", "submitted_notebook", "submitted_assignment"):
        _c.execute(f"DELETE FROM {{_t}}")
print('WIPED postgres')""")))
    return attacks
