from django.urls import path

from . import views

app_name = "insight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("measures/", views.measures, name="measures"),
    path("measures/<slug:code>/", views.measure, name="measure"),
    path("measures/<slug:code>/figures/", views.breakdowns, name="breakdowns"),
    path("snapshots/", views.snapshots, name="snapshots"),
    path("snapshots/<int:pk>/", views.snapshot, name="snapshot"),
]
