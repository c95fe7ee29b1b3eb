from django.urls import path

from danhgia.organisations.views import imports, people, units

app_name = "organisations"

urlpatterns = [
    path("don-vi/", units.unit_tree, name="unit_tree"),
    path("don-vi/moi/", units.unit_create, name="unit_create"),
    path("don-vi/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/sua/", units.unit_edit, name="unit_edit"),
    path("don-vi/<int:pk>/vai-tro/", units.role_assign, name="role_assign"),
    path("vai-tro/<int:pk>/ket-thuc/", units.role_end, name="role_end"),
    path("nhan-su/", people.person_list, name="person_list"),
    path("nhan-su/moi/", people.person_create, name="person_create"),
    path("nhan-su/<int:pk>/", people.person_detail, name="person_detail"),
    path("nhan-su/<int:pk>/sua/", people.person_edit, name="person_edit"),
    path("nhan-su/<int:pk>/tao-tai-khoan/", people.login_create, name="login_create"),
    path("nhap-xuat/", imports.import_start, name="import_start"),
    path("nhap-xuat/mau/<str:kind>/", imports.import_template, name="import_template"),
    path("nhap-xuat/<int:pk>/", imports.import_preview, name="import_preview"),
    path("nhap-xuat/xuat/<str:kind>/", imports.export_data, name="export_data"),
]
