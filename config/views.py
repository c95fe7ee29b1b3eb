"""The home page: what the signed-in user has to do and where they can go; the public
landing page for visitors who are not signed in."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.core import clock
from danhgia.organisations.queries import active_roles
from danhgia.reports.publication.views.public import landing
from danhgia.reports.todo import todo_for


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's home; for anyone else the public landing page."""
    if not request.user.is_authenticated:
        return landing(request)
    return _signed_in_home(request)  # type: ignore[arg-type]


@login_required
def _signed_in_home(request: AuthenticatedRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    return render(
        request,
        "home.html",
        {
            "person": person,
            "roles": active_roles(request.user),
            "todo": todo_for(request.user, clock.today()),
            "today": clock.today(),
        },
    )
