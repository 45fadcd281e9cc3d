"""Defaults of the risk commands, in a module that imports nothing (the command line reads them at start)."""

DEFAULT_PROFILE = "ipr-seizures"
DEFAULT_DEPTH = 4  # hops of upstream paths counted by exposure
DEFAULT_DAMPING = 0.5  # share of risk passed on per hop
TOP_PATHS = 3  # upstream paths shown per exposed partner
