"""Public pages: /help/. No sign-in."""

from django.urls import path

from hoth.directory.views import public as views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("children/", views.children, name="children"),
    path("children/<int:pk>/", views.child_service, name="child-service"),
    path("parents-and-carers/", views.adults, name="adults"),
    path("parents-and-carers/<int:pk>/", views.adult_service, name="adult-service"),
]
