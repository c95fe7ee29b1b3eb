"""Dashboards and supervision: models."""
