"""The supply chain: its model, loading from files with includes, cross-reference checks, and the graph."""
