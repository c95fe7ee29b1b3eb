"""The team's month (`evaluations.team`): who of the people a manager or head reviews or
decides has not submitted yet, who waits for them, who is late."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core import clock
from danhgia.evaluations import permissions
from danhgia.evaluations.team import STEPS, team_month


@login_required
def team_month_view(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_follow_team(request.user):
        raise PermissionDenied
    step = request.GET.get("buoc")
    step = step if step in STEPS else None
    today = clock.today()
    return render(
        request,
        "evaluations/team_month.html",
        {"periods": team_month(request.user, today, step), "step": step, "today": today},
    )
