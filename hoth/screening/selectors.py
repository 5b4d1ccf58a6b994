"""What the screening pages and services read without changing anything: the
child's latest return home interview, the screening to resume instead of
starting another, what the rules would give for the answers so far (the
child's age and learning disability, the answers in the scoring's terms),
the coordinators who may approve a lower level, and every tool version with
how many screenings used it.
"""

from django.db.models import Count, F, QuerySet
from django.utils import timezone

from hoth.accounts.models import Role, User
from hoth.analytics import screening as scoring
from hoth.cases.models import ReturnInterview
from hoth.people.models import Person
from hoth.referrals.models import Referral

from .models import Screening, ScreeningAnswer, ScreeningTool
from .reference import version_key

IN_PROGRESS = (Screening.Status.DRAFT,)


def latest_return_interview(person: Person) -> ReturnInterview | None:
    return (
        ReturnInterview.objects.filter(episode__person=person)
        .select_related("episode")
        .order_by(F("held_at").desc(nulls_last=True), "-episode__started_at", "-pk")
        .first()
    )


def existing_screening(*, referral: Referral | None = None, person: Person | None = None) -> Screening | None:
    """The screening to resume or show instead of starting another: a referral
    is screened once (its draft resumed, its result shown); a child's re-screen
    still in progress is resumed."""
    if referral is not None:
        return Screening.objects.filter(referral=referral).order_by("-started_at").first()
    return (
        Screening.objects.filter(person=person, referral__isnull=True, status__in=IN_PROGRESS)
        .order_by("-started_at")
        .first()
    )


def child_for(screening: Screening) -> scoring.Child:
    """What the rules are told about the child: their age on the day the
    screening started, and whether they have a learning disability."""
    person = screening.person
    age = person.age_on(timezone.localdate(screening.started_at)) if person.date_of_birth else None
    return scoring.Child(age=age, learning_disability=bool(person.has_learning_disability))


def answers_for(screening: Screening) -> dict[str, scoring.Answer]:
    return {
        a.indicator: scoring.Answer(state=a.state, when=a.when or ScreeningAnswer.When.CURRENT)
        for a in screening.answers.all()
    }


def provisional(screening: Screening) -> scoring.Result:
    """The result the answers so far would give: shown before completing, saved nowhere."""
    return scoring.score(screening.tool.definition, answers_for(screening), child_for(screening))


def approvers(screening: Screening) -> QuerySet[User]:
    """The coordinators who may decide on a lower level: every one but the screener."""
    return (
        User.objects.filter(is_active=True, is_service_account=False, role_assignments__role=Role.COORDINATOR)
        .exclude(pk=screening.screened_by_id)
        .distinct()
    )


def versions_with_use() -> list[ScreeningTool]:
    """Every version, newest first, with how many screenings used it."""
    tools = ScreeningTool.objects.annotate(screening_count=Count("screenings")).select_related("published_by")
    return sorted(tools, key=lambda t: version_key(t.version), reverse=True)
