from django.urls import include, path

from hoth.home import views as home

urlpatterns = [
    path("", home.home, name="home"),
    path("account/", include("hoth.accounts.urls")),
    path("manage/", include("hoth.accounts.manage_urls")),
    path("people/", include("hoth.people.urls")),
    path("audit/", include("hoth.audit.urls")),
    path("notifications/", include("hoth.notifications.urls")),
    path("api/", include("hoth.api.urls")),
]

handler403 = "hoth.home.views.forbidden"
handler404 = "hoth.home.views.not_found"
