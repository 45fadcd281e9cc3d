"""The rule language: conditions compiled once into checks with three-valued results."""
