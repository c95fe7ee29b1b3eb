from django.urls import URLPattern, path

from danhgia.reports.dashboards import views

app_name = "dashboards"

urlpatterns: list[URLPattern] = [
    path("bao-cao/thong-ke/", views.dashboard_home, name="home"),
    path("bao-cao/thong-ke/don-vi/<int:pk>/", views.unit_dashboard, name="unit"),
    path("bao-cao/thong-ke/ca-nhan/<int:pk>/", views.person_dashboard, name="person"),
    path("bao-cao/giam-sat/", views.supervision, name="supervision"),
    path("bao-cao/giam-sat/bao-cao.pdf", views.supervision_pdf, name="supervision_pdf"),
    path("bao-cao/giam-sat/bao-cao.xlsx", views.supervision_xlsx, name="supervision_xlsx"),
    path("bao-cao/giam-sat/nguong/<int:unit_pk>/", views.thresholds, name="thresholds"),
    path("bao-cao/giam-sat/toan-ven/", views.integrity, name="integrity"),
]
