"""Finding subjects of concern: by the reference practitioners already use,
or by a name, registration or number typed into a search box. Everything is
looked for inside what the user may see."""

from django.db.models import Q

from hoth.access import policy
from hoth.analytics.identifiers import normalise_registration
from hoth.contexts.models import Context
from hoth.people.models import Person
from hoth.people.search import normalise_phone

from .models import Subject
from .services import subject_for_context, subject_for_person

RELATED = ("person", "context", "vehicle", "phone")


def find_subject(user, reference, *, naming="subject.manage", adults_only=False, audit=None):
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


def search_subjects(user, query="", *, kind="", of_concern=False):
    """Subjects the user may see matching every word of `query` against
    names, aliases, handles, registrations and numbers."""
    subjects = Subject.objects.visible_to(user).select_related(*RELATED)
    if kind:
        subjects = subjects.filter(kind=kind)
    if of_concern:
        subjects = subjects.filter(of_concern=True)
    query = (query or "").strip()
    if not query:
        return subjects
    exact = Q(reference=query.upper())
    registration = normalise_registration(query)
    if registration:
        exact |= Q(vehicle__registration=registration)
    phone = normalise_phone(query) if any(c.isdigit() for c in query) else ""
    if phone:
        exact |= Q(phone__e164=phone)
    words = Q()
    for word in query.split():
        words &= (
            Q(person__given_names__icontains=word)
            | Q(person__family_name__icontains=word)
            | Q(person__aliases__name__icontains=word)
            | Q(context__name__icontains=word)
            | Q(context__handle__icontains=word)
            | Q(vehicle__make__icontains=word)
            | Q(vehicle__model__icontains=word)
            | Q(phone__description__icontains=word)
        )
    return subjects.filter(exact | words).distinct()
