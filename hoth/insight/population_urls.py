from django.urls import path

from . import views

app_name = "population"

urlpatterns = [path("", views.population, name="upload")]
