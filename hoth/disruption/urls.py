"""URLs of disruption (/disruption/): the lists first, then an activity's
pages by its reference (D-...), then a subject's by the subject's reference."""

from django.urls import path

from hoth.disruption.views import activities as views

app_name = "disruption"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("plans/", views.plan_list, name="plans"),
    path("activities/<str:reference>/", views.activity_detail, name="activity"),
    path("activities/<str:reference>/update/", views.activity_update, name="activity-update"),
    path("activities/<str:reference>/children/", views.activity_children, name="activity-children"),
    path("activities/<str:reference>/breaches/new/", views.breach_new, name="breach-new"),
    path("activities/<str:reference>/outcome/", views.outcome, name="outcome"),
    path("<str:reference>/", views.plan_detail, name="plan"),
    path("<str:reference>/start/", views.start, name="start"),
    path("<str:reference>/new/", views.activity_new, name="new"),
    path("<str:reference>/new/<slug:code>/", views.activity_new_details, name="new-details"),
    path("<str:reference>/review/", views.review, name="review"),
]
