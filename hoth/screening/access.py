"""Who may screen a child, and read, approve or discard a screening."""

from hoth.access.involvement import records_about_people
from hoth.access.policy import may_see, rule, scope
from hoth.access.roles import CASEWORK_ROLES, CREATE_PERSON_ROLES
from hoth.accounts.roles import Role
from hoth.people.access import sees_person

from .models import Screening


@scope("screening.Screening")
def visible_screenings(user, screenings):
    """Screenings about the children the user works with (coordinators: all),
    and those the user screened themselves."""
    own = screenings.filter(screened_by=user) if user.has_role(*CREATE_PERSON_ROLES) else screenings.none()
    return own | records_about_people(user, screenings)


@rule("screening.perform")
def perform(user, person):
    """Coordinators screen every referral; a practitioner may screen a child
    they work with (the referrer using the tool, or a lead professional's
    re-screen)."""
    if not user.has_role(*CREATE_PERSON_ROLES):
        return False
    return person is None or user.has_role(Role.COORDINATOR) or sees_person(user, person)


@rule("screening.discard")
def discard(user, screening):
    """A screening nobody will finish can be thrown away while it is still a
    draft, by whoever started it or by a coordinator (who chase the queue)."""
    if not user.has_role(*CREATE_PERSON_ROLES):
        return False
    if screening is None:
        return True
    return (
        screening.status == Screening.Status.DRAFT
        and (screening.screened_by_id == user.pk or user.has_role(Role.COORDINATOR))
        and may_see(user, screening)
    )


@rule("screening.view")
def view(user, screening):
    """A screening: whoever sees it. Without one: the casework roles."""
    if screening is None:
        return user.has_role(*CASEWORK_ROLES)
    return may_see(user, screening)


@rule("screening.approve_lower_level")
def approve_lower_level(user, screening):
    """Lowering the level the rules gave needs a second coordinator (the
    front-door manager), never the person who screened."""
    return user.has_role(Role.COORDINATOR) and (screening is None or screening.screened_by_id != user.pk)


@rule("screening.evaluate")
def evaluate(user, obj):
    """Pre-screening saves nothing and shows no one's record: the casework roles."""
    return user.has_role(*CASEWORK_ROLES)
