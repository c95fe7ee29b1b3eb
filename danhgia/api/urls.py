from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from danhgia.api import pages, views, webhook_pages

app_name = "api"

urlpatterns = [
    path(
        "api/schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
        name="schema",
    ),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", authentication_classes=[], permission_classes=[AllowAny]
        ),
        name="docs",
    ),
    path("api/v1/units/", views.UnitList.as_view(), name="unit_list"),
    path("api/v1/units/<str:code>/", views.UnitDetail.as_view(), name="unit_detail"),
    path("api/v1/people/", views.PersonList.as_view(), name="person_list"),
    path("api/v1/people/<str:employee_code>/", views.PersonDetail.as_view(), name="person_detail"),
    path("api/v1/tasks/", views.TaskList.as_view(), name="task_list"),
    path("api/v1/tasks/<str:pk>/", views.TaskDetail.as_view(), name="task_detail"),
    path(
        "api/v1/document-tasks/<str:external_id>/",
        views.DocumentTask.as_view(),
        name="document_task",
    ),
    path("api/v1/sheets/", views.SheetList.as_view(), name="sheet_list"),
    path("api/v1/sheets/<str:pk>/", views.SheetDetail.as_view(), name="sheet_detail"),
    path("api/v1/results/", views.ResultList.as_view(), name="result_list"),
    # The page where HR connects document systems (pages.py)
    path("ket-noi/", pages.integration_list, name="integration_list"),
    path("ket-noi/<int:pk>/thu-hoi/", pages.integration_revoke, name="integration_revoke"),
    # Events out (webhook_pages.py)
    path("ket-noi/su-kien/", webhook_pages.subscription_list, name="subscription_list"),
    path("ket-noi/su-kien/<int:pk>/", webhook_pages.subscription_edit, name="subscription_edit"),
    path("ket-noi/su-kien/nhat-ky/", webhook_pages.delivery_list, name="delivery_list"),
    path(
        "ket-noi/su-kien/nhat-ky/<int:pk>/gui-lai/",
        webhook_pages.delivery_replay,
        name="delivery_replay",
    ),
]
