from django.urls import path

from . import views

app_name = "insight"

urlpatterns = [
    path("measures/", views.measures, name="measures"),
    path("measures/<slug:code>/", views.measure, name="measure"),
]
