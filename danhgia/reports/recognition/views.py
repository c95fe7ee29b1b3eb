"""Pages of initiatives, emulation and rewards, and a person's record of results.

Every view fetches through the user's scope (out of scope: 404), checks a predicate (not
allowed: 403), validates a form and calls one service; a refused change keeps what was typed
and shows the service's message.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from danhgia.accounts.http import AuthenticatedRequest
from danhgia.annual.models import AnnualSheet
from danhgia.core.http import paginate, query_string_without_page
from danhgia.evaluations.models import Sheet
from danhgia.evaluations.rules.schema import RuleError, parse_rulebook
from danhgia.organisations.models import Person, UnitKind
from danhgia.organisations.queries import people_visible_to, units_visible_to
from danhgia.reports.recognition import permissions, services
from danhgia.reports.recognition.conditions import (
    ConditionError,
    describe_conditions,
    parse_conditions,
)
from danhgia.reports.recognition.forms import (
    AssessmentForm,
    InitiativeForm,
    ProposalForm,
    RewardForm,
    TitleForm,
)
from danhgia.reports.recognition.models import (
    EmulationCandidate,
    EmulationTitle,
    Initiative,
)
from danhgia.reports.recognition.queries import (
    initiatives_by_month,
    initiatives_visible_to,
    proposals_visible_to,
    rewards_visible_to,
    vetoes_by_discipline,
)
from danhgia.reports.recognition.services import RecognitionError

# Units that hold an emulation register (a division's people are in its department's).
ORGANISATION_KINDS = [
    UnitKind.PROVINCE,
    UnitKind.DEPARTMENT,
    UnitKind.COMMUNE,
    UnitKind.DISTRICT,
    UnitKind.PUBLIC_SERVICE,
]


def _own_person(request: AuthenticatedRequest) -> Person | None:
    return Person.objects.filter(user=request.user).select_related("unit").first()


# Initiatives


@login_required
def initiative_list(request: AuthenticatedRequest) -> HttpResponse:
    """The initiatives of the user and of the units in their scope, filtered by status."""
    status = request.GET.get("status", "")
    initiatives = initiatives_visible_to(request.user).select_related("person", "unit")
    if status in Initiative.Status.values:
        initiatives = initiatives.filter(status=status)
    context = {
        "page": paginate(request, initiatives.order_by("-proposed_on", "-pk")),
        "status": status,
        "statuses": Initiative.Status.choices,
        "query_string": query_string_without_page(request),
    }
    if request.htmx:
        return render(request, "reports/recognition/initiative_list.html#results", context)
    return render(request, "reports/recognition/initiative_list.html", context)


@login_required
def initiative_create(request: AuthenticatedRequest) -> HttpResponse:
    """Anyone proposes their own initiative; leaders and HR one of a person of their units."""
    own = _own_person(request)
    for_others = permissions.proposes_for_others(request.user)
    form = InitiativeForm(
        request.POST or None,
        people=people_visible_to(request.user),
        own=own,
        for_others=for_others,
    )
    if request.method == "POST" and form.is_valid() and form.person is not None:
        try:
            initiative = services.propose_initiative(
                form.person,
                by=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except RecognitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Initiative proposed: it waits for the council."))
            return redirect("recognition:initiative_detail", pk=initiative.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "reports/recognition/initiative_form.html", {"form": form}, status=status
    )


def _initiative_or_404(request: AuthenticatedRequest, pk: int) -> Initiative:
    initiatives = initiatives_visible_to(request.user).select_related(
        "person__unit", "unit", "proposed_by__person", "assessed_by__person"
    )
    return get_object_or_404(initiatives, pk=pk)


@login_required
def initiative_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    initiative = _initiative_or_404(request, pk)
    return render(
        request,
        "reports/recognition/initiative_detail.html",
        {
            "initiative": initiative,
            "can_assess": permissions.can_assess_initiative(request.user, initiative),
            "can_view_record": permissions.can_view_person_record(request.user, initiative.person),
        },
    )


@login_required
def initiative_assess(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """HR or the head over the author's unit records the council's assessment."""
    initiative = _initiative_or_404(request, pk)
    if not permissions.can_assess_initiative(request.user, initiative):
        raise PermissionDenied
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            initiative = services.assess_initiative(
                initiative,
                by=request.user,
                recognised=data["outcome"] == "recognised",
                council=data["council"],
                assessed_on=data["assessed_on"],
                opinion=data["opinion"],
                scope=data["scope"],
                effect=data["effect"],
                decision_number=data["decision_number"],
            )
        except RecognitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Assessment recorded: %(status)s.") % {"status": initiative.get_status_display()},
            )
            return redirect("recognition:initiative_detail", pk=initiative.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "reports/recognition/initiative_assess.html",
        {"form": form, "initiative": initiative},
        status=status,
    )


# Emulation titles


def _described(document: Any, title_names: dict[str, str]) -> tuple[list[str], str]:
    """A conditions document as sentences, and its note."""
    try:
        conditions = parse_conditions(document)
    except ConditionError as error:
        return [_("These conditions cannot be read: %(error)s") % {"error": error}], ""
    return describe_conditions(conditions, title_names), conditions.note


@login_required
def title_list(request: AuthenticatedRequest) -> HttpResponse:
    """The emulation titles and their conditions (read by everyone; edited by HR)."""
    titles = list(EmulationTitle.objects.order_by("code"))
    names = {title.code: title.name for title in titles}
    for title in titles:
        title.sentences, title.note = _described(title.conditions, names)  # type: ignore[attr-defined]
    return render(
        request,
        "reports/recognition/title_list.html",
        {"titles": titles, "can_edit": permissions.can_edit_titles(request.user)},
    )


@login_required
def title_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    title = get_object_or_404(EmulationTitle, pk=pk)
    if not permissions.can_edit_titles(request.user):
        raise PermissionDenied
    initial = {"name": title.name, "legal_source": title.legal_source, "active": title.active}
    form = TitleForm(request.POST or None, initial=initial, title=title)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_title(
                title,
                by=request.user,
                name=data["name"],
                legal_source=data["legal_source"],
                conditions=data["conditions"],
                active=data["active"],
            )
        except RecognitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The title “%(title)s” is saved.") % {"title": title})
            return redirect("recognition:title_list")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "reports/recognition/title_form.html",
        {"form": form, "title": title},
        status=status,
    )


# Emulation proposals


@login_required
def proposal_list(request: AuthenticatedRequest) -> HttpResponse:
    """The emulation proposals of the scope; HR builds one from the annual results."""
    if not permissions.can_view_proposals(request.user):
        raise PermissionDenied
    can_build = permissions.can_manage_emulation(request.user)
    form = None
    if can_build:
        organisations = (
            units_visible_to(request.user).filter(kind__in=ORGANISATION_KINDS).order_by("path")
        )
        form = ProposalForm(request.POST or None, units=organisations)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                proposal = services.build_proposal(
                    data["organisation"], data["year"], data["title"], by=request.user
                )
            except RecognitionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Proposal built: %(name)s.") % {"name": proposal})
                return redirect("recognition:proposal_detail", pk=proposal.pk)
    elif request.method == "POST":
        raise PermissionDenied
    proposals = (
        proposals_visible_to(request.user)
        .select_related("organisation", "title")
        .annotate(
            people=Count("candidates"),
            eligible=Count("candidates", filter=Q(candidates__eligible=True)),
        )
        .order_by("-year", "organisation__path", "title__code")
    )
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "reports/recognition/proposal_list.html",
        {"form": form, "page": paginate(request, proposals)},
        status=status,
    )


@login_required
def proposal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Who is eligible and who is not (with the conditions they miss)."""
    proposal = get_object_or_404(
        proposals_visible_to(request.user).select_related("organisation", "title", "built_by"),
        pk=pk,
    )
    if not permissions.can_view_proposals(request.user, proposal.organisation):
        raise PermissionDenied
    candidates = list(
        EmulationCandidate.objects.filter(proposal=proposal)
        .select_related("person", "unit")
        .order_by("-eligible", "unit__path", "person__sort_key")
    )
    eligible = [c for c in candidates if c.eligible]
    return render(
        request,
        "reports/recognition/proposal_detail.html",
        {
            "proposal": proposal,
            "eligible": eligible,
            "total": len(candidates),
            "excluded": [c for c in candidates if not c.eligible],
            "conditions": _described(
                proposal.conditions, dict(EmulationTitle.objects.values_list("code", "name"))
            ),
            "can_record": permissions.can_manage_emulation(request.user, proposal.organisation),
        },
    )


# Reward decisions


@login_required
def reward_list(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_view_rewards(request.user):
        raise PermissionDenied
    rewards = (
        rewards_visible_to(request.user)
        .select_related("organisation", "title")
        .prefetch_related(Prefetch("people", queryset=Person.objects.order_by("sort_key")))
        .order_by("-decided_on", "-pk")
    )
    return render(
        request,
        "reports/recognition/reward_list.html",
        {
            "page": paginate(request, rewards),
            "can_record": permissions.can_manage_emulation(request.user),
        },
    )


def _initial_from_proposal(request: AuthenticatedRequest) -> dict[str, Any]:
    """`?proposal=<pk>` fills in the organisation, title, year and the eligible people."""
    pk = request.GET.get("proposal", "")
    if not pk.isdigit():
        return {}
    proposal = proposals_visible_to(request.user).select_related("title").filter(pk=int(pk)).first()
    if proposal is None:
        return {}
    codes = proposal.candidates.filter(eligible=True).order_by("person__sort_key")
    return {
        "organisation": proposal.organisation_id,
        "title": proposal.title_id,
        "award": proposal.title.name,
        "year": proposal.year,
        "employee_codes": "\n".join(codes.values_list("person__employee_code", flat=True)),
    }


@login_required
def reward_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_manage_emulation(request.user):
        raise PermissionDenied
    units = units_visible_to(request.user).filter(kind__in=ORGANISATION_KINDS).order_by("path")
    form = RewardForm(
        request.POST or None,
        units=units,
        people=people_visible_to(request.user),
        initial=_initial_from_proposal(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reward = services.record_reward(
                data["organisation"],
                by=request.user,
                decision_number=data["decision_number"],
                decided_on=data["decided_on"],
                issuer=data["issuer"],
                award=data["award"],
                people=form.people,
                title=data["title"],
                year=data["year"],
                note=data["note"],
            )
        except RecognitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Decision %(number)s recorded: %(count)d people.")
                % {"number": reward.decision_number, "count": len(form.people)},
            )
            return redirect("recognition:reward_list")
    status = 422 if request.method == "POST" else 200
    return render(request, "reports/recognition/reward_form.html", {"form": form}, status=status)


# A person's record of results


def _level_names(rulebooks: set[Any]) -> dict[int, dict[str, str]]:
    names: dict[int, dict[str, str]] = {}
    for rulebook in rulebooks:
        try:
            names[rulebook.pk] = {lv.code: lv.name for lv in parse_rulebook(rulebook).levels}
        except RuleError:
            names[rulebook.pk] = {}
    return names


@login_required
def person_record(request: AuthenticatedRequest, person_pk: int) -> HttpResponse:
    """A person's record of results: monthly levels (with the initiatives recognised that
    month, evidence for the innovation criterion), annual levels, discipline with the vetoes
    it caused, initiatives, emulation proposals and rewards. Scoped like the sheets."""
    person = get_object_or_404(
        people_visible_to(request.user).select_related("unit", "job_position"), pk=person_pk
    )
    if not permissions.can_view_person_record(request.user, person):
        raise PermissionDenied
    sheets = list(
        Sheet.objects.filter(person=person)
        .select_related("period__rulebook", "unit")
        .order_by("-period__start", "-pk")
    )
    annual = list(
        AnnualSheet.objects.filter(person=person)
        .select_related("annual_period__rulebook", "annual_period__organisation")
        .order_by("-annual_period__year", "-pk")
    )
    names = _level_names(
        {s.period.rulebook for s in sheets} | {a.annual_period.rulebook for a in annual}
    )
    disciplines = list(person.disciplines.order_by("-effective_from", "-pk"))
    vetoes = vetoes_by_discipline(disciplines, sheets, annual)
    initiatives = list(Initiative.objects.filter(person=person).order_by("-proposed_on", "-pk"))
    by_month = initiatives_by_month(initiatives)
    for sheet in sheets:
        sheet.level_name = names[sheet.period.rulebook_id].get(sheet.decided_level, "")  # type: ignore[attr-defined]
        sheet.initiatives = by_month.get((sheet.period.end.year, sheet.period.end.month), [])  # type: ignore[attr-defined]
    for sheet_ in annual:
        sheet_.level_name = names[sheet_.annual_period.rulebook_id].get(sheet_.decided_level, "")  # type: ignore[attr-defined]
    for discipline in disciplines:
        discipline.vetoed_sheets = vetoes[discipline.pk]["sheets"]  # type: ignore[attr-defined]
        discipline.vetoed_annual = vetoes[discipline.pk]["annual"]  # type: ignore[attr-defined]
    candidacies = list(
        EmulationCandidate.objects.filter(person=person)
        .select_related("proposal__title", "proposal__organisation")
        .order_by("-proposal__year", "proposal__title__code")
    )
    rewards = list(
        person.rewards.select_related("title").order_by("-decided_on", "-pk")  # type: ignore[attr-defined]
    )
    return render(
        request,
        "reports/recognition/person_record.html",
        {
            "person": person,
            "sheets": sheets,
            "annual": annual,
            "disciplines": disciplines,
            "initiatives": initiatives,
            "candidacies": candidacies,
            "rewards": rewards,
            "can_propose": permissions.can_propose_initiative(request.user, person),
        },
    )
