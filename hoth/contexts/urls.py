from django.urls import path

from . import views

app_name = "contexts"

urlpatterns = [
    path("", views.context_list, name="list"),
    path("new/", views.context_new, name="new"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/edit/", views.edit, name="edit"),
    path("<str:reference>/assessment/", views.assessments, name="assessments"),
    path("<str:reference>/assessment/new/", views.assess, name="assess"),
    path("<str:reference>/actions/new/", views.action_new, name="action-new"),
    path("<str:reference>/reviews/new/", views.review_new, name="review-new"),
    path("<str:reference>/incidents/new/", views.incident_new, name="incident-new"),
    path("<str:reference>/referrals/<str:referral>/take-on/", views.take_on, name="take-on"),
]
