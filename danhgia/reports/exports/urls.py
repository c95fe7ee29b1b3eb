from django.urls import path

from danhgia.reports.exports import views

app_name = "exports"

urlpatterns = [
    path("xuat/", views.job_list, name="job_list"),
    path("xuat/viec/<int:pk>/", views.job_detail, name="job_detail"),
    path("xuat/viec/<int:pk>/tai-ve/", views.job_download, name="job_download"),
    path("xuat/phieu/<int:pk>/pdf/", views.sheet_pdf, name="sheet_pdf"),
    path("xuat/phieu-nam/<int:pk>/pdf/", views.annual_sheet_pdf, name="annual_sheet_pdf"),
    path(
        "xuat/thang/<int:unit_pk>/<int:year>/<int:month>/",
        views.month_export,
        name="month_export",
    ),
    path("xuat/nam/<int:period_pk>/<int:unit_pk>/", views.annual_export, name="annual_export"),
]
