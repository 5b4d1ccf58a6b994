"""/manage/reference-data/retention-schedule/: system administrators keep the schedule."""

from django.urls import path

from hoth.information_governance.views import retention as views

app_name = "retention_schedule"

urlpatterns = [
    path("", views.schedule_admin, name="list"),
    path("<slug:code>/edit/", views.schedule_edit, name="edit"),
]
