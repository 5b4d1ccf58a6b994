from django.urls import path

from .views import meetings, panel

app_name = "panels"

urlpatterns = [
    path("", meetings.meeting_list, name="list"),
    path("new/", meetings.meeting_create, name="create"),
    path("panel/new/", panel.panel_create, name="panel-create"),
    path("panel/actions/", panel.action_tracker, name="tracker"),
    path("<int:pk>/panel/add/<slug:section>/", panel.panel_add, name="panel-add"),
    path("<int:pk>/", meetings.meeting_detail, name="detail"),
    path("<int:pk>/propose/", meetings.propose, name="propose"),
    path("<int:pk>/add-item/", meetings.add_item, name="add-item"),
    path("<int:pk>/attendance/", meetings.attendance, name="attendance"),
    path("<int:pk>/attendance/<int:attendance_pk>/remove/", meetings.attendance_remove, name="attendance-remove"),
    path("<int:pk>/items/<int:item_pk>/", meetings.item_detail, name="item"),
    path("<int:pk>/items/<int:item_pk>/agenda/", meetings.item_agenda, name="item-agenda"),
    path("<int:pk>/items/<int:item_pk>/move/", meetings.item_move, name="item-move"),
    path("<int:pk>/items/<int:item_pk>/contributions/new/", meetings.contribution_add, name="contribution-add"),
    path(
        "<int:pk>/items/<int:item_pk>/contributions/<int:contribution_pk>/remove/",
        meetings.contribution_remove,
        name="contribution-remove",
    ),
    path("<int:pk>/items/<int:item_pk>/actions/new/", meetings.action_add, name="action-add"),
    path("<int:pk>/items/<int:item_pk>/actions/<int:action_pk>/remove/", meetings.action_remove, name="action-remove"),
    path("<int:pk>/confirm/", meetings.confirm, name="confirm"),
    path("<int:pk>/minutes/", meetings.minutes_page, name="minutes-page"),
    path("<int:pk>/minutes.pdf", meetings.minutes, name="minutes"),
]
