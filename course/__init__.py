"""Model Development Labs: helpers shared by the notebooks, the tests and the grading pipeline."""

__version__ = "0.1.0"
