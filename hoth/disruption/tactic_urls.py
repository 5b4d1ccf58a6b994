"""The catalogue of disruption tactics, for system administrators:
/manage/reference-data/disruption-tactics/."""

from django.urls import path

from hoth.disruption.views import tactics as views

app_name = "tactics"

urlpatterns = [
    path("", views.tactic_list, name="list"),
    path("new/", views.tactic_create, name="create"),
    path("<int:pk>/edit/", views.tactic_edit, name="edit"),
    path("<int:pk>/switch-off/", views.tactic_switch_off, name="switch-off"),
    path("<int:pk>/switch-on/", views.tactic_switch_on, name="switch-on"),
]
