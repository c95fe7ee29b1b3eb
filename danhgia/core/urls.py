from django.urls import path

from danhgia.core import views

app_name = "core"

urlpatterns = [
    path("thong-bao/", views.notification_list, name="notifications"),
    path("thong-bao/da-doc/", views.notifications_mark_read, name="notifications_mark_read"),
    path("thong-bao/mo/", views.notification_open, name="notification_open"),
]
