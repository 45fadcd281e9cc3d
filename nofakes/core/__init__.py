"""Shared plumbing: diagnostics and error types, safe terminal text, shipped data."""
