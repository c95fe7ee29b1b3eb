"""The annual classification: models."""
