"""/information-governance/subject-access/: subject access requests."""

from django.urls import path

from hoth.information_governance.views import subject_access as views

app_name = "subject_access"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<str:reference>/", views.request_detail, name="detail"),
    path("<str:reference>/find/", views.find_person, name="find"),
    path("<str:reference>/assemble/", views.assemble, name="assemble"),
    path("<str:reference>/disclosure/", views.disclosure, name="disclosure"),
    path("<str:reference>/disclosure/<slug:item_key>/", views.disclosure_item, name="item"),
    path("<str:reference>/redactions/", views.redaction_list, name="redactions"),
    path("<str:reference>/redactions/<int:pk>/", views.redaction_change, name="redaction"),
    path("<str:reference>/disclosure.pdf", views.export_pdf, name="pdf"),
    path("<str:reference>/disclosure.json", views.export_json, name="json"),
    path("<str:reference>/extend/", views.extend, name="extend"),
    path("<str:reference>/close/", views.close, name="close"),
]
