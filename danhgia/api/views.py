"""The REST API: token per integration, scoped to its unit subtree (out of scope: 404)."""

import re
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import trans_real
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from danhgia.api import queries
from danhgia.api.auth import IntegrationRateThrottle, IntegrationTokenAuthentication, IsIntegration
from danhgia.api.middleware import STASH
from danhgia.api.models import ExternalTask, Integration
from danhgia.api.pagination import Pages
from danhgia.api.schema import responses
from danhgia.api.serializers import (
    DocumentTaskSerializer,
    MonthFilterSerializer,
    PersonSerializer,
    ResultSerializer,
    SheetSerializer,
    TaskFilterSerializer,
    TaskSerializer,
    UnitSerializer,
)
from danhgia.api.services import put_document_task
from danhgia.core import clock

# Ids of the document systems: letters, digits and . _ : - (up to 100).
EXTERNAL_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,100}$"

MAX_ID = 2**63 - 1
ID_PARAMETER = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    OpenApiParameter.PATH,
)
EXTERNAL_ID = OpenApiParameter(
    "external_id",
    {"type": "string", "pattern": EXTERNAL_ID_PATTERN, "maxLength": 100},
    OpenApiParameter.PATH,
    description="The document system's own id of the document or task.",
)


def _language(request: Request) -> str:
    """Accept-Language of the API call (kept by KeepAcceptLanguageMiddleware); Vietnamese
    when absent or not offered."""
    header = request._request.META.get(STASH, "")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return "vi"


class ApiMixin:
    authentication_classes = [IntegrationTokenAuthentication]
    permission_classes = [IsIntegration]
    throttle_classes = [IntegrationRateThrottle]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        language = _language(request)
        translation.activate(language)
        request._request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    @property
    def integration(self) -> Integration:
        auth = self.request.auth  # type: ignore[attr-defined]
        assert isinstance(auth, Integration)
        return auth


class NoFilters(serializers.Serializer):
    pass


class ScopedList(ApiMixin, generics.ListAPIView):  # type: ignore[type-arg]
    """A paginated list; query parameters other than limit, offset and the filters are a 400
    (a mistyped filter must not silently return everything)."""

    pagination_class = Pages
    filter_serializer: type[serializers.Serializer] = NoFilters
    filters: dict[str, Any]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.filters = self._validated_filters(request)
        return super().list(request, *args, **kwargs)

    def _validated_filters(self, request: Request) -> dict[str, Any]:
        known = {"limit", "offset", *self.filter_serializer().fields}
        errors: dict[str, list[str]] = {}
        for name, value in request.query_params.items():
            if name not in known:
                errors[name] = [translation.gettext("Unknown parameter: leave it out.")]
            elif value == "":
                errors[name] = [translation.gettext("Leave the parameter out or give it a value.")]
        if errors:
            raise serializers.ValidationError(errors)
        serializer = self.filter_serializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class ScopedDetail(ApiMixin, generics.RetrieveAPIView):  # type: ignore[type-arg]
    def get_object(self) -> Model:
        value = self.kwargs[self.lookup_field]
        if self.lookup_field == "pk" and not (value.isdigit() and 0 < int(value) <= MAX_ID):
            raise Http404
        obj: Model | None = self.get_queryset().filter(**{self.lookup_field: value}).first()
        if obj is None:
            raise Http404
        return obj


# Units


@extend_schema(responses=responses(UnitSerializer(many=True), 400), tags=["units"])
class UnitList(ScopedList):
    serializer_class = UnitSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.units_of(self.integration).order_by("path")


@extend_schema(responses=responses(UnitSerializer, 404), tags=["units"])
class UnitDetail(ScopedDetail):
    serializer_class = UnitSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Any]:
        return queries.units_of(self.integration)


# People


@extend_schema(responses=responses(PersonSerializer(many=True), 400), tags=["people"])
class PersonList(ScopedList):
    serializer_class = PersonSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.people_of(self.integration).order_by("sort_key", "pk")


@extend_schema(responses=responses(PersonSerializer, 404), tags=["people"])
class PersonDetail(ScopedDetail):
    serializer_class = PersonSerializer
    lookup_field = "employee_code"

    def get_queryset(self) -> QuerySet[Any]:
        return queries.people_of(self.integration)


# Tasks


@extend_schema(
    parameters=[TaskFilterSerializer],
    responses=responses(TaskSerializer(many=True), 400),
    tags=["tasks"],
)
class TaskList(ScopedList):
    serializer_class = TaskSerializer
    filter_serializer = TaskFilterSerializer

    def get_queryset(self) -> QuerySet[Any]:
        filters = self.filters
        tasks = queries.tasks_of(self.integration)
        if "owner" in filters:
            tasks = tasks.filter(owner__employee_code=filters["owner"])
        if "status" in filters:
            tasks = tasks.filter(status=filters["status"])
        return tasks.order_by("deadline", "pk")


@extend_schema(
    parameters=[ID_PARAMETER],
    responses=responses(TaskSerializer, 404),
    tags=["tasks"],
)
class TaskDetail(ScopedDetail):
    serializer_class = TaskSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.tasks_of(self.integration)


# Sheets and published results


def _by_month(sheets: QuerySet[Any], filters: dict[str, Any]) -> QuerySet[Any]:
    if "month" in filters:
        year, month = (int(part) for part in filters["month"].split("-"))
        sheets = sheets.filter(period__start__year=year, period__start__month=month)
    return sheets.order_by("-period__start", "unit__path", "person__sort_key", "pk")


@extend_schema(
    parameters=[MonthFilterSerializer],
    responses=responses(SheetSerializer(many=True), 400),
    tags=["sheets"],
)
class SheetList(ScopedList):
    serializer_class = SheetSerializer
    filter_serializer = MonthFilterSerializer

    def get_queryset(self) -> QuerySet[Any]:
        filters = self.filters
        return _by_month(queries.sheets_of(self.integration), filters)


@extend_schema(
    parameters=[ID_PARAMETER],
    responses=responses(SheetSerializer, 404),
    tags=["sheets"],
)
class SheetDetail(ScopedDetail):
    serializer_class = SheetSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return queries.sheets_of(self.integration)


@extend_schema(
    parameters=[MonthFilterSerializer],
    responses=responses(ResultSerializer(many=True), 400),
    tags=["results"],
)
class ResultList(ScopedList):
    """Decided levels of months published on the public portal with names (a month published
    within the unit only, withdrawn or published as counts only lists nothing); the total only
    when the publication shows scores."""

    serializer_class = ResultSerializer
    filter_serializer = MonthFilterSerializer

    def get_queryset(self) -> QuerySet[Any]:
        filters = self.filters
        return _by_month(queries.published_results_of(self.integration), filters)


# Tasks from incoming documents


def _check_external_id(external_id: str) -> None:
    if not re.match(EXTERNAL_ID_PATTERN, external_id):
        raise serializers.ValidationError(
            {
                "external_id": [
                    translation.gettext(
                        "Use up to 100 letters, digits and . _ : - for the external id."
                    )
                ]
            }
        )


class DocumentTask(ApiMixin, APIView):
    """A task from an incoming document, addressed by the document system's own id.

    PUT creates it (201) or brings it up to date (200); sending the same document twice
    leaves one task. GET reads it back."""

    def _link(self, external_id: str) -> ExternalTask:
        _check_external_id(external_id)
        link = (
            ExternalTask.objects.select_related("task__unit", "task__owner")
            .filter(
                integration=self.integration,
                external_id=external_id,
                task__unit__path__startswith=self.integration.unit.path,
            )
            .first()
        )
        if link is None:
            raise Http404
        return link

    @extend_schema(
        operation_id="document_task_read",
        parameters=[EXTERNAL_ID],
        responses=responses(TaskSerializer, 400, 404),
        tags=["tasks"],
    )
    def get(self, request: Request, external_id: str) -> Response:
        return Response(TaskSerializer(self._link(external_id).task).data)

    @extend_schema(
        operation_id="document_task_put",
        parameters=[EXTERNAL_ID],
        request=DocumentTaskSerializer,
        responses={
            **responses(TaskSerializer, 400, 409),
            201: TaskSerializer,
        },
        tags=["tasks"],
    )
    def put(self, request: Request, external_id: str) -> Response:
        _check_external_id(external_id)
        body = DocumentTaskSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        owner = queries.people_of(self.integration).filter(employee_code=data["owner"]).first()
        if owner is None:
            raise serializers.ValidationError(
                {
                    "owner": [
                        translation.gettext(
                            "No person with this employee code in the units of this integration."
                        )
                    ]
                }
            )
        if not owner.is_active_on(clock.today()):
            raise serializers.ValidationError(
                {"owner": [translation.gettext("This person is not working in the unit today.")]}
            )
        task, created = put_document_task(
            self.integration,
            external_id,
            title=data["title"],
            description=data["description"],
            document_number=data["document_number"],
            document_date=data["document_date"],
            deadline=data["deadline"],
            owner=owner,
        )
        task = queries.tasks_of(self.integration).get(pk=task.pk)
        return Response(
            TaskSerializer(task).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
