from django.urls import path

from danhgia.reminders import views

app_name = "reminders"

urlpatterns = [
    path("nhac-viec/", views.reminder_list, name="reminder_list"),
]
