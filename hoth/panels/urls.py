from django.urls import path

from . import panel_views, views

app_name = "panels"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("panel/new/", panel_views.panel_create, name="panel-create"),
    path("panel/actions/", panel_views.action_tracker, name="tracker"),
    path("<int:pk>/panel/add/<slug:section>/", panel_views.panel_add, name="panel-add"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/add-item/", views.add_item, name="add-item"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendance/<int:attendance_pk>/remove/", views.attendance_remove, name="attendance-remove"),
    path("<int:pk>/items/<int:item_pk>/", views.item_detail, name="item"),
    path("<int:pk>/items/<int:item_pk>/agenda/", views.item_agenda, name="item-agenda"),
    path("<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item-move"),
    path("<int:pk>/items/<int:item_pk>/contributions/new/", views.contribution_add, name="contribution-add"),
    path("<int:pk>/items/<int:item_pk>/contributions/<int:contribution_pk>/remove/", views.contribution_remove,
         name="contribution-remove"),
    path("<int:pk>/items/<int:item_pk>/actions/new/", views.action_add, name="action-add"),
    path("<int:pk>/items/<int:item_pk>/actions/<int:action_pk>/remove/", views.action_remove, name="action-remove"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/minutes/", views.minutes_page, name="minutes-page"),
    path("<int:pk>/minutes.pdf", views.minutes, name="minutes"),
]
