"""The syllabus as data: exam items → assignments → the graded cells that test them.

Both exam versions are mapped. ``EXAM_ITEMS`` are the 37 items of MLA-C01's Domain 2, in the study
guide's order; ``C02_SKILLS`` the 27 skills of MLA-C02's Domain 2 (in use from 29 September 2026).
``PLAN`` says which items and skills each of the 20 assignments must teach. ``GRADED`` says, for
every assignment that exists in source/, which graded cells (test-cell grade ids) test each C01
item; it is assembled from each assignment's ``instructor/<assignment>/exam.toml``, and a test
proves that every id in it exists, so `course coverage` reports what is really graded, not what
is planned. ``GRADED_C02`` follows from it: a cell that grades a C01 item grades the C02 skill that
carries the item on (``C01_TO_C02``), and the ``[graded_c02]`` table of an exam.toml adds the cells
of skills C01 did not have (foundation models, RAG, evaluating generative AI).
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


# MLA-C02 Domain 2 (AWS's exam guide and its MLA-C01 comparison page; ../shared/AWS_FACTS.md §9).
# Short descriptions in the course's words, like EXAM_ITEMS above.
C02_SKILLS: dict[str, str] = {
    "C2-2.1.1": "evaluating and selecting Amazon Bedrock FMs for task requirements and performance",
    "C2-2.1.2": "fine-tuning strategies for pre-trained FMs",
    "C2-2.1.3": "comparing and selecting ML models, GenAI models, algorithms and solution templates",
    "C2-2.1.4": "trade-offs of custom solutions, managed services, pre-trained models and FMs",
    "C2-2.1.5": "RAG architecture patterns for a use case",
    "C2-2.1.6": "trade-offs of ML model performance, training time and cost",
    "C2-2.1.7": "trade-offs of AI model performance, latency and cost",
    "C2-2.1.8": "AWS AI services for business problems (Textract, Rekognition, Comprehend ...)",
    "C2-2.2.1": "SageMaker AI built-in algorithms and common ML libraries",
    "C2-2.2.2": "script mode with supported frameworks",
    "C2-2.2.3": "hyperparameter optimisation (Automatic Model Tuning)",
    "C2-2.2.4": "reducing training time: early stopping, distributed training",
    "C2-2.2.5": "preventing overfitting, underfitting and catastrophic forgetting",
    "C2-2.2.6": "combining models to improve performance or reduce cost",
    "C2-2.2.7": "fundamental hyperparameters: epoch, steps, batch size",
    "C2-2.2.8": "customization techniques: task-specific prompt engineering, fine-tuning",
    "C2-2.2.9": "optimising retrieval components and embedding models",
    "C2-2.3.1": "reproducible experiments",
    "C2-2.3.2": "performance baselines and drift detection",
    "C2-2.3.3": "comparing a shadow variant with a production variant",
    "C2-2.3.4": "explaining model outputs",
    "C2-2.3.5": "debugging convergence issues",
    "C2-2.3.6": "evaluation techniques for traditional ML and GenAI models",
    "C2-2.3.7": "human evaluation: human-in-the-loop, text-generation quality",
    "C2-2.3.8": "NLP metrics: BLEU, ROUGE, BERTScore, semantic similarity",
    "C2-2.3.9": "AI evaluation: output assessment, content quality, bias, LLM-as-a-judge",
    "C2-2.3.10": "RAG monitoring and retrieval accuracy",
}

# Which C02 skill carries each C01 item on. An empty tuple: C02's Domain 2 has no such skill
# (model-size reduction and fine-tuning with custom datasets as worded were removed; bring your own
# container and Neo left Domain 3; the Model Registry is not a Domain 2 skill).
C01_TO_C02: dict[str, tuple[str, ...]] = {
    "T1.K1": ("C2-2.1.3",), "T1.K2": ("C2-2.1.8",), "T1.K3": ("C2-2.1.3",), "T1.K4": ("C2-2.2.1",),
    "T1.S1": ("C2-2.1.3",), "T1.S2": ("C2-2.1.3",), "T1.S3": ("C2-2.1.4",), "T1.S4": ("C2-2.1.6",),
    "T1.S5": ("C2-2.1.8",),
    "T2.K1": ("C2-2.2.7",), "T2.K2": ("C2-2.2.4",), "T2.K3": (), "T2.K4": ("C2-2.2.6",),
    "T2.K5": ("C2-2.2.5",), "T2.K6": ("C2-2.2.3",), "T2.K7": ("C2-2.2.3",), "T2.K8": (),
    "T2.S1": ("C2-2.2.1",), "T2.S2": ("C2-2.2.2",), "T2.S3": ("C2-2.1.2", "C2-2.2.8"),
    "T2.S4": ("C2-2.2.3",), "T2.S5": ("C2-2.2.3",), "T2.S6": ("C2-2.2.5",), "T2.S7": ("C2-2.2.6",),
    "T2.S8": (), "T2.S9": (),
    "T3.K1": ("C2-2.3.6",), "T3.K2": ("C2-2.3.2",), "T3.K3": ("C2-2.3.6",), "T3.K4": ("C2-2.3.6",),
    "T3.K5": ("C2-2.3.5",), "T3.S1": ("C2-2.3.6",), "T3.S2": ("C2-2.1.6",), "T3.S3": ("C2-2.3.1",),
    "T3.S4": ("C2-2.3.3",), "T3.S5": ("C2-2.3.4",), "T3.S6": ("C2-2.3.5",),
}

EXAMS = {"C01": EXAM_ITEMS, "C02": C02_SKILLS}


@dataclass(frozen=True)
class Planned:
    assignment: str
    items: tuple[str, ...]
    c02: tuple[str, ...] = ()


PLAN: tuple[Planned, ...] = (
    Planned("01-framing-and-feasibility", ("T1.S1",), ("C2-2.1.3",)),
    Planned("02-algorithm-selection", ("T1.K1", "T1.S2"), ("C2-2.1.3",)),
    Planned("03-interpretability-and-built-in-algorithms", ("T1.K3", "T1.K4", "T2.S1", "T3.S5"),
            ("C2-2.1.3", "C2-2.2.1", "C2-2.3.4")),
    Planned("04-ai-services-foundation-models-and-cost", ("T1.K2", "T1.S3", "T1.S4", "T1.S5"),
            ("C2-2.1.4", "C2-2.1.6", "C2-2.1.8")),
    Planned("05-training-mechanics", ("T2.K1", "T2.K2"), ("C2-2.2.4", "C2-2.2.7")),
    Planned("06-regularization-and-fit", ("T2.K5", "T2.S6"), ("C2-2.2.5",)),
    Planned("07-hyperparameter-tuning", ("T2.K6", "T2.K7", "T2.S4", "T2.S5"), ("C2-2.2.3",)),
    Planned("08-ensembles", ("T2.S7", "T2.K4"), ("C2-2.2.6",)),
    Planned("09-model-size-and-compression", ("T2.K3", "T2.S8")),
    Planned("10-sagemaker-integration", ("T2.K8", "T2.S1", "T2.S2", "T2.S9"), ("C2-2.2.1", "C2-2.2.2")),
    Planned("11-transfer-learning-and-fine-tuning", ("T2.S3",), ("C2-2.1.2", "C2-2.2.8")),
    Planned("12-classification-metrics", ("T3.K1", "T3.S1"), ("C2-2.3.6",)),
    Planned("13-regression-metrics-and-baselines", ("T3.K1", "T3.K2"), ("C2-2.3.2", "C2-2.3.6")),
    Planned("14-fit-diagnosis-and-convergence", ("T3.K3", "T3.K5", "T3.S6"), ("C2-2.3.5", "C2-2.3.6")),
    Planned("15-bias-and-explainability", ("T3.K4", "T3.S1", "T3.S5"), ("C2-2.3.4", "C2-2.3.6")),
    Planned("16-experiments-shadow-and-tradeoffs", ("T3.S2", "T3.S3", "T3.S4"),
            ("C2-2.1.6", "C2-2.3.1", "C2-2.3.3")),
    Planned("17-capstone-broken-lab", ("T1.S4", "T2.K4", "T2.K7", "T2.S1", "T2.S6", "T3.K1", "T3.K2", "T3.K3",
                                       "T3.K4", "T3.K5", "T3.S1", "T3.S3"),
            ("C2-2.1.6", "C2-2.1.7", "C2-2.2.1", "C2-2.2.3", "C2-2.2.5", "C2-2.2.6", "C2-2.3.1", "C2-2.3.2",
             "C2-2.3.5", "C2-2.3.6")),
    Planned("18-foundation-models-and-customization", ("T1.S3", "T1.S4", "T2.S3"),
            ("C2-2.1.1", "C2-2.1.2", "C2-2.1.4", "C2-2.1.6", "C2-2.1.7", "C2-2.2.8")),
    Planned("19-retrieval-and-rag", ("T3.K1",), ("C2-2.1.5", "C2-2.2.9", "C2-2.3.6", "C2-2.3.10")),
    Planned("20-evaluating-generative-ai", ("T3.K1", "T3.S1"), ("C2-2.3.6", "C2-2.3.7", "C2-2.3.8", "C2-2.3.9")),
)

def graded(folder: Path = paths.INSTRUCTOR, table: str = "graded") -> dict[str, dict[str, tuple[str, ...]]]:
    """assignment → exam item → grade ids of the test cells that grade it, read from the ``table``
    of every assignment's ``instructor/<assignment>/exam.toml`` (only assignments that exist)."""
    found = {}
    for exam in sorted(folder.glob(f"*/{paths.EXAM_MAP}")):
        with exam.open("rb") as handle:
            items = tomllib.load(handle).get(table, {})
        found[exam.parent.name] = {item: tuple(ids) for item, ids in items.items()}
    return found


def graded_c02(folder: Path = paths.INSTRUCTOR) -> dict[str, dict[str, tuple[str, ...]]]:
    """assignment → C02 skill → grade ids: the C01 mapping carried over by ``C01_TO_C02``, plus
    each exam.toml's own ``[graded_c02]`` table."""
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    explicit = graded(folder, "graded_c02")
    for assignment, items in graded(folder).items():
        skills: dict[str, list[str]] = {}
        for item, grade_ids in items.items():
            for skill in C01_TO_C02.get(item, ()):
                skills.setdefault(skill, []).extend(grade_ids)
        for skill, grade_ids in explicit.get(assignment, {}).items():
            skills.setdefault(skill, []).extend(grade_ids)
        found[assignment] = {skill: tuple(dict.fromkeys(ids)) for skill, ids in skills.items()}
    return found


GRADED = graded()
GRADED_C02 = graded_c02()


EXAM_MAP_CELL = "learning_objectives"
EXAM_MAP_START = "**Exam map.**"


def exam_map_line(assignment: str) -> str:
    """The line a lesson's learning objectives end with: every C01 item and C02 skill its graded
    cells test, in the exams' order, so a student of either version sees what the lab counts for."""
    c01 = [item for item in EXAM_ITEMS if item in GRADED.get(assignment, {})]
    c02 = [skill.removeprefix("C2-") for skill in C02_SKILLS if skill in GRADED_C02.get(assignment, {})]
    return (f"{EXAM_MAP_START} Graded here: MLA-C01 {', '.join(c01) or '—'}; MLA-C02 "
            f"{', '.join(c02) or '— (these topics are not in C02)'}.")


def sync_exam_map(assignment: str, write: bool = False) -> bool:
    """Whether the lesson's learning-objectives cell holds its exam-map line (with ``write``, the
    source notebook is made to hold it: the old line replaced, or a new one put before "How to
    work")."""
    import nbformat

    path = paths.notebooks(paths.SOURCE / assignment)[0]
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == EXAM_MAP_CELL)
    wanted = exam_map_line(assignment)
    if wanted in cell.source.splitlines():
        return True
    if write:
        kept = [part for part in cell.source.split("\n\n") if not part.startswith(EXAM_MAP_START)]
        at = next((i for i, part in enumerate(kept) if part.startswith("**How to work.**")), len(kept))
        cell.source = "\n\n".join([*kept[:at], wanted, *kept[at:]])
        nbformat.write(notebook, path)
    return False


def coverage(exam: str = "C01") -> dict[str, list[tuple[str, str]]]:
    """For every item of ``exam`` (C01 or C02), the (assignment, grade id) pairs that grade it."""
    covered: dict[str, list[tuple[str, str]]] = {item: [] for item in EXAMS[exam]}
    for assignment, items in (GRADED if exam == "C01" else GRADED_C02).items():
        for item, grade_ids in items.items():
            covered[item].extend((assignment, g) for g in grade_ids)
    return covered


def coverage_report(exam: str = "C01") -> str:
    """The coverage matrix as text: one row per exam item, then the total and the gaps."""
    covered = coverage(exam)
    items = EXAMS[exam]
    width = max(len(p.assignment) for p in PLAN)
    code = max(len(item) for item in items)
    lines = [f"MLA-{exam} Domain 2", f"{'item':{code}}  {'graded cells':>12}  {'assignment(s)':{width}}  description"]
    for item, description in items.items():
        where = sorted({a for a, _ in covered[item]})
        planned = [p.assignment for p in PLAN if item in (p.items if exam == "C01" else p.c02)]
        shown = ", ".join(where) if where else f"(planned: {', '.join(planned) or 'none'})"
        lines.append(f"{item:{code}}  {len(covered[item]):>12}  {shown:{width}}  {description}")
    missing = [item for item, cells in covered.items() if not cells]
    noun = "exam items" if exam == "C01" else "skills"
    lines.append("")
    lines.append(f"{len(items) - len(missing)} of {len(items)} {noun} covered by graded cells.")
    if missing:
        lines.append("Missing: " + ", ".join(missing))
    if exam == "C02":
        lines.append("Taught for MLA-C01 only (not in C02's Domain 2): "
                     + ", ".join(item for item, skills in C01_TO_C02.items() if not skills))
    return "\n".join(lines)
