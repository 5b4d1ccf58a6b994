from django.urls import path

from hoth.people.views import reference as views

app_name = "reference"

urlpatterns = [
    path("name-variants/", views.name_variants, name="name-variants"),
    path("name-variants/new/", views.name_variant_create, name="name-variant-create"),
    path("name-variants/<int:pk>/edit/", views.name_variant_edit, name="name-variant-edit"),
    path("name-variants/<int:pk>/switch-off/", views.name_variant_switch_off, name="name-variant-switch-off"),
    path("name-variants/<int:pk>/switch-on/", views.name_variant_switch_on, name="name-variant-switch-on"),
]
