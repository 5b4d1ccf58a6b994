"""URLs of intelligence (/intelligence/), subjects of concern (/subjects/),
links (/links/) and the network (/network/); hoth/urls.py mounts each list
under its own namespace."""

from django.urls import path

from hoth.intelligence.hotspots import views as hotspot_views
from hoth.intelligence.network import views as network_views
from hoth.intelligence.problem_profiles import views as problem_profile_views
from hoth.intelligence.views import links as link_views
from hoth.intelligence.views import reports as views
from hoth.intelligence.views import subjects as subject_views

reports = [
    path("", views.report_list, name="list"),
    path("new/", views.submit, name="submit"),
    path("import/", views.import_reports, name="import"),
    path("alerts/<int:pk>/", views.alert, name="alert"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/sent/", views.submitted, name="submitted"),
    path("<str:reference>/grade/", views.grade, name="grade"),
    path("<str:reference>/subjects/", views.add_mention, name="add-mention"),
]

subjects = [
    path("", subject_views.subject_list, name="list"),
    path("new/", subject_views.subject_new, name="new"),
    path("new/vehicle/", subject_views.vehicle_new, name="new-vehicle"),
    path("new/phone/", subject_views.phone_new, name="new-phone"),
    path("<str:reference>/", subject_views.subject_profile, name="profile"),
    path("<str:reference>/concern/", subject_views.concern, name="concern"),
    path("<str:reference>/links/new/", subject_views.link_new, name="new-link"),
    path("<str:reference>/network/", network_views.subject_network, name="network"),
    path("<str:reference>/cluster/", network_views.cluster, name="cluster"),
]

links = [
    path("proposed/", link_views.proposed, name="proposed"),
    path("<int:pk>/", link_views.detail, name="detail"),
    path("<int:pk>/accept/", link_views.accept, name="accept"),
    path("<int:pk>/reject/", link_views.reject, name="reject"),
    path("<int:pk>/end/", link_views.end, name="end"),
]

network = [
    path("", network_views.overview, name="overview"),
    path("path/", network_views.path, name="path"),
]

hotspots = [
    path("", hotspot_views.hotspot_map, name="map"),
    path("<str:cell>/", hotspot_views.hotspot, name="hotspot"),
]

problem_profiles = [
    path("new/", problem_profile_views.new, name="new"),
    path("preview/", problem_profile_views.preview, name="preview"),
    path("pdf/", problem_profile_views.pdf, name="pdf"),
]
