from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from hoth.access.decorators import public
from hoth.referrals import api as referrals_api
from hoth.screening import api as screening_api

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
    path("v1/referrals/", referrals_api.referrals, name="referrals"),
    path("v1/referrals/<str:reference>/", referrals_api.referral_detail, name="referral-detail"),
    path("v1/screenings/evaluate", screening_api.evaluate, name="screening-evaluate"),
]
