"""Finding a subject of concern by the reference practitioners already use,
naming a person or context on record as one when the user may (the search by
a name, registration or number typed into a search box is in selectors.py).
Everything is looked for inside what the user may see."""

from hoth.access import policy
from hoth.accounts.models import User
from hoth.audit.context import AuditContext
from hoth.contexts.models import Context
from hoth.people.models import Person

from .models import Subject
from .selectors import RELATED
from .services import subject_for_context, subject_for_person


def find_subject(
    user: User,
    reference: str,
    *,
    naming: str = "subject.manage",
    adults_only: bool = False,
    audit: AuditContext | None = None,
) -> Subject | None:
    """The subject with this reference, if the user may see it. A person or
    context on record but not yet a subject becomes one when the user may do
    `naming` (an analyst naming them in intelligence; with `adults_only`, only
    a person known to be an adult)."""
    reference = (reference or "").strip().upper()
    subject = Subject.objects.visible_to(user).select_related(*RELATED).filter(reference=reference).first()
    if subject is not None or not policy.can(user, naming):
        return subject
    if reference.startswith("P-"):
        person = Person.objects.visible_to(user).filter(reference=reference).first()
        if person is None or adults_only and (person.age is None or person.is_child):
            return None
        return subject_for_person(user, person, audit=audit)
    if reference.startswith("C-"):
        context = Context.objects.visible_to(user).filter(reference=reference).first()
        return subject_for_context(user, context, audit=audit) if context else None
    return None
