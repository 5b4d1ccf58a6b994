"""Emptying the synthetic partnership between two generations in one test:
front-door rows first, since they PROTECT the people and users they name."""

from hoth.accounts.models import User
from hoth.cases.models import Case, MissingEpisode
from hoth.contexts.models import Context
from hoth.panels.models import AgendaItem, Meeting, MeetingAction
from hoth.people.models import Involvement, Person, SharingDecision
from hoth.referrals.models import Referral
from hoth.screening.models import Screening
from hoth.tasks.models import Task


def start_again():
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
