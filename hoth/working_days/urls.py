from django.urls import path

from . import views

app_name = "working_days"

urlpatterns = [
    path("", views.bank_holidays, name="bank-holidays"),
    path("<int:pk>/remove/", views.bank_holiday_remove, name="bank-holiday-remove"),
]
