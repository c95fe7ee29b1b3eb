"""Reads of the exports app scoped to a user."""

from django.db.models import QuerySet

from danhgia.accounts.models import User
from danhgia.reports.exports.models import ExportJob


def jobs_of(user: User) -> QuerySet[ExportJob]:
    """The user's own export jobs, newest first (nobody sees another person's exports)."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user).order_by("-created_at", "-pk")
