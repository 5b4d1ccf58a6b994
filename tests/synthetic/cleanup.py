"""Emptying the synthetic partnership between two generations in one test:
the data protection officer's requests and reviews, then disruption, then
the Pursue side's intelligence, then front-door rows, since they PROTECT the
subjects, panel items, people, places and users they name."""

from hoth.accounts.models import User
from hoth.cases.models import Case, MissingEpisode
from hoth.contexts.models import Context, Incident
from hoth.disruption.models import Breach, DisruptionActivity, DisruptionPlan, DisruptionPlanReview
from hoth.information_governance.models import RetentionItem, RetentionReview, SubjectAccessRequest
from hoth.intelligence.models import IntelligenceReport, Link, LinkAlert, Mention, Phone, Subject, Vehicle
from hoth.panels.models import AgendaItem, Meeting, MeetingAction
from hoth.people.models import Involvement, Person, SharingDecision
from hoth.referrals.models import Referral
from hoth.screening.models import Screening
from hoth.synthetic.models import PlantedHotspot, PlantedNetwork
from hoth.tasks.models import Task


def start_again():
    RetentionItem.objects.all().delete()
    RetentionReview.objects.all().delete()
    SubjectAccessRequest.objects.all().delete()
    DisruptionPlanReview.objects.all().delete()
    Breach.objects.all().delete()
    DisruptionActivity.objects.all().delete()
    DisruptionPlan.objects.all().delete()
    PlantedNetwork.objects.all().delete()
    PlantedHotspot.objects.all().delete()
    LinkAlert.objects.all().delete()
    Link.objects.all().delete()
    Mention.objects.all().delete()
    IntelligenceReport.objects.all().delete()
    Subject.objects.all().delete()
    Vehicle.objects.all().delete()
    Phone.objects.all().delete()
    Incident.objects.all().delete()
    MeetingAction.objects.all().delete()
    Task.objects.all().delete()
    AgendaItem.objects.all().delete()
    Meeting.objects.all().delete()
    Screening.objects.all().delete()
    Involvement.objects.all().delete()
    Case.objects.all().delete()
    MissingEpisode.objects.all().delete()
    Referral.objects.all().delete()
    SharingDecision.objects.all().delete()
    Context.objects.all().delete()
    Person.objects.all().delete()
    User.objects.all().delete()
