"""/information-governance/retention/: reviews of what the schedule says is due, and the schedule."""

from django.urls import path

from hoth.information_governance.views import retention as views

app_name = "retention"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("schedule/", views.schedule_view, name="schedule"),
    path("<int:pk>/", views.review_detail, name="review"),
    path("<int:pk>/approve/", views.review_approve, name="approve"),
    path("<int:pk>/reject/", views.review_reject, name="reject"),
    path("<int:pk>/carry-on/", views.review_carry_on, name="carry_on"),
]
