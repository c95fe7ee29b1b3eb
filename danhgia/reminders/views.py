"""The reminders page for HR: what the job sent, to whom, on which channel, and failures."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core.http import paginate, query_string_without_page
from danhgia.evaluations.queries import periods_visible_to
from danhgia.reminders.forms import ReminderFilterForm
from danhgia.reminders.permissions import can_view_reminders
from danhgia.reminders.queries import reminders_visible_to
from danhgia.reminders.rules import RULES


@login_required
def reminder_list(request: AuthenticatedRequest) -> HttpResponse:
    """Reminders sent in the user's scope, newest first, 50 a page; filter by period."""
    if not can_view_reminders(request.user):
        raise PermissionDenied
    periods = periods_visible_to(request.user).select_related("organisation")
    form = ReminderFilterForm(
        request.GET or None, periods=periods.order_by("-start", "organisation__path")
    )
    reminders = reminders_visible_to(request.user).select_related("recipient__person")
    if form.is_valid() and form.cleaned_data["period"] is not None:
        reminders = reminders.filter(period=form.cleaned_data["period"])
    page = paginate(request, reminders.order_by("-created_at", "-id"))
    labels = {rule.code: rule.label for rule in RULES}
    for reminder in page.object_list:
        reminder.rule_label = labels.get(reminder.rule, reminder.rule)  # type: ignore[attr-defined]
    return render(
        request,
        "reminders/reminder_list.html",
        {"form": form, "page": page, "query_string": query_string_without_page(request)},
    )
