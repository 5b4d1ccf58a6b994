from django.urls import path

from hoth.accounts.views import signing_in as views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.second_factor, name="second-factor"),
    path("sign-in/recovery-code/", views.recovery_code, name="recovery-code"),
    path("set-up-authenticator/", views.enrol, name="enrol"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_done, name="password-reset-done"),
    path("password-reset/complete/", views.password_reset_complete, name="password-reset-complete"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password-reset-confirm"),
]
