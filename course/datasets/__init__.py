"""Offline, deterministic data sets for the notebooks and the tests, a module per topic.

Everything comes from scikit-learn's bundled data or from generators with a fixed seed, so a
notebook gives the same numbers on every machine and never touches the network. Notebooks
call ``datasets.<name>()``; each topic module holds the data sets of one assignment.
"""
from ._seed import SEED
from .classification import (TICKET_QUEUES, breast_cancer_screening, fraud_transactions,
                             search_rankings, ticket_triage)
from .regression import diabetes_progression, delivery_predictions
from .convergence import wavy_regression, gradient_descent_data, debugger_runs
from .fairness import LOAN_PURPOSES, loan_applications, loan_repayments
from .experiments import experiment_data, shadow_traffic, training_candidates
from .training import logistic_rows, scaling_measurements
from .regularization import sparse_signal, noisy_moons, digit_tasks
from .tuning import tuning_data, tuning_job_summaries
from .compression import digit_images, machine_faults
from .ensembles import churn_customers, noisy_wave, wave_truth, ensemble_costs
from .transfer import digit_transfer_tasks, support_pairs
from .integration import delivery_rows, delivery_registry
from .selection import tabular_tasks, cluster_sets, digit_pixels, candidate_table
from .framing import signal_and_noise, label_budget, shipping_orders, support_contacts
from .services import business_needs, spot_interruption_schedules, hourly_requests
from .interpretability import LOAN_FEATURES, BUILTIN_PROBLEMS, loan_defaults
from .retrieval import company_documents, retrieval_queries, query_log, tokenize
from .genai_eval import human_ratings, pairwise_judgements, token_vectors
from .capstone import LOAN_COLUMNS, loan_book, minibatch_losses
from .foundation import (TICKET_LABELS, candidate_models, usage_log, support_tickets, prompt_cases,
                         mock_converse, count_tokens)

__all__ = ["SEED", "TICKET_QUEUES", "breast_cancer_screening", "fraud_transactions",
           "search_rankings", "ticket_triage", "diabetes_progression", "delivery_predictions",
           "wavy_regression", "gradient_descent_data", "debugger_runs", "LOAN_PURPOSES",
           "loan_applications", "loan_repayments", "experiment_data", "shadow_traffic",
           "training_candidates", "logistic_rows", "scaling_measurements", "sparse_signal",
           "noisy_moons", "digit_tasks", "tuning_data", "tuning_job_summaries", "digit_images",
           "machine_faults", "churn_customers", "noisy_wave", "wave_truth", "ensemble_costs",
           "digit_transfer_tasks", "support_pairs", "delivery_rows", "delivery_registry",
           "tabular_tasks", "cluster_sets", "digit_pixels", "candidate_table", "signal_and_noise",
           "label_budget", "shipping_orders", "support_contacts", "business_needs",
           "spot_interruption_schedules", "hourly_requests", "LOAN_FEATURES", "BUILTIN_PROBLEMS",
           "loan_defaults", "company_documents", "retrieval_queries", "query_log", "tokenize",
           "human_ratings", "pairwise_judgements", "token_vectors", "LOAN_COLUMNS", "loan_book",
           "minibatch_losses", "TICKET_LABELS", "candidate_models", "usage_log", "support_tickets",
           "prompt_cases", "mock_converse", "count_tokens"]
