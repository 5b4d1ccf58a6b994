from django.urls import path

from hoth.people.views import register as views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("new/confirm/", views.create_confirm, name="create-confirm"),
    path("new/details/", views.create_details, name="create-details"),
    path("new/possible-match/<str:token>/", views.create_ask_access, name="create-ask-access"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/emergency-access/", views.break_glass, name="break-glass"),
    path("<str:reference>/history/", views.history, name="history"),
    path("<str:reference>/edit/", views.edit, name="edit"),
    path("<str:reference>/names/add/", views.add_detail, {"kind": "alias"}, name="add-alias"),
    path("<str:reference>/addresses/add/", views.add_detail, {"kind": "address"}, name="add-address"),
    path("<str:reference>/references/add/", views.add_detail, {"kind": "identifier"}, name="add-identifier"),
    path("<str:reference>/phones/add/", views.add_detail, {"kind": "phone"}, name="add-phone"),
    path("<str:reference>/online/add/", views.add_detail, {"kind": "handle"}, name="add-handle"),
    path("<str:reference>/remove/<str:kind>/<int:pk>/", views.remove_detail, name="remove"),
]
