"""Who may submit, read and grade intelligence, and see the subjects, links,
networks and hotspots made from it."""

from django.db.models import Exists, OuterRef, Q

from hoth.access.involvement import involved_with
from hoth.access.policy import may_see, rule, scope, visible
from hoth.access.roles import (
    CASEWORK_ROLES,
    INVOLVEMENT_ROLES,
    PARTNERSHIP_WIDE_ROLES,
    reads_intelligence,
    works_with_intelligence,
)
from hoth.accounts.roles import Role
from hoth.people.models import Person

from . import grading
from .models import IntelligenceReport, Link, Scheme, Subject


def _sharing_conditions():
    """Which stored handling codes mean P and C: 3x5x2 codes, and the legacy
    codes read as them."""
    shares = {"P": Q(pk__in=[]), "C": Q(pk__in=[])}
    for scheme in Scheme.values:
        for code in grading.codes(scheme, grading.HANDLING):
            meaning = grading.sharing(scheme, code.code)
            if meaning in shares:
                shares[meaning] |= Q(scheme=scheme, handling_code=code.code)
    return shares


@scope("intelligence.IntelligenceReport")
def visible_intelligence(user, reports):
    """Analysts and police see every report. Everyone sees what they submitted.
    Others see a graded report only as its handling code allows, and then only
    its sanitised version (intelligence.view_original):

    - P (lawful sharing permitted): coordinators and panel chairs, and the
      practitioners working with a child the report is about;
    - C (with conditions): users of the agencies the conditions name;
    - a legacy handling code that allows no sharing: nobody else.
    """
    if not user.has_role(*CASEWORK_ROLES):
        return reports.none()
    if reads_intelligence(user):
        return reports
    graded = Q(status=IntelligenceReport.Status.GRADED)
    shares = _sharing_conditions()
    allowed = Q(submitted_by=user, source=IntelligenceReport.Source.WEB)
    if user.has_role(Role.COORDINATOR, Role.PANEL_CHAIR):
        allowed |= graded & shares["P"]
    elif user.has_role(*INVOLVEMENT_ROLES):
        allowed |= graded & shares["P"] & involved_with(user, "about_person")
    named = IntelligenceReport.shared_with.through.objects.filter(
        intelligencereport_id=OuterRef("pk"), agency_id=user.agency_id
    )
    allowed |= graded & shares["C"] & Q(Exists(named))
    return reports.filter(allowed)


@scope("intelligence.Subject")
def visible_subjects(user, subjects):
    """Subjects of concern, for those who work with intelligence; a person
    only if the user may see them (a child named in intelligence stays hidden
    from anyone who may not see that child)."""
    if not works_with_intelligence(user):
        return subjects.none()
    if user.has_role(*PARTNERSHIP_WIDE_ROLES):
        return subjects
    # Asked of each subject (EXISTS), not as the set of everyone visible: a
    # page about a few subjects then reads a few rows, however many people
    # the register holds.
    person = visible(user, Person.objects.filter(pk=OuterRef("person_id")))
    return subjects.filter(Q(person__isnull=True) | Q(Exists(person)))


@scope("intelligence.Link")
def visible_links(user, links):
    """Links whose both ends the user sees, and whose intelligence (if they
    rest on some) the user may read at least in its sanitised form. A
    proposal, and a rejected one, quotes the casework it came from (a missing
    episode, a referral, a screening): it is for the analysts who decide it."""
    if not works_with_intelligence(user):
        return links.none()
    if not user.has_role(Role.ANALYST):
        links = links.filter(status=Link.Status.ACCEPTED)
    if not user.has_role(*PARTNERSHIP_WIDE_ROLES):
        links = links.filter(
            Exists(visible(user, Subject.objects.filter(pk=OuterRef("source_id")))),
            Exists(visible(user, Subject.objects.filter(pk=OuterRef("target_id")))),
        )
    if not reads_intelligence(user):
        readable = visible(user, IntelligenceReport.objects.filter(pk=OuterRef("intelligence_id")))
        links = links.filter(Q(intelligence__isnull=True) | Q(Exists(readable)))
    return links


@scope("intelligence.LinkAlert")
def visible_link_alerts(user, alerts):
    """Analysts and coordinators see every alert; others the alerts they were told of."""
    if not user.has_role(*CASEWORK_ROLES):
        return alerts.none()
    if user.has_role(Role.ANALYST, *PARTNERSHIP_WIDE_ROLES):
        return alerts
    return alerts.filter(told=user)


@rule("intelligence.submit")
def submit(user, obj):
    """Any partner practitioner submits intelligence (issue 5, section 2)."""
    return user.has_role(*CASEWORK_ROLES) and not user.is_service_account


@rule("intelligence.view")
def view(user, report):
    """A report, in the version the user may read. Without one: the casework roles."""
    if report is None:
        return user.has_role(*CASEWORK_ROLES)
    return may_see(user, report)


@rule("intelligence.view_original")
def view_original(user, report):
    """The report as given (its text, who gave it, how they know): analysts,
    police and the submitter. Everyone else reads the sanitised version."""
    if report is not None and report.submitted_by_id == user.pk and report.source == report.Source.WEB:
        return True
    return reads_intelligence(user)


@rule("intelligence.grade")
def grade(user, report):
    """Analysts grade intelligence, find its subjects and record its links."""
    return user.has_role(Role.ANALYST)


@rule("intelligence.import")
def import_reports(user, obj):
    """Importing historic intelligence from a file: analysts."""
    return user.has_role(Role.ANALYST)


@rule("subject.view")
def view_subject(user, subject):
    """A subject of concern: those who work with intelligence, for subjects they may see."""
    if subject is None:
        return works_with_intelligence(user)
    return may_see(user, subject)


@rule("subject.manage")
def manage_subject(user, subject):
    """Recording subjects, flagging them of concern, recording and deciding
    links: analysts."""
    return user.has_role(Role.ANALYST) and (subject is None or may_see(user, subject))


@rule("link.view")
def view_link(user, link):
    """A link between subjects: those who work with intelligence, for links they may see."""
    if link is None:
        return works_with_intelligence(user)
    return may_see(user, link)


@rule("link.decide")
def decide_link(user, link):
    """Accepting, rejecting and ending links: analysts."""
    return user.has_role(Role.ANALYST) and (link is None or may_see(user, link))


@rule("link_alert.view")
def view_link_alert(user, alert):
    """An alert that a new link touches a child: as visible_link_alerts."""
    if alert is None:
        return user.has_role(*CASEWORK_ROLES)
    return may_see(user, alert)


@rule("network.view")
def view_network(user, obj):
    """The network of subjects and links: those who work with intelligence."""
    return works_with_intelligence(user)


@rule("hotspot.view")
def view_hotspots(user, obj):
    """The hotspot map and its pages: those who work with intelligence."""
    return works_with_intelligence(user)


@rule("problem_profile.export")
def export_problem_profile(user, obj):
    """A problem profile pseudonymises children but still describes people and
    places of harm: for analysts, coordinators and panel chairs."""
    return works_with_intelligence(user)
