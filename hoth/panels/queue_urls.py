from django.urls import path

from . import queue_views

app_name = "queue"

urlpatterns = [
    path("", queue_views.queue_list, name="list"),
]
