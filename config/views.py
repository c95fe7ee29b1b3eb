"""The home page: what the signed-in user has to do and where they can go."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.organisations.queries import active_roles


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    return render(
        request,
        "home.html",
        {"person": person, "roles": active_roles(request.user)},
    )
