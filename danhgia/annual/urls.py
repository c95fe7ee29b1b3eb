from django.urls import path

from danhgia.annual import views

app_name = "annual"

urlpatterns = [
    path("danh-gia-nam/", views.period_list, name="period_list"),
    path("danh-gia-nam/<int:pk>/tinh-lai/", views.period_recompute, name="period_recompute"),
    path("danh-gia-nam/<int:pk>/dong/", views.period_close, name="period_close"),
    path("danh-gia-nam/<int:pk>/quyet-dinh/", views.period_decision, name="period_decision"),
    path(
        "danh-gia-nam/<int:pk>/xuat-csdl-quoc-gia/",
        views.national_export,
        name="national_export",
    ),
    path("danh-gia-nam/quyet-dinh/", views.decision_list, name="decision_list"),
    path(
        "danh-gia-nam/quyet-dinh/<int:period_pk>/<int:unit_pk>/",
        views.decision_page,
        name="decision_page",
    ),
    path("danh-gia-nam/cua-toi/", views.my_results, name="my_results"),
    path("danh-gia-nam/phieu/<int:pk>/", views.sheet_detail, name="sheet_detail"),
]
