"""Initiatives, emulation and rewards: models."""
