"""Read-only questions about the data: retrieval and comparison, words, search, co-occurrence, saturation,
progress. Nothing here writes to the project."""
