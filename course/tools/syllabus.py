"""The syllabus as data: exam items → assignments → the graded cells that test them.

``EXAM_ITEMS`` are the 37 items of Domain 2 (MLA-C01), in the study guide's order. ``PLAN`` says
which items each of the 17 assignments must teach. ``GRADED`` says, for every assignment that
exists in source/, which graded cells (test-cell grade ids) test each item; it is assembled from
each assignment's ``instructor/<assignment>/exam.toml``, and a test proves that every id in it
exists, so `course coverage` reports what is really graded, not what is planned.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import paths

EXAM_ITEMS: dict[str, str] = {
    "T1.K1": "capabilities and uses of ML algorithms for business problems",
    "T1.K2": "AWS AI services (Translate, Transcribe, Rekognition, Bedrock ...) for business problems",
    "T1.K3": "interpretability in model / algorithm selection",
    "T1.K4": "SageMaker built-in algorithms and when to apply them",
    "T1.S1": "assessing data and problem complexity for ML feasibility",
    "T1.S2": "comparing and selecting models or algorithms",
    "T1.S3": "choosing built-in algorithms, foundation models, solution templates (JumpStart, Bedrock)",
    "T1.S4": "selecting models or algorithms based on cost",
    "T1.S5": "selecting AI services for common business needs",
    "T2.K1": "elements of training: epoch, step, batch size",
    "T2.K2": "reducing training time: early stopping, distributed training",
    "T2.K3": "factors that influence model size",
    "T2.K4": "methods to improve model performance",
    "T2.K5": "regularization: dropout, weight decay, L1, L2",
    "T2.K6": "hyperparameter tuning techniques: random search, Bayesian optimisation",
    "T2.K7": "hyperparameters and their effects (trees, depth, layers, learning rate)",
    "T2.K8": "integrating models built outside SageMaker (containers, /ping, /invocations)",
    "T2.S1": "using built-in algorithms and common ML libraries to develop models",
    "T2.S2": "script mode with supported frameworks",
    "T2.S3": "fine-tuning pre-trained models on custom data",
    "T2.S4": "hyperparameter tuning with Automatic Model Tuning",
    "T2.S5": "integrating automated hyperparameter optimisation into workflows",
    "T2.S6": "preventing overfitting, underfitting, catastrophic forgetting",
    "T2.S7": "combining models: ensembling, stacking, boosting",
    "T2.S8": "reducing model size: data types, pruning, feature selection, compression",
    "T2.S9": "managing model versions (Model Registry)",
    "T3.K1": "evaluation metrics: confusion matrix, heat maps, F1, accuracy, precision, recall, RMSE, ROC, AUC",
    "T3.K2": "performance baselines",
    "T3.K3": "identifying overfitting and underfitting",
    "T3.K4": "Clarify metrics for data and model insight",
    "T3.K5": "convergence issues",
    "T3.S1": "selecting and interpreting metrics, detecting bias",
    "T3.S2": "trade-offs between performance, training time and cost",
    "T3.S3": "reproducible experiments",
    "T3.S4": "comparing a shadow variant with a production variant",
    "T3.S5": "interpreting model outputs with Clarify (SHAP, partial dependence)",
    "T3.S6": "debugging convergence with Debugger",
}


@dataclass(frozen=True)
class Planned:
    assignment: str
    items: tuple[str, ...]


PLAN: tuple[Planned, ...] = (
    Planned("01-framing-and-feasibility", ("T1.S1",)),
    Planned("02-algorithm-selection", ("T1.K1", "T1.S2")),
    Planned("03-interpretability-and-built-in-algorithms", ("T1.K3", "T1.K4")),
    Planned("04-ai-services-foundation-models-and-cost", ("T1.K2", "T1.S3", "T1.S4", "T1.S5")),
    Planned("05-training-mechanics", ("T2.K1", "T2.K2")),
    Planned("06-regularization-and-fit", ("T2.K5", "T2.S6")),
    Planned("07-hyperparameter-tuning", ("T2.K6", "T2.K7", "T2.S4", "T2.S5")),
    Planned("08-ensembles", ("T2.S7", "T2.K4")),
    Planned("09-model-size-and-compression", ("T2.K3", "T2.S8")),
    Planned("10-sagemaker-integration", ("T2.K8", "T2.S1", "T2.S2", "T2.S9")),
    Planned("11-transfer-learning-and-fine-tuning", ("T2.S3",)),
    Planned("12-classification-metrics", ("T3.K1", "T3.S1")),
    Planned("13-regression-metrics-and-baselines", ("T3.K1", "T3.K2")),
    Planned("14-fit-diagnosis-and-convergence", ("T3.K3", "T3.K5", "T3.S6")),
    Planned("15-bias-and-explainability", ("T3.K4", "T3.S1", "T3.S5")),
    Planned("16-experiments-shadow-and-tradeoffs", ("T3.S2", "T3.S3", "T3.S4")),
    Planned("17-capstone-broken-lab", ()),
)

def graded(folder: Path = paths.INSTRUCTOR) -> dict[str, dict[str, tuple[str, ...]]]:
    """assignment → exam item → grade ids of the test cells that grade it, read from every
    assignment's ``instructor/<assignment>/exam.toml`` (only assignments that exist)."""
    found = {}
    for exam in sorted(folder.glob(f"*/{paths.EXAM_MAP}")):
        with exam.open("rb") as handle:
            items = tomllib.load(handle).get("graded", {})
        found[exam.parent.name] = {item: tuple(ids) for item, ids in items.items()}
    return found


GRADED = graded()


def coverage() -> dict[str, list[tuple[str, str]]]:
    """For every exam item, the (assignment, grade id) pairs that grade it (empty if none)."""
    covered: dict[str, list[tuple[str, str]]] = {item: [] for item in EXAM_ITEMS}
    for assignment, items in GRADED.items():
        for item, grade_ids in items.items():
            covered[item].extend((assignment, g) for g in grade_ids)
    return covered


def coverage_report() -> str:
    """The coverage matrix as text: one row per exam item, then the total and the gaps."""
    covered = coverage()
    width = max(len(p.assignment) for p in PLAN)
    lines = [f"{'item':6}  {'graded cells':>12}  {'assignment(s)':{width}}  description"]
    for item, description in EXAM_ITEMS.items():
        where = sorted({a for a, _ in covered[item]})
        planned = [p.assignment for p in PLAN if item in p.items]
        shown = ", ".join(where) if where else f"(planned: {', '.join(planned) or 'none'})"
        lines.append(f"{item:6}  {len(covered[item]):>12}  {shown:{width}}  {description}")
    missing = [item for item, cells in covered.items() if not cells]
    lines.append("")
    lines.append(f"{len(EXAM_ITEMS) - len(missing)} of {len(EXAM_ITEMS)} exam items covered by graded cells.")
    if missing:
        lines.append("Missing: " + ", ".join(missing))
    return "\n".join(lines)
