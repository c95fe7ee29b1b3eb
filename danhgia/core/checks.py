"""System checks of the core app (`manage.py check --deploy`)."""

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def audit_anchor_key_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Production signs the audit anchors with its own key, never the development one."""
    if settings.DEBUG or settings.AUDIT_ANCHOR_KEY != settings.AUDIT_ANCHOR_DEV_KEY:
        return []
    return [
        checks.Warning(
            "AUDIT_ANCHOR_KEY is the development key: anyone can forge the audit anchors.",
            hint="Set AUDIT_ANCHOR_KEY or AUDIT_ANCHOR_KEY_FILE, kept outside the database "
            "and its backups (docs/deploy.md, 'Audit anchors').",
            id="core.W001",
        )
    ]
