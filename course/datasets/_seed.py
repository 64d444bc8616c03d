"""The default seed of every generated data set: the same numbers on every machine."""
SEED = 2024
