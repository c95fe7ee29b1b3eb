"""Reminders and escalation: models."""
