"""Staff pages: /manage/services/."""

from django.urls import path

from hoth.directory.views import staff as views

app_name = "services"

urlpatterns = [
    path("", views.service_list, name="list"),
    path("new/", views.service_new, name="new"),
    path("<int:pk>/", views.service_detail, name="detail"),
    path("<int:pk>/edit/", views.service_edit, name="edit"),
    path("<int:pk>/review/", views.service_review, name="review"),
    path("<int:pk>/publish/", views.service_publish, name="publish"),
]
