"""The deterministic demo province built by `python manage.py seed_demo`."""
