from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("missing/<int:pk>/", views.missing_episode, name="missing-episode"),
    path("missing/<int:pk>/return/", views.record_return, name="record-return"),
    path("missing/<int:pk>/return-interview/", views.return_interview, name="return-interview"),
    path("child/<str:reference>/missing/", views.missing_episodes, name="missing-episodes"),
    path("child/<str:reference>/missing/new/", views.record_missing, name="record-missing"),
    path("child/<str:reference>/open/", views.open_case, name="open"),
    path("<str:reference>/", views.case_detail, name="detail"),
]
