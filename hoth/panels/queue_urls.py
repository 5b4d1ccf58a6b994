from django.urls import path

from .views import queue

app_name = "queue"

urlpatterns = [
    path("", queue.queue_list, name="list"),
]
