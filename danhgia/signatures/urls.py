from django.urls import path

from danhgia.signatures import views

app_name = "signatures"

urlpatterns = [
    path("xac-minh-chu-ky/", views.verify, name="verify"),
    path("ky-so/phieu/<int:pk>/", views.sign_sheet_page, name="sign_sheet"),
    path("ky-so/phieu-nam/<int:pk>/", views.sign_annual_page, name="sign_annual"),
    path("ky-so/chung-thu/", views.credential, name="credential"),
    path("ky-so/tai-lieu/<int:pk>/tai-ve/", views.download, name="download"),
    path(
        "ky-so/thang/<int:unit_pk>/<int:year>/<int:month>/",
        views.sign_month,
        name="sign_month",
    ),
]
