"""Detect library functions replaced by a submission (``np.allclose = lambda *a: True``).

Test cells compare a student's answer with numpy, scikit-learn and ``course.checks``; replacing
one of those from an answer cell would turn every check into a pass. After each test cell the
grader runs ``PROBE`` in the kernel: any function reachable from those packages whose code was
compiled outside the installed software (a notebook cell, ``exec``) is reported, and the test
cell is failed. This is a tripwire, not a wall: code written to fool this probe in particular can
evade it, which the README's threat model says.
"""
from __future__ import annotations

import ast

TAMPERED = "TamperingDetected"
# The modules whose functions the test cells call (attributes only, not whole packages: some
# libraries legitimately build functions with exec).
WATCHED = ("numpy", "numpy.linalg", "numpy.random", "pandas", "matplotlib.pyplot",
           "sklearn.metrics", "sklearn.model_selection", "sklearn.linear_model", "sklearn.tree",
           "sklearn.ensemble", "sklearn.inspection", "xgboost", "course", "course.checks",
           "course.datasets")

PROBE = '''
def _mdl_scan(watched=%r):
    import os, sys, types, importlib.util
    # Verified (module, name) -> object, and realpath results, kept between runs: only what
    # changed since the last test cell is examined again.
    seen, real = globals().setdefault("_mdl_probe_state", ({}, {}))
    if not real:
        roots = {os.path.realpath(p) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
        spec = importlib.util.find_spec("course")
        if spec and spec.origin:
            roots.add(os.path.dirname(os.path.dirname(os.path.realpath(spec.origin))) + os.sep)
        real["roots"] = tuple(roots)
    def trusted(path):
        if path not in real:
            real[path] = path.startswith("<frozen ") or os.path.realpath(path).startswith(real["roots"])
        return real[path]
    found = []
    for name in watched:
        module = sys.modules.get(name)
        if module is None:
            continue
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if not isinstance(module, types.ModuleType) or not (origin and trusted(origin)):
            found.append(name)
            continue
        for attr, value in list(vars(module).items()):
            if seen.get((name, attr)) is value:
                continue
            if isinstance(value, types.FunctionType) and not trusted(value.__code__.co_filename):
                found.append(name + "." + attr)
            else:
                seen[(name, attr)] = value
    return sorted(set(found))
_mdl_tampered = _mdl_scan()
del _mdl_scan
''' % (WATCHED,)


def read_reply(reply: dict) -> list[str]:
    """The names the probe reported, from its execute reply."""
    result = reply.get("content", {}).get("user_expressions", {}).get("tampered", {})
    if result.get("status") != "ok":
        return ["(the integrity probe could not run)"]
    try:
        return list(ast.literal_eval(result["data"]["text/plain"]))
    except (KeyError, ValueError, SyntaxError):
        return ["(the integrity probe returned an unreadable answer)"]
