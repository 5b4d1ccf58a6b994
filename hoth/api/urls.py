from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from hoth.access.decorators import public

from . import views
from .docs import docs

app_name = "api"

urlpatterns = [
    # The description names endpoints and fields, never people; partner
    # developers read it before they hold a token. Every endpoint it lists is gated.
    path("schema/", public(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", docs, name="docs"),
    path("v1/persons/", views.persons, name="persons"),
    path("v1/persons/<str:reference>/", views.person_detail, name="person-detail"),
]
