"""Shared plumbing: diagnostics and error types, shipped data, published schemas."""
