"""Tampering with the grader from inside the kernel: detected after each test cell, screened for
before grading.

Student code shares the kernel with the tests, so it can try to make a failing test cell pass:
replace the functions the tests compare with (``np.allclose = lambda *a: True``), rewrite or skip
the test code before it runs (IPython input and AST transformers, event hooks, a wrapped
``run_cell``), swallow its errors (a custom exception handler), or replace the display hook.
Nothing in one process can prevent all of that, so it is *detected*:

* ``probe()`` is evaluated after each test cell as a *user expression*: IPython evaluates those
  without input transformers or event hooks, and the probe keeps no state in the notebook's
  namespace. It reports every function the tests rely on whose code was compiled outside the
  installed software, every transformer, event hook, thread, shell method or builtin that comes
  from the notebook, a custom exception handler, a replaced display hook and a changed
  hidden-test seed. The grader then
  fails the test cell with the evidence ("tampering suspected"), for the instructor to review.
* ``screen`` looks at the student's own cells before grading for the APIs such tricks need
  (IPython internals, frame inspection, ``sys.modules``, code objects, ...) and flags the
  submission for review; on its own a flag changes no score.

This is a tripwire, not a wall: code written to fool these two in particular (for example code
compiled under a forged file name, or a replaced ``exec``) can evade them, which the README's
threat model says.
"""
from __future__ import annotations

import ast
import re

import nbformat

from . import cells

TAMPERED = "TamperingDetected"
# The modules whose functions the test cells call (attributes only, not whole packages: some
# libraries legitimately build functions with exec).
WATCHED = ("numpy", "numpy.linalg", "numpy.random", "pandas", "matplotlib.pyplot",
           "sklearn.metrics", "sklearn.model_selection", "sklearn.linear_model", "sklearn.tree",
           "sklearn.ensemble", "sklearn.inspection", "xgboost", "course", "course.checks",
           "course.datasets", "course.datasets.integration", "course.plots", "course.sagemaker")
# Shell methods that, set on the shell itself, would intercept the execution of test cells.
SHELL_METHODS = ("run_cell", "run_cell_async", "run_ast_nodes", "run_code", "transform_cell",
                 "transform_ast", "should_run_async", "showtraceback", "_showtraceback",
                 "showsyntaxerror", "ex", "ev", "safe_execfile")
BUILTINS = ("abs", "all", "any", "bool", "callable", "dict", "enumerate", "exec", "eval", "float",
            "getattr", "hasattr", "int", "isinstance", "issubclass", "len", "list", "map", "max",
            "min", "print", "range", "repr", "round", "set", "sorted", "str", "sum", "tuple",
            "type", "zip", "__import__", "compile")

SCAN = '''
def scan(watched, shell_methods, builtin_names, seed):
    import builtins, importlib.util, os, sys, threading, types
    roots = {os.path.realpath(p) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    roots |= {p + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    spec = importlib.util.find_spec("course")
    if spec and spec.origin:
        roots.add(os.path.dirname(os.path.realpath(spec.origin)) + os.sep)
    roots = tuple(roots)

    def trusted(thing):
        code = getattr(thing, "__code__", None)
        if code is None:
            call = getattr(type(thing), "__call__", None)
            code = getattr(call, "__code__", None)
        if code is None:
            return True                         # built into Python: not written by the student
        name = code.co_filename
        return name.startswith("<frozen ") or name.startswith(roots)

    found = []
    for name in watched:
        module = sys.modules.get(name)
        if module is None:
            continue
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if not isinstance(module, types.ModuleType) or not (origin and origin.startswith(roots)):
            found.append(f"module {name} replaced")
            continue
        for attr, value in list(vars(module).items()):
            if isinstance(value, types.FunctionType) and not trusted(value):
                found.append(f"{name}.{attr} replaced")
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    if shell is not None:
        for kind in ("input_transformers_cleanup", "input_transformers_post", "ast_transformers"):
            for step in getattr(shell, kind, []):
                if not trusted(step) or not trusted(getattr(step, "visit", None)):
                    found.append(f"an IPython {kind.replace('_', ' ')} step")
        for event, callbacks in shell.events.callbacks.items():
            if any(not trusted(callback) for callback in callbacks):
                found.append(f"an IPython event hook on {event}")
        for attr in shell_methods:
            if attr in vars(shell) and not trusted(vars(shell)[attr]):
                found.append(f"the shell's {attr} replaced")
        for klass in (*type(shell).__mro__, *type(shell.displayhook).__mro__):
            for attr, value in list(vars(klass).items()):
                if isinstance(value, types.FunctionType) and not trusted(value):
                    found.append(f"{klass.__name__}.{attr} replaced")
        if shell.custom_exceptions:
            found.append("a custom exception handler (set_custom_exc)")
        if not trusted(sys.displayhook) or not trusted(shell.displayhook):
            found.append("the display hook replaced")
    for attr in builtin_names:
        if isinstance(getattr(builtins, attr, None), types.FunctionType):
            found.append(f"builtin {attr} replaced")
    checks = sys.modules.get("course.checks")
    if seed is not None and getattr(checks, "_run_seed", None) != seed:
        found.append("the hidden tests' seed changed")
    if sys.gettrace() is not None or sys.getprofile() is not None:
        found.append("a trace or profile function (sys.settrace)")
    for thread in threading.enumerate():
        if not trusted(getattr(thread, "_target", None)) or not trusted(type(thread).run):
            found.append(f"a thread started by the notebook ({thread.name})")
    return sorted(set(found))
'''


def probe(seed: int | None) -> str:
    """The probe as one expression, so that it can run as a user expression (no transformers, no
    event hooks); ``seed`` is the grading run's hidden-test seed the kernel must still use."""
    return (f"(lambda _mdl_ns: (exec({SCAN!r}, _mdl_ns), _mdl_ns['scan']({WATCHED!r}, "
            f"{SHELL_METHODS!r}, {BUILTINS!r}, {seed!r}))[1])({{}})")


MESSAGE = ("this test does not count: tampering with the grader suspected ({}). Remove the code "
           "that does this; your instructor will review the notebook.")


def message(evidence: list[str]) -> str:
    """The error a test cell gets when the probe found ``evidence`` after it."""
    return MESSAGE.format("; ".join(evidence[:6]))


def evidence_in(text: str) -> list[str]:
    """The evidence a ``message`` names (for the grading report)."""
    head, _, tail = MESSAGE.partition("{}")
    if not (text.startswith(head) and text.endswith(tail)):
        return []
    return text[len(head):len(text) - len(tail)].split("; ")


def read_reply(reply: dict) -> list[str]:
    """The evidence the probe reported, from the reply to the request that carried it."""
    result = reply.get("content", {}).get("user_expressions", {}).get("tampered", {})
    if result.get("status") != "ok":
        return ["the integrity probe could not run"]
    try:
        found = ast.literal_eval(result["data"]["text/plain"])
    except (KeyError, ValueError, SyntaxError, TypeError):
        return ["the integrity probe returned an unreadable answer"]
    if not isinstance(found, list) or not all(isinstance(item, str) for item in found):
        return ["the integrity probe returned an unreadable answer"]
    return found


# Grader-facing APIs a solution has no reason to use, and what each would be for.
SCREENED = [
    (r"\bget_ipython\b|\bIPython\b|\bipykernel\b", "IPython's shell or kernel"),
    (r"input_transformers|ast_transformers|\bevents[ \t]*\.[ \t]*register", "IPython hooks"),
    (r"set_custom_exc|\bdisplayhook\b|\bexcepthook\b", "display or exception hooks"),
    (r"\bset(trace|profile)\b|\bsys[ \t]*\.[ \t]*monitoring\b|\baudit", "tracing hooks"),
    (r"_getframe|currentframe|\bf_back\b|\bf_globals\b|\bf_locals\b|inspect[ \t]*\.[ \t]*stack",
     "frame inspection"),
    (r"sys[ \t]*\.[ \t]*modules", "sys.modules"),
    (r"__code__|\bco_code\b|CodeType|__closure__", "code objects"),
    (r"\bgc[ \t]*\.[ \t]*get_(referrers|referents|objects)", "the garbage collector's object lists"),
    (r"\b__builtins__\b|\bbuiltins\b", "builtins"),
    (r"\bctypes\b", "ctypes"),
    (r"_mdl_|\bMDL_", "the grader's own names"),
    (r"(?<![\w.])(In|Out|_ih|_oh|_i\d+)[ \t]*\[", "the notebook's input/output history"),
    (r"__eq__|__ne__|__hash__", "redefined equality"),
    (r"\b_*(np|numpy|pd|pandas|plt|checks|plots|sagemaker|sklearn|metrics|xgb)[ \t]*\.[ \t]*\w+"
     r"[ \t]*=(?!=)|setattr\([ \t]*_*(np|numpy|pd|pandas|plt|checks|plots|sagemaker|sklearn|"
     r"metrics|xgb)\b",
     "assignments to library attributes"),
]
LIBRARIES = r"(numpy|pandas|sklearn|scipy|matplotlib|xgboost|course)"
IMPORTED_AS = re.compile(rf"^[ \t]*(?:import\s+{LIBRARIES}[\w.]*|from\s+{LIBRARIES}[\w.]*\s+import"
                         rf"\s+\w+)\s+as\s+(\w+)", re.MULTILINE)


def screen(source: str) -> list[str]:
    """What in ``source`` (one cell of the student's) looks aimed at the grader."""
    found = [what for pattern, what in SCREENED if re.search(pattern, source)]
    for alias in {match.group(3) for match in IMPORTED_AS.finditer(source)}:
        if re.search(rf"(?<![\w.]){alias}[ \t]*\.[ \t]*\w+[ \t]*=(?!=)|setattr\([ \t]*{alias}\b", source):
            found.append("assignments to library attributes")
    return list(dict.fromkeys(found))


def screen_notebook(name: str, data: bytes) -> list[str]:
    """Review flags for every cell the student wrote or could edit (not test or read-only
    cells, which autograde restores), e.g. "classification-metrics.ipynb, cell 'f1': ctypes"."""
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception:                 # noqa: BLE001  (unreadable: repair already reported it)
        return []
    flags = []
    for index, cell in enumerate(notebook.cells):
        if cell.get("cell_type") != "code" or cells.is_locked(cell) or cells.is_test(cell):
            continue
        found = screen(cell.get("source", ""))
        if found:
            where = f"cell '{cells.grade_id(cell)}'" if cells.grade_id(cell) else f"cell {index}"
            flags.append(f"{name}, {where}: {', '.join(found)}")
    return flags
