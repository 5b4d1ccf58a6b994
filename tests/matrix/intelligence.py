"""Who may use the pages of intelligence, subjects of concern, links and the network.

Intelligence (hoth.intelligence.access): analysts (and police) see every
report; others a graded report only as its handling code allows. The
in-scope report is about the in-scope child, graded P: coordinators, panel
chairs and the child's practitioner read it (sanitised). The out-of-scope one
is about the other child and handled C for the police alone: only analysts.

Subjects, links and networks are for those who work with intelligence
(analysts, coordinators, panel chairs), and a person only for those who may
see them: the out-of-scope child is not an intelligence subject, so only the
coordinators, who see everyone, see them."""

from django.utils import timezone

from hoth.accounts.models import Role
from hoth.intelligence import reference
from hoth.intelligence.models import IntelligenceReport, Link, LinkAlert, Subject, Vehicle
from tests.matrix.common import IN_SCOPE, NOBODY, OUT_OF_SCOPE, PARTNERSHIP_WIDE, Rule

ANALYSTS = frozenset({Role.ANALYST})
CREWE_CELL = "89195da49b7ffff"
INTELLIGENCE_USERS = frozenset({Role.ANALYST, Role.COORDINATOR, Role.PANEL_CHAIR})
SUBMITTERS = frozenset({Role.PRACTITIONER, Role.COORDINATOR, Role.PANEL_CHAIR, Role.ANALYST})
P_READERS = frozenset({Role.PRACTITIONER, Role.COORDINATOR, Role.PANEL_CHAIR, Role.ANALYST})


def _report(world, scope, submitted_by=None):
    reference.load()
    users = world["users"]
    default = users["coordinator"] if scope == IN_SCOPE else users["analyst"]
    report = IntelligenceReport.objects.create(
        what="Seen at the station with an older male",
        about_person=world[scope],
        how_known="seen",
        submitted_by=submitted_by or default,
        submitted_by_agency=world["agencies"]["council"],
        status="graded",
        scheme="3x5x2",
        source_evaluation="2",
        intelligence_assessment="B",
        handling_code="P" if scope == IN_SCOPE else "C",
        sanitised="A child was seen with an adult of concern.",
        graded_at=timezone.now(),
    )
    if scope == OUT_OF_SCOPE:
        report.shared_with.set([world["agencies"]["police"]])
    return report


def report(world, user, scope):
    return {"reference": _report(world, scope).reference}


def own_report(world, user, scope):
    """In scope: the user's own report; out of scope: somebody else's (made
    directly, as if by the manager, who is nobody's viewer)."""
    submitter = user if scope == IN_SCOPE and user is not None else world["users"]["manager"]
    return {"reference": _report(world, scope, submitted_by=submitter).reference}


def _subject(world, scope):
    key = f"subject {scope}"
    if key not in world:
        person = world[scope]
        # Made directly, not through the service, so the out-of-scope child
        # stays out of the analysts' sight.
        world[key] = Subject.objects.create(reference=person.reference, kind="person", person=person)
    return world[key]


def subject(world, user, scope):
    return {"reference": _subject(world, scope).reference}


def _link(world, scope, status):
    reference.load()
    vehicle = Vehicle.objects.create(registration=f"AB{Vehicle.objects.count() + 10}CDE")
    car = Subject.objects.create(reference=vehicle.reference, kind="vehicle", vehicle=vehicle)
    graded = {"scheme": "3x5x2", "source_evaluation": "2", "intelligence_assessment": "B"}
    return Link.objects.create(
        source=_subject(world, scope),
        target=car,
        type="seen_with",
        status=status,
        **(graded if status == Link.Status.ACCEPTED else {}),
    )


def accepted_link(world, user, scope):
    return {"pk": _link(world, scope, Link.Status.ACCEPTED).pk}


def proposed_link(world, user, scope):
    return {"pk": _link(world, scope, Link.Status.PROPOSED).pk}


def alert(world, user, scope):
    """In scope: an alert the practitioner and panel chair were told of; out of scope: told nobody."""
    found = LinkAlert.objects.create(link=_link(world, scope, Link.Status.ACCEPTED), reason="Links 1 child")
    found.children.set([world[scope]])
    if scope == IN_SCOPE:
        found.told.set([world["users"]["practitioner"], world["users"]["panel_chair"]])
    return {"pk": found.pk}


RULES = {
    # intelligence.view: casework roles see the list of what they may see.
    "intelligence:list": Rule(allowed=SUBMITTERS),
    # intelligence.submit: any partner practitioner.
    "intelligence:submit": Rule(allowed=SUBMITTERS),
    "intelligence:submitted": Rule(allowed=SUBMITTERS, out_of_scope=NOBODY, kwargs=own_report),
    "intelligence:detail": Rule(allowed=P_READERS, out_of_scope=ANALYSTS, kwargs=report),
    # intelligence.grade and intelligence.import: analysts.
    "intelligence:grade": Rule(allowed=ANALYSTS, out_of_scope=ANALYSTS, kwargs=report),
    "intelligence:add-mention": Rule(allowed=ANALYSTS, out_of_scope=ANALYSTS, kwargs=report),
    "intelligence:import": Rule(allowed=ANALYSTS),
    # link_alert.view: analysts and coordinators, and whoever was told.
    "intelligence:alert": Rule(
        allowed=ANALYSTS | PARTNERSHIP_WIDE | {Role.PRACTITIONER, Role.PANEL_CHAIR},
        out_of_scope=ANALYSTS | PARTNERSHIP_WIDE,
        kwargs=alert,
    ),
    # subject.view / network.view: those who work with intelligence, for people they may see.
    "subjects:list": Rule(allowed=INTELLIGENCE_USERS),
    "subjects:profile": Rule(allowed=INTELLIGENCE_USERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=subject),
    "subjects:network": Rule(allowed=INTELLIGENCE_USERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=subject),
    "subjects:cluster": Rule(allowed=INTELLIGENCE_USERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=subject),
    "network:overview": Rule(allowed=INTELLIGENCE_USERS),
    "network:path": Rule(allowed=INTELLIGENCE_USERS),
    # hotspot.view: the same people; the cell is any cell of the map.
    "hotspots:map": Rule(allowed=INTELLIGENCE_USERS),
    "hotspots:hotspot": Rule(allowed=INTELLIGENCE_USERS, kwargs=lambda world, user, scope: {"cell": CREWE_CELL}),
    # problem_profile.export: the same people; without parameters, the whole
    # partnership over the last 12 months.
    "problem-profiles:new": Rule(allowed=INTELLIGENCE_USERS),
    "problem-profiles:preview": Rule(allowed=INTELLIGENCE_USERS),
    # Asking for the PDF (POST) queues its job; a GET leads back to the page.
    "problem-profiles:pdf": (Rule(allowed=INTELLIGENCE_USERS), Rule(allowed=INTELLIGENCE_USERS, method="POST")),
    # subject.manage: analysts, for subjects they may see.
    "subjects:new": Rule(allowed=ANALYSTS),
    "subjects:new-vehicle": Rule(allowed=ANALYSTS),
    "subjects:new-phone": Rule(allowed=ANALYSTS),
    "subjects:concern": Rule(allowed=ANALYSTS, out_of_scope=NOBODY, kwargs=subject),
    "subjects:new-link": Rule(allowed=ANALYSTS, out_of_scope=NOBODY, kwargs=subject),
    # link.view and link.decide.
    "links:detail": Rule(allowed=INTELLIGENCE_USERS, out_of_scope=PARTNERSHIP_WIDE, kwargs=accepted_link),
    "links:proposed": Rule(allowed=ANALYSTS),
    "links:accept": Rule(allowed=ANALYSTS, out_of_scope=NOBODY, kwargs=proposed_link),
    "links:reject": Rule(allowed=ANALYSTS, out_of_scope=NOBODY, kwargs=proposed_link),
    "links:end": Rule(allowed=ANALYSTS, out_of_scope=NOBODY, kwargs=accepted_link),
}
