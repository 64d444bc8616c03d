"""nbgrader configuration for Model Development Labs (nbgrader 0.9.6).

Plain `nbgrader generate_assignment / autograde / generate_feedback` run from this directory pick
this file up, so every protection below applies with or without the `course` command.
"""
import os

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)

# One course id for the gradebook, the exchange and the formgrader.
c.CourseDirectory.course_id = "model-development-labs"

# The course root is this file's directory, so commands work from any working directory.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))

# Gradebook: SQLite beside this file by default; any SQLAlchemy URL (e.g. PostgreSQL for several
# graders) through MDL_GRADEBOOK_URL, without editing this file.
c.CourseDirectory.db_url = os.environ.get(
    "MDL_GRADEBOOK_URL",
    "sqlite:///" + os.path.join(c.CourseDirectory.root, "gradebook.db"),
)

# A stub that tells the student what to do instead of a bare NotImplementedError.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE: replace these two lines with your answer\n"
              "raise NotImplementedError(\"Replace this line with your answer, then run the tests below.\")"
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Files a notebook writes as it runs (10's `%%writefile train.py` and `serve.py` cells) are never
# released to students or copied from a source folder where a run left them: the notebook
# writes them again. The rest is nbgrader's default list.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
                            "train.py", "serve.py"]

# Per-cell time limit. Every course cell runs in a few seconds; a runaway loop costs at most
# this long per cell (upstream's default is 30 s; a fresh machine builds matplotlib's font cache
# on first import, which can take longer).
c.Execute.timeout = 60

# A test cell earns its points only by running without an error: nbgrader would otherwise score
# it from any result the student's code displays while the checks run (see course.grader.scoring).
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "course.grader.scoring.ScoreByCompletion",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# A test cell deleted by the student is re-inserted from the gradebook instead of going ungraded.
c.OverwriteCells.add_missing_cells = True

# Huge outputs (an accidental print in a loop) are cut so autograded notebooks and feedback stay
# small; tracebacks are short enough to read.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40

# Feedback must not show hidden tests (upstream nbgrader renders them): the course's
# preprocessor removes them and their tracebacks before the HTML is written.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "course.grader.feedback.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
