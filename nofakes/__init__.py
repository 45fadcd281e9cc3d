"""nofakes: supply-chain anti-counterfeiting compliance auditor."""

__version__ = "0.1.0"
