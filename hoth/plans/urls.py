from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("<str:reference>/", views.plan, name="plan"),
    path("<str:reference>/edit/", views.edit, name="edit"),
    path("<str:reference>/print/", views.print_plan, name="print"),
    path("<str:reference>/actions/new/", views.action_new, name="action-new"),
    path("<str:reference>/actions/<int:pk>/", views.action_update, name="action"),
    path("<str:reference>/services/new/", views.referral_new, name="referral-new"),
    path("<str:reference>/services/<int:pk>/", views.referral_update, name="referral"),
    path("<str:reference>/versions/<int:number>/", views.version, name="version"),
    path("<str:reference>/reviews/new/", views.review_new, name="review-new"),
    path("reviews/<int:pk>/", views.review, name="review"),
]
