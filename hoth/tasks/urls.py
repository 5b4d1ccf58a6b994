from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("overdue/", views.overdue, name="overdue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/done/", views.complete, name="complete"),
]
