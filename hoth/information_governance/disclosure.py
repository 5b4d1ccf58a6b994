"""Everything held about a person, across agencies, for a subject access request.

`assemble(user, person)` reads every record about the person through the
access gate's purpose-named scope (information_governance.access.subject_access_records: the data
protection officer only) and returns the bundle (sections of items of
labelled fields, plain values as the requester will read them) and the
redactions to apply by default:

* other people named in the records (other children, adults, people named
  in referrals and intelligence) wherever their names appear: third-party
  data (TP), and whole fields that are about others by nature (who was
  with the child, who a referral names, the other end of a link);
* intelligence sources, and intelligence handled under conditions (handling
  code C, or a legacy code that allows no sharing), and disruption not yet
  in force: crime and taxation (CRIME).

The officer reviews each and may change it (hoth.information_governance.subject_access).
Professionals acting in their role are named, as the Information
Commissioner's guidance expects.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from hoth.information_governance.access import subject_access_records

FORMAT = "hoth-subject-access/1"
THIRD_PARTY, CRIME = "TP", "CRIME"


def text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%-d %B %Y, %H:%M")
    if isinstance(value, date):
        return value.strftime("%-d %B %Y")
    return str(value).strip()


def iso(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date().isoformat()
    return value.isoformat() if isinstance(value, date) else ""


@dataclass
class Item:
    key: str
    kind: str
    title: str
    when: str = ""
    reference: str = ""
    fields: list = field(default_factory=list)

    def add(self, key, label, value, *, bundle=None, redact="", why=""):
        value = text(value)
        if not value:
            return self
        self.fields.append({"key": key, "label": label, "value": value})
        if redact and bundle is not None:
            bundle.default(redact, why, item=self.key, field=key)
        return self

    def as_dict(self):
        return {
            "key": self.key,
            "kind": self.kind,
            "title": self.title,
            "date": self.when,
            "reference": self.reference,
            "fields": self.fields,
        }


@dataclass
class Section:
    key: str
    title: str
    items: list = field(default_factory=list)

    def item(self, key, kind, title, when=None, reference=""):
        item = Item(key, kind, title, iso(when), reference)
        self.items.append(item)
        return item


class Bundle:
    def __init__(self, person):
        self.person = person
        self.sections = []
        self.defaults = []
        self.third_parties = {}

    def section(self, key, title):
        section = Section(key, title)
        self.sections.append(section)
        return section

    def default(self, reason, why, *, item="", field="", words=""):
        self.defaults.append({"reason": reason, "why": why, "item_key": item, "field_key": field, "words": words})

    def third_party(self, person, why):
        """Another person named in the record: their names are redacted wherever they appear."""
        if person is None or person.pk == self.person.pk:
            return
        self.third_parties.setdefault(person.pk, (person, why))

    def named(self, name, why):
        """A name as someone wrote it (a referral's named person)."""
        if name and len(name.strip()) >= 3 and name.strip().casefold() not in self._own_names():
            self.default(THIRD_PARTY, why, words=name.strip())

    def _own_names(self):
        own = {self.person.full_name.casefold(), self.person.given_names.casefold(), self.person.family_name.casefold()}
        return own | {a.casefold() for a in self.person.aliases.values_list("name", flat=True)}

    def finish(self):
        for person, why in self.third_parties.values():
            names = {person.full_name}
            first = person.given_names.split()[:1]
            if first:
                names.add(f"{first[0]} {person.family_name}")
            if person.preferred_name:
                names.add(f"{person.preferred_name} {person.family_name}")
            names |= {a for a in person.aliases.values_list("name", flat=True) if len(a) >= 3}
            for name in sorted(names):
                self.named(name, why)
        seen, unique = set(), []
        for default in self.defaults:
            key = (default["item_key"], default["field_key"], default["words"].casefold())
            if key not in seen:
                seen.add(key)
                unique.append(default)
        self.defaults = unique
        return {
            "format": FORMAT,
            "assembled_at": timezone.now().isoformat(),
            "subject": self.person.reference,
            "sections": [
                {"key": s.key, "title": s.title, "items": [i.as_dict() for i in s.items]} for s in self.sections
            ],
        }


def _who(user):
    return f"{user.full_name}, {user.agency.name}" if user else ""


def assemble(user, person):
    """(content, default redactions) for everything held about `person`."""
    read = lambda queryset: subject_access_records(user, queryset)  # noqa: E731
    bundle = Bundle(person)
    _register(bundle, read, person)
    _sharing(bundle, read, person)
    _referrals(bundle, read, person)
    _screenings(bundle, read, person)
    _cases(bundle, read, person)
    _missing(bundle, read, person)
    _meetings(bundle, read, person)
    _intelligence(bundle, read, person)
    _links(bundle, read, person)
    _disruption(bundle, read, person)
    _contexts(bundle, read, person)
    _tasks_and_notifications(bundle, read, person)
    _access(bundle, read, person)
    content = bundle.finish()
    return content, bundle.defaults


# ---------------------------------------------------------------- the register


def _register(bundle, read, person):
    from hoth.people.models import FieldChange, Person

    section = bundle.section("register", "Your record on the register")
    p = read(Person.objects.filter(pk=person.pk)).select_related("school", "source_agency").get()
    item = section.item(f"person-{p.pk}", "Register record", "Your details", p.created_at, p.reference)
    for key, label, value in (
        ("reference", "Reference", p.reference),
        ("given_names", "First names", p.given_names),
        ("family_name", "Family name", p.family_name),
        ("preferred_name", "Preferred name", p.preferred_name),
        ("date_of_birth", "Date of birth", p.dob_display if p.date_of_birth else ""),
        ("sex", "Sex", p.get_sex_display()),
        ("gender", "Gender", p.gender),
        ("ethnicity", "Ethnicity", p.get_ethnicity_display()),
        ("first_language", "First language", p.first_language),
        ("interpreter_needed", "Needs an interpreter", p.interpreter_needed),
        ("send_status", "Special educational needs", p.get_send_status_display() if p.send_status else ""),
        ("has_disability", "Disability", p.has_disability),
        ("has_learning_disability", "Learning disability", p.has_learning_disability),
        ("care_status", "Care status", p.get_care_status_display() if p.care_status else ""),
        ("school", "School", p.school.name if p.school else ""),
        ("source_agency", "First recorded by", p.source_agency.name if p.source_agency else ""),
        ("created_at", "Recorded on", p.created_at),
        ("sensitive_notes", "Notes", p.sensitive_notes),
    ):
        item.add(key, label, value)
    lists = section.item(f"identity-{p.pk}", "Register record", "Names, addresses and numbers")
    for alias in p.aliases.all():
        lists.add(f"alias-{alias.pk}", alias.get_kind_display(), alias.name)
    for address in p.addresses.all():
        since = (
            f" (from {text(address.valid_from)}{f' to {text(address.valid_to)}' if address.valid_to else ''})"
            if address.valid_from
            else ""
        )
        lists.add(f"address-{address.pk}", "Address", f"{address}{since}")
    for identifier in p.identifiers.select_related("issued_by"):
        lists.add(f"identifier-{identifier.pk}", identifier.get_scheme_display(), identifier.value)
    for phone in p.phone_numbers.all():
        lists.add(f"phone-{phone.pk}", f"Phone{f' ({phone.label})' if phone.label else ''}", phone.e164)
    for handle in p.online_handles.all():
        lists.add(f"handle-{handle.pk}", f"Online account on {handle.platform}", handle.handle)
    changes = (
        read(FieldChange.objects.filter(person=person)).select_related("changed_by__agency").order_by("changed_at")
    )
    if changes:
        history = section.item(f"history-{p.pk}", "Register record", "Changes to your details")
        for change in changes:
            history.add(
                f"change-{change.pk}",
                f"{text(change.changed_at)}: {change.field.replace('_', ' ')}",
                f"{change.before or '(empty)'} changed to {change.after or '(empty)'} by {_who(change.changed_by)}",
            )


def _sharing(bundle, read, person):
    from hoth.people.models import Involvement, SharingDecision

    section = bundle.section("sharing", "Who works with you, and decisions to share your information")
    involvements = read(Involvement.objects.filter(person=person)).select_related("user__agency", "team__agency")
    if involvements:
        item = section.item(f"involvements-{person.pk}", "Who works with you", "Who works with you")
        for inv in involvements.order_by("started_at"):
            who = _who(inv.user) if inv.user_id else f"{inv.team.name}, {inv.team.agency.name}"
            ended = f", ended {text(inv.ended_at)}" if inv.ended_at else ""
            item.add(f"involvement-{inv.pk}", inv.get_kind_display(), f"{who}: from {text(inv.started_at)}{ended}")
    decisions = (
        read(SharingDecision.objects.filter(person=person))
        .select_related("decided_by__agency", "shared_with_user__agency", "shared_with_team__agency")
        .order_by("decided_at")
    )
    for d in decisions:
        item = section.item(
            f"sharing-{d.pk}",
            "Sharing decision",
            "Decided to share" if d.shared else "Decided not to share",
            d.decided_at,
        )
        with_whom = (
            _who(d.shared_with_user)
            if d.shared_with_user_id
            else (f"{d.shared_with_team.name}, {d.shared_with_team.agency.name}" if d.shared_with_team_id else "")
        )
        for key, label, value in (
            ("decided_by", "Decided by", _who(d.decided_by)),
            ("shared_with", "Shared with", with_whom),
            ("what", "What", d.what),
            ("why", "Why", d.why),
            ("lawful_basis", "Lawful basis", d.get_lawful_basis_display()),
            ("consent", "Consent", d.get_consent_display()),
            ("consent_not_sought_reason", "Why consent was not sought", d.consent_not_sought_reason),
        ):
            item.add(key, label, value)


# ---------------------------------------------------------------- the front door and casework


def _referrals(bundle, read, person):
    from hoth.referrals.models import Referral

    section = bundle.section("referrals", "Referrals about you")
    referrals = (
        read(Referral.objects.filter(person=person))
        .select_related("referrer__agency", "referrer_agency")
        .prefetch_related("harm_types", "associates__person", "additions__added_by_agency")
        .order_by("submitted_at", "created_at")
    )
    for r in referrals:
        item = section.item(
            f"referral-{r.pk}", "Referral", f"Referral {r.reference}", r.submitted_at or r.created_at, r.reference
        )
        for key, label, value in (
            ("status", "Status", r.get_status_display()),
            ("received", "Received", r.submitted_at),
            (
                "from",
                "From",
                f"{r.referrer.full_name}{f' ({r.referrer_role})' if r.referrer_role else ''}, {r.referrer_agency.name}",
            ),
            ("harm_types", "Concerns", ", ".join(h.name for h in r.harm_types.all())),
            ("harm_other", "Other concern", r.harm_other),
            ("happened_on", "When it happened", r.happened_on),
            ("what_happened", "What happened", r.what_happened),
            ("child_words", "In your words", r.child_words),
            ("immediate_danger", "In immediate danger", r.immediate_danger),
            ("is_urgent", "Urgent", r.is_urgent),
            ("consent", "Consent", r.get_consent_display() if r.consent else ""),
            ("consent_reason", "About consent", r.consent_reason),
        ):
            item.add(key, label, value)
        for associate in r.associates.all():
            why = "someone the referral names"
            item.add(
                f"associate-{associate.pk}",
                f"{associate.get_kind_display()} named",
                associate.name,
                bundle=bundle,
                redact=THIRD_PARTY if associate.kind == "person" else "",
                why=why,
            )
            item.add(
                f"associate-{associate.pk}-details",
                "About them",
                associate.details,
                bundle=bundle,
                redact=THIRD_PARTY if associate.kind == "person" else "",
                why=why,
            )
            if associate.kind == "person":
                bundle.named(associate.name, why)
                bundle.third_party(associate.person, why)
        for addition in r.additions.all():
            item.add(
                f"addition-{addition.pk}",
                f"Added {text(addition.added_at)} by {addition.added_by_agency.name}",
                addition.text,
            )


def _screenings(bundle, read, person):
    from hoth.screening.models import Screening
    from hoth.screening.services import indicator_index, level_label

    section = bundle.section("screenings", "Screenings")
    screenings = (
        read(Screening.objects.filter(person=person))
        .select_related("tool", "screened_by__agency", "referral")
        .prefetch_related("answers")
        .order_by("started_at")
    )
    for s in screenings:
        item = section.item(
            f"screening-{s.pk}",
            "Screening",
            f"Screening on {text(s.completed_at or s.started_at)}",
            s.completed_at or s.started_at,
        )
        index = indicator_index(s.tool)
        for key, label, value in (
            ("status", "Status", s.get_status_display()),
            ("by", "Screened by", _who(s.screened_by)),
            ("referral", "Referral", s.referral.reference if s.referral_id else ""),
            ("tool", "Screening tool", str(s.tool)),
            ("scored_level", "Level the tool gave", level_label(s.scored_level)),
            ("judgement_level", "Level judged", level_label(s.judgement_level)),
            ("judgement_reason", "Why", s.judgement_reason),
            ("level", "Level", level_label(s.level)),
        ):
            item.add(key, label, value)
        for answer in s.answers.all():
            indicator = index.get(answer.indicator, {})
            value = answer.get_state_display()
            if answer.when:
                value += f" ({answer.get_when_display().lower()})"
            if answer.evidence:
                value += f": {answer.evidence}"
            item.add(f"answer-{answer.pk}", indicator.get("text", answer.indicator), value)


def _cases(bundle, read, person):
    from hoth.cases.models import Case, CaseNote
    from hoth.plans.models import Plan, Review

    section = bundle.section("cases", "Your case, plan and reviews")
    cases = (
        read(Case.objects.filter(person=person))
        .select_related("lead_professional__agency", "opened_by")
        .prefetch_related(
            "harm_types", "members__user", "members__agency", "assessments__entries", "status_changes", "nrm_referrals"
        )
        .order_by("opened_at")
    )
    for case in cases:
        item = section.item(f"case-{case.pk}", "Case", f"Case {case.reference}", case.opened_at, case.reference)
        for key, label, value in (
            ("status", "Status", case.get_status_display()),
            ("opened", "Opened", case.opened_at),
            ("closed", "Closed", case.closed_at),
            ("lead", "Lead professional", _who(case.lead_professional)),
            ("harm_types", "Concerns", ", ".join(h.name for h in case.harm_types.all())),
        ):
            item.add(key, label, value)
        for member in case.members.all():
            item.add(
                f"member-{member.pk}",
                f"On the team ({member.role})",
                f"{member.user.full_name}, {member.agency.name}"
                + (f", left {text(member.removed_at)}" if member.removed_at else ""),
            )
        for assessment in case.assessments.all():
            item.add(
                f"assessment-{assessment.pk}",
                f"Contextual assessment {assessment.number}: first to change",
                f"{assessment.get_primary_context_display()}: {assessment.primary_reason}",
            )
            for entry in assessment.entries.all():
                item.add(f"assessed-{entry.pk}-strengths", f"{entry.get_kind_display()}: strengths", entry.strengths)
                item.add(f"assessed-{entry.pk}-risks", f"{entry.get_kind_display()}: risks", entry.risks)
        for change in case.status_changes.all():
            item.add(
                f"status-{change.pk}",
                f"{change.get_kind_display()} {text(change.at)}",
                "; ".join(
                    v
                    for v in (
                        change.get_reason_display() if change.reason else "",
                        change.reason_other,
                        change.outcome_summary,
                        change.transfer_summary,
                        change.adult_services_transition,
                        change.reopen_reason,
                    )
                    if v
                ),
            )
        for nrm in case.nrm_referrals.all():
            outcome = ", ".join(
                v
                for v in (
                    f"reasonable grounds {nrm.get_rg_outcome_display().lower()} on {text(nrm.rg_decided_on)}"
                    if nrm.rg_outcome
                    else "",
                    f"conclusive grounds {nrm.get_cg_outcome_display().lower()} on {text(nrm.cg_decided_on)}"
                    if nrm.cg_outcome
                    else "",
                )
                if v
            )
            item.add(
                f"nrm-{nrm.pk}",
                "National Referral Mechanism",
                f"Referred {text(nrm.referred_on)} by {nrm.first_responder}{f'; {outcome}' if outcome else ''}",
            )
        notes = read(CaseNote.objects.filter(case=case)).select_related("author_agency").order_by("happened_on")
        for note in notes:
            entry = section.item(
                f"note-{note.pk}", "Case note", f"{note.get_kind_display()}, {text(note.happened_on)}", note.happened_on
            )
            entry.add("agency", "Written by", note.author_agency.name)
            entry.add(
                "who",
                "Who was there",
                note.who,
                bundle=bundle,
                redact=THIRD_PARTY,
                why="the other people at a visit or meeting",
            )
            entry.add("what", "What happened", note.what)
        for plan in read(Plan.objects.filter(case=case)).prefetch_related(
            "goals", "actions__agency", "service_referrals__service"
        ):
            entry = section.item(
                f"plan-{plan.pk}", "Safety and support plan", "Your safety and support plan", plan.updated_at
            )
            for key, label, value in (
                ("child_wants", "What I want to happen", plan.child_wants),
                ("child_trusts", "Who I trust", plan.child_trusts),
                ("family_views", "What my family think", plan.family_views),
                ("review_date", "Next review", plan.review_date),
            ):
                entry.add(key, label, value)
            for goal in plan.goals.all():
                entry.add(f"goal-{goal.pk}", "Goal", goal.text)
            for action in plan.actions.all():
                entry.add(
                    f"action-{action.pk}",
                    f"Action for {action.agency.name}, by {text(action.due_date)}",
                    f"{action.what} ({action.get_status_display().lower()})",
                )
            for referral in plan.service_referrals.all():
                entry.add(
                    f"service-{referral.pk}",
                    f"Referred to {referral.service.name}",
                    f"{referral.get_status_display()}{f': {referral.note}' if referral.note else ''}",
                )
        for review in read(Review.objects.filter(case=case)).order_by("held_on"):
            entry = section.item(f"review-{review.pk}", "Review", f"Review on {text(review.held_on)}", review.held_on)
            for key, label, value in (
                ("child_feels_safe", "How safe you said you feel (0 to 10)", review.child_feels_safe),
                ("child_wellbeing", "How you said you are (0 to 10)", review.child_wellbeing),
                ("practitioner_rating", "Practitioner's rating (0 to 10)", review.practitioner_rating),
                ("school_attendance", "School attendance (%)", review.school_attendance),
                (
                    "missing_episodes_since_last",
                    "Times missing since the last review",
                    review.missing_episodes_since_last,
                ),
                ("what_changed", "What has changed", review.what_changed),
                ("next_review_date", "Next review", review.next_review_date),
            ):
                entry.add(key, label, value)


def _missing(bundle, read, person):
    from hoth.cases.models import MissingEpisode

    section = bundle.section("missing", "Times you were missing")
    episodes = (
        read(MissingEpisode.objects.filter(person=person)).select_related("reported_by_agency").order_by("started_at")
    )
    for e in episodes:
        item = section.item(
            f"missing-{e.pk}", "Missing episode", f"{e.get_kind_display()} from {text(e.started_at)}", e.started_at
        )
        for key, label, value in (
            ("ended_at", "Came back", e.ended_at),
            ("reported_by", "Reported by", e.reported_by),
            ("police_reference", "Police reference", e.police_reference),
            ("where_found", "Where found", e.where_found),
            ("condition", "How you were", e.get_condition_on_return_display() if e.condition_on_return else ""),
            ("notes", "Notes", e.notes),
        ):
            item.add(key, label, value)
        item.add(
            "who_with",
            "Who you were with",
            e.who_with,
            bundle=bundle,
            redact=THIRD_PARTY,
            why="the people found with the child",
        )
        interview = getattr(e, "return_interview", None)
        if interview is not None:
            item.add("interview", "Return home interview", interview.get_outcome_display())
            item.add("interview_held", "Interview held", interview.held_at)
            item.add("interviewer", "Interviewer", interview.interviewer)
            item.add("child_said", "What you said", interview.child_said)


def _meetings(bundle, read, person):
    from hoth.panels.models import AgendaItem

    section = bundle.section("meetings", "Meetings that discussed you")
    items = (
        read(AgendaItem.objects.filter(person=person))
        .exclude(status=AgendaItem.Status.REMOVED)
        .select_related("meeting", "referral")
        .prefetch_related("contributions__agency", "actions__owner_agency")
        .order_by("meeting__starts_at")
    )
    for agenda in items:
        meeting = agenda.meeting
        item = section.item(
            f"agenda-{agenda.pk}",
            meeting.get_kind_display(),
            f"{meeting.get_kind_display()}, {text(meeting.starts_at)}",
            meeting.starts_at,
        )
        for key, label, value in (
            ("section", "Discussed under", agenda.get_section_display() if agenda.section else ""),
            ("referral", "Referral", agenda.referral.reference if agenda.referral_id else ""),
            ("decision", "Decision", agenda.get_decision_display() if agenda.decision else ""),
            ("panel_decision", "Panel decision", agenda.get_panel_decision_display() if agenda.panel_decision else ""),
            ("rationale", "Why", agenda.rationale),
            ("advice", "Advice given", agenda.advice),
        ):
            item.add(key, label, value)
        for contribution in agenda.contributions.all():
            item.add(f"contribution-{contribution.pk}", f"From {contribution.agency.name}", contribution.text)
        for action in agenda.actions.all():
            item.add(
                f"action-{action.pk}",
                f"Action for {action.owner_agency.name}, by {text(action.due_date)}",
                action.description,
            )


# ---------------------------------------------------------------- intelligence and disruption


def _withheld_intelligence(report):
    from hoth.intelligence import grading

    if not report.is_graded:
        return False
    return grading.sharing(report.scheme, report.handling_code) != "P"


def _intelligence(bundle, read, person):
    from hoth.intelligence.models import IntelligenceReport

    section = bundle.section("intelligence", "Intelligence that names you")
    about = IntelligenceReport.objects.filter(about_person=person)
    named = IntelligenceReport.objects.filter(mentions__subject__person=person)
    reports = (
        read(about | named)
        .distinct()
        .select_related("submitted_by_agency", "place")
        .prefetch_related("harm_types", "mentions__subject__person")
        .order_by("submitted_at")
    )
    for r in reports:
        item = section.item(
            f"intelligence-{r.pk}", "Intelligence", f"Intelligence {r.reference}", r.submitted_at, r.reference
        )
        if _withheld_intelligence(r):
            bundle.default(CRIME, "intelligence handled under conditions", item=item.key)
        for key, label, value in (
            ("happened_on", "When", r.happened_on),
            ("where", "Where", r.where or (r.place.name if r.place else "")),
            ("harm_types", "Concerns", ", ".join(h.name for h in r.harm_types.all())),
            ("what", "What was seen, heard or found", r.what),
            ("grading", "Grading", r.grading),
        ):
            item.add(key, label, value)
        item.add(
            "who",
            "The people involved",
            r.who,
            bundle=bundle,
            redact=THIRD_PARTY,
            why="other people the intelligence describes",
        )
        why = "who gave the intelligence, and how they know"
        item.add("how_known", "How it is known", r.get_how_known_display(), bundle=bundle, redact=CRIME, why=why)
        item.add(
            "how_known_detail", "More about how it is known", r.how_known_detail, bundle=bundle, redact=CRIME, why=why
        )
        item.add("submitted_by", "Given by", r.submitted_by_agency.name, bundle=bundle, redact=CRIME, why=why)
        for mention in r.mentions.all():
            if mention.subject.person_id:
                bundle.third_party(mention.subject.person, "other people the intelligence names")


def _links(bundle, read, person):
    from hoth.intelligence.models import Link, Subject

    section = bundle.section("links", "Your connections in the intelligence picture")
    subject = read(Subject.objects.filter(person=person)).first()
    if subject is None:
        return
    item = section.item(
        f"subject-{subject.pk}", "Subject", "You as a subject of intelligence", subject.created_at, subject.reference
    )
    item.add("of_concern", "Of concern", subject.of_concern)
    item.add("concern", "Why", subject.concern, bundle=bundle, redact=CRIME, why="the police's assessment of concern")
    links = (
        read(Link.objects.of(subject))
        .select_related(
            "source__person",
            "source__context",
            "source__vehicle",
            "source__phone",
            "target__person",
            "target__context",
            "target__vehicle",
            "target__phone",
        )
        .order_by("created_at")
    )
    for link in links:
        other = link.other_end(subject)
        entry = section.item(f"link-{link.pk}", "Link", f"{link.get_type_display()}", link.created_at)
        entry.add("status", "Status", link.get_status_display())
        if other.person_id:
            bundle.third_party(other.person, "other people linked to you")
            entry.add(
                "other", "With", other.name, bundle=bundle, redact=THIRD_PARTY, why="another person linked to you"
            )
        else:
            entry.add("other", "With", other.name)
        for key, label, value in (
            ("role", "Role", link.role),
            ("valid_from", "From", link.valid_from),
            ("valid_to", "Until", link.valid_to),
            ("grading", "Grading", link.grading),
            ("notes", "Notes", link.notes),
        ):
            entry.add(key, label, value)


def _disruption(bundle, read, person):
    from hoth.disruption import flow
    from hoth.disruption.models import DisruptionActivity, DisruptionPlan

    section = bundle.section("disruption", "Disruption: orders, notices and other action")
    against = read(DisruptionActivity.objects.filter(subject__person=person))
    protecting = read(DisruptionActivity.objects.filter(children=person))
    for activity in (
        (against | protecting)
        .distinct()
        .select_related("tactic", "lead_agency", "subject__person", "subject__context")
        .prefetch_related("breaches", "children")
        .order_by("created_at")
    ):
        mine = activity.subject.person_id == person.pk
        item = section.item(
            f"disruption-{activity.pk}",
            "Disruption activity",
            f"{activity.tactic.name}{'' if mine else ' (to protect you)'}",
            activity.created_at,
            activity.reference,
        )
        if mine and activity.status in (flow.PLANNED, flow.APPLIED):
            bundle.default(CRIME, "action not yet taken", item=item.key)
        for key, label, value in (
            ("status", "Status", activity.status_label),
            ("lead_agency", "Lead agency", activity.lead_agency.name),
            ("applied_on", "Applied for", activity.applied_on),
            ("granted_on", activity.started_label, activity.granted_on),
            ("expires_on", "Expires", activity.expires_on),
            ("ended_on", "Ended", activity.ended_on),
        ):
            item.add(key, label, value)
        if mine:
            item.add("details", "Conditions and details", activity.details)
            item.add("outcome", "Outcome", activity.outcome)
            for breach in activity.breaches.all():
                item.add(
                    f"breach-{breach.pk}",
                    f"Breach on {text(breach.occurred_on)}",
                    f"{breach.what}; {breach.get_action_display().lower()}",
                )
        else:
            # Against someone else: who it is against is theirs.
            item.add(
                "against",
                "Against",
                activity.subject.name,
                bundle=bundle,
                redact=THIRD_PARTY,
                why="the person the action is against",
            )
            if activity.subject.person_id:
                bundle.third_party(activity.subject.person, "the person the action is against")
        for child in activity.children.all():
            bundle.third_party(child, "other children the action protects")
    for plan in read(DisruptionPlan.objects.filter(subject__person=person)).prefetch_related("reviews"):
        item = section.item(
            f"disruption-plan-{plan.pk}", "Disruption plan", "The disruption plan about you", plan.created_at
        )
        item.add("status", "Status", plan.get_status_display())
        item.add(
            "objective",
            "What it means to achieve",
            plan.objective,
            bundle=bundle,
            redact=CRIME if plan.is_open else "",
            why="the plan against you, while it is open",
        )
        for review in plan.reviews.all():
            item.add(
                f"review-{review.pk}",
                f"Reviewed {text(review.reviewed_on)}",
                f"{review.get_decision_display()}: {review.what_changed}",
            )


def _contexts(bundle, read, person):
    from hoth.cases.models import AssessedContext
    from hoth.contexts.models import Context
    from hoth.intelligence.models import Link

    section = bundle.section("contexts", "Places and groups in your record")
    ids = set(read(AssessedContext.objects.filter(assessment__case__person=person)).values_list("contexts", flat=True))
    links = Link.objects.filter(source__person=person) | Link.objects.filter(target__person=person)
    for link in read(links).select_related("source", "target"):
        for end in (link.source, link.target):
            if end.context_id:
                ids.add(end.context_id)
    for context in read(Context.objects.filter(pk__in=[i for i in ids if i])).order_by("name"):
        item = section.item(
            f"context-{context.pk}", context.get_kind_display(), context.name, reference=context.reference
        )
        item.add("kind", "What it is", context.get_kind_display())
        item.add("town", "Town", context.town)


def _tasks_and_notifications(bundle, read, person):
    from hoth.notifications.models import Notification
    from hoth.notifications.retention import about
    from hoth.tasks.models import Task

    section = bundle.section("work", "Tasks and messages about you")
    for task in read(Task.objects.filter(person=person)).select_related("owner_agency").order_by("due_date"):
        item = section.item(f"task-{task.pk}", "Task", task.title, task.created_at)
        item.add("owner", "For", task.owner_agency.name)
        item.add("due", "Due", task.due_date)
        item.add("status", "Status", task.get_status_display())
        item.add("details", "Details", task.details)
    for note in read(Notification.objects.filter(about(person))).select_related("user__agency").order_by("created_at"):
        item = section.item(f"notification-{note.pk}", "Message to staff", note.subject, note.created_at)
        item.add("to", "To", _who(note.user))
        item.add("body", "Message", note.body)


def _access(bundle, read, person):
    from hoth.accounts.models import Role
    from hoth.audit.models import AuditEvent
    from hoth.audit.views import what_happened

    section = bundle.section("access", "Who has seen your record")
    events = read(AuditEvent.objects.filter(people__person_id=person.pk)).select_related("user__agency").order_by("id")
    item = None
    for event in events.iterator(chunk_size=2000):
        if item is None:
            item = section.item(f"access-{person.pk}", "Access record", "Every time your record was seen or changed")
        who = event.user.full_name if event.user_id else event.actor
        roles = ", ".join(Role(code).label for code in event.roles.split(",") if code in Role.values)
        item.add(
            f"event-{event.pk}",
            text(event.at),
            f"{what_happened(event, person.pk)}: {who}{f' ({roles})' if roles else ''}, {event.agency}",
        )
