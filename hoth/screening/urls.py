from django.urls import path

from hoth.screening.views import screening as views

app_name = "screening"

urlpatterns = [
    path("referral/<str:reference>/start/", views.start, name="start"),
    path("person/<str:reference>/rescreen/", views.rescreen, name="rescreen"),
    path("person/<str:reference>/trajectory/", views.trajectory, name="trajectory"),
    path("approvals/", views.approvals, name="approvals"),
    path("<int:pk>/", views.result, name="result"),
    path("<int:pk>/domain/<slug:domain>/", views.answer, name="answer"),
    path("<int:pk>/judgement/", views.judgement, name="judgement"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/discard/", views.discard, name="discard"),
    path("<int:pk>/approve/", views.approve, name="approve"),
]
