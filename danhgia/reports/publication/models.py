"""Publication of results: models."""
