"""/information-governance/: the data protection officer's own page."""

from django.urls import path

from . import views

app_name = "information_governance"

urlpatterns = [
    path("", views.home, name="home"),
]
