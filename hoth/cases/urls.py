from django.urls import path

from hoth.cases.views import case as case_views
from hoth.cases.views import missing

app_name = "cases"

urlpatterns = [
    path("missing/<int:pk>/", missing.missing_episode, name="missing-episode"),
    path("missing/<int:pk>/return/", missing.record_return, name="record-return"),
    path("missing/<int:pk>/return-interview/", missing.return_interview, name="return-interview"),
    path("child/<str:reference>/missing/", missing.missing_episodes, name="missing-episodes"),
    path("child/<str:reference>/missing/new/", missing.record_missing, name="record-missing"),
    path("child/<str:reference>/open/", case_views.open_case, name="open"),
    path("<str:reference>/", case_views.case_detail, name="detail"),
    path("<str:reference>/edit/", case_views.edit, name="edit"),
    path("<str:reference>/team/", case_views.team, name="team"),
    path("<str:reference>/team/<int:pk>/remove/", case_views.team_remove, name="team-remove"),
    path("<str:reference>/notes/", case_views.notes, name="notes"),
    path("<str:reference>/notes/new/", case_views.note_new, name="note-new"),
    path("<str:reference>/assessment/", case_views.assessment, name="assessment"),
    path("<str:reference>/assessment/edit/", case_views.assessment_edit, name="assessment-edit"),
    path("<str:reference>/close/", case_views.close, name="close"),
    path("<str:reference>/reopen/", case_views.reopen, name="reopen"),
    path("<str:reference>/transfer-summary/", case_views.transfer_summary, name="transfer-summary"),
    path("<str:reference>/nrm/", case_views.nrm_list, name="nrm"),
    path("<str:reference>/nrm/new/", case_views.nrm_record, name="nrm-new"),
    path("<str:reference>/nrm/<int:pk>/", case_views.nrm_record, name="nrm-update"),
]
