"""/information-governance/: the data protection officer's own page."""

from django.urls import path

from hoth.information_governance.views import retention as views

app_name = "information_governance"

urlpatterns = [
    path("", views.home, name="home"),
]
