from django.urls import include, path

from hoth.home import health
from hoth.home import views as home
from hoth.intelligence import urls as intelligence

urlpatterns = [
    path("", home.home, name="home"),
    path("account/", include("hoth.accounts.urls")),
    path("manage/reference-data/screening-tool/", include("hoth.screening.tool_urls")),
    path("manage/reference-data/disruption-tactics/", include("hoth.disruption.tactic_urls")),
    path("manage/reference-data/bank-holidays/", include("hoth.working_days.urls")),
    path("manage/reference-data/retention-schedule/", include("hoth.information_governance.schedule_urls")),
    path("manage/reference-data/child-population/", include("hoth.insight.population_urls")),
    path("manage/reference-data/", include("hoth.people.reference_urls")),
    path("manage/services/", include("hoth.directory.urls")),
    path("manage/", include("hoth.accounts.manage_urls")),
    path("people/", include("hoth.people.urls")),
    path("referrals/", include("hoth.referrals.urls")),
    path("screening/", include("hoth.screening.urls")),
    path("screening-queue/", include("hoth.panels.queue_urls")),
    path("meetings/", include("hoth.panels.urls")),
    path("tasks/", include("hoth.tasks.urls")),
    path("cases/", include("hoth.cases.urls")),
    path("plans/", include("hoth.plans.urls")),
    path("contexts/", include("hoth.contexts.urls")),
    path("intelligence/", include((intelligence.reports, "intelligence"))),
    path("subjects/", include((intelligence.subjects, "subjects"))),
    path("links/", include((intelligence.links, "links"))),
    path("network/", include((intelligence.network, "network"))),
    path("hotspots/", include((intelligence.hotspots, "hotspots"))),
    path("disruption/", include("hoth.disruption.urls")),
    path("problem-profiles/", include((intelligence.problem_profiles, "problem-profiles"))),
    path("board/", include("hoth.insight.urls")),
    path("audit/", include("hoth.audit.urls")),
    path("information-governance/", include("hoth.information_governance.urls")),
    path("information-governance/subject-access/", include("hoth.information_governance.subject_access_urls")),
    path("information-governance/retention/", include("hoth.information_governance.retention_urls")),
    path("notifications/", include("hoth.notifications.urls")),
    path("jobs/", include("hoth.jobs.urls")),
    path("api/", include("hoth.api.urls")),
    path("help/", include("hoth.directory.public_urls")),
    path("health/", health.health, name="health"),
]

handler403 = "hoth.home.views.forbidden"
handler404 = "hoth.home.views.not_found"
