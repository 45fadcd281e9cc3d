"""Input readers: YAML and JSON text to plain data, and locators that turn a document path back into file:line:col."""
