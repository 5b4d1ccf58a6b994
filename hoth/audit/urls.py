from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("export/", views.export, name="export"),
    path("people/<str:reference>/", views.person_access, name="person-access"),
]
