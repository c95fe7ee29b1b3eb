"""The home page: what the signed-in user has to do and where they can go."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from danhgia.organisations.queries import active_roles


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    return render(
        request,
        "home.html",
        {"person": person, "roles": active_roles(request.user)},
    )
