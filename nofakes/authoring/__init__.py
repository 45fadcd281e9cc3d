"""Tools for pack authors: the linter and the fixture harness (above the audit, below the CLI)."""
