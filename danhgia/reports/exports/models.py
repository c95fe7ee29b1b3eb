"""Forms and exports: models."""
