"""System administrators' pages for the screening tool, under
/manage/reference-data/screening-tool/."""

from django.urls import path

from hoth.screening.views import tools as views

app_name = "screening_tool"

urlpatterns = [
    path("", views.current, name="current"),
    path("versions/", views.versions, name="versions"),
    path("versions/new/", views.upload, name="upload"),
    path("versions/<int:pk>/", views.version, name="version"),
    path("versions/<int:pk>/download/", views.download, name="download"),
    path("versions/<int:pk>/publish/", views.publish, name="publish"),
]
