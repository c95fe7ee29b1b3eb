from django.urls import path

from danhgia.reports.recognition import views

app_name = "recognition"

urlpatterns = [
    path("sang-kien/", views.initiative_list, name="initiative_list"),
    path("sang-kien/de-xuat/", views.initiative_create, name="initiative_create"),
    path("sang-kien/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("sang-kien/<int:pk>/tham-dinh/", views.initiative_assess, name="initiative_assess"),
    path("thi-dua/danh-hieu/", views.title_list, name="title_list"),
    path("thi-dua/danh-hieu/<int:pk>/", views.title_edit, name="title_edit"),
    path("thi-dua/de-nghi/", views.proposal_list, name="proposal_list"),
    path("thi-dua/de-nghi/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("khen-thuong/", views.reward_list, name="reward_list"),
    path("khen-thuong/them/", views.reward_create, name="reward_create"),
    path("ket-qua/nguoi/<int:person_pk>/", views.person_record, name="person_record"),
]
