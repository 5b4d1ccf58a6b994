from django.urls import path

from hoth.accounts.views import manage as views

app_name = "manage"

urlpatterns = [
    path("", views.users, name="users"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/edit/", views.user_edit, name="user-edit"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user-reactivate"),
    path("users/<int:pk>/reset-second-factor/", views.user_reset_second_factor, name="user-reset-second-factor"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user-unlock"),
    path("service-accounts/", views.service_accounts, name="service-accounts"),
    path("service-accounts/new/", views.service_account_create, name="service-account-create"),
    path("service-accounts/<int:pk>/", views.service_account_detail, name="service-account"),
    path("service-accounts/<int:pk>/tokens/new/", views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("agencies/", views.agencies, name="agencies"),
    path("agencies/new/", views.agency_form, name="agency-create"),
    path("agencies/<int:pk>/edit/", views.agency_form, name="agency-edit"),
    path("teams/new/", views.team_form, name="team-create"),
    path("teams/<int:pk>/edit/", views.team_form, name="team-edit"),
]
