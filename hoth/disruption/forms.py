"""Forms for disruption and its tactics. Each error says how to put it right;
the services refuse the same things, so the pages and the generator agree."""

import re

from django import forms
from django.db.models import Q

from hoth.accounts.models import Agency, AgencyType, Role, User
from hoth.home.forms import GovukDateField
from hoth.intelligence.models import IntelligenceReport, Link, Subject
from hoth.people.models import Person

from . import flow
from .models import Breach, DisruptionPlanReview, OutcomeAssessment, TacticKind

_SEPARATORS = re.compile(r"[\s,;]+")
CHILD_REFERENCES_HINT = "Their references, like P-7KQ2M9X, separated by commas. Only children you may see."
INTELLIGENCE_HINT = "The references of graded intelligence, like I-7KQ2M9X, separated by commas"


def references(text):
    return [part.upper() for part in _SEPARATORS.split(text or "") if part]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name}, {user.agency.name}"


def disruption_workers():
    """Who can lead on disruption or own a plan: those who work with
    intelligence (the services check each against the subject)."""
    return (
        User.objects.filter(is_active=True, is_service_account=False)
        .filter(
            Q(role_assignments__role__in=[Role.ANALYST, Role.COORDINATOR, Role.PANEL_CHAIR])
            | Q(role_assignments__role=Role.PRACTITIONER, agency__type=AgencyType.POLICE)
        )
        .select_related("agency")
        .distinct()
        .order_by("full_name", "pk")
    )


def _agencies():
    return Agency.objects.filter(is_active=True).order_by("name")


def candidate_children(user, subject):
    """Children the user may see who are linked to the subject (current,
    accepted links the user may see): the ones a disruption is usually for."""
    ids = set()
    for link in Link.objects.visible_to(user).current().of(subject).select_related("source__person", "target__person"):
        other = link.other_end(subject)
        if other.kind == Subject.Kind.PERSON and other.person.is_child:
            ids.add(other.person_id)
    return list(Person.objects.visible_to(user).filter(pk__in=ids).order_by("family_name", "given_names", "pk"))


class ChildrenFields(forms.Form):
    """The children an activity protects: those linked to the subject, ticked,
    and any others by reference. Gives `linked_children` in cleaned_data."""

    children = forms.MultipleChoiceField(
        label="Children it is meant to protect",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Children linked to this subject that you may see",
    )
    other_children = forms.CharField(
        label="Other children", required=False, max_length=500, help_text=CHILD_REFERENCES_HINT
    )

    def __init__(self, *args, user, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.candidates = {str(p.pk): p for p in candidates}
        self.fields["children"].choices = [(str(p.pk), f"{p.full_name} ({p.reference})") for p in candidates]
        if not candidates:
            self.fields["children"].widget = forms.MultipleHiddenInput()
            self.fields["other_children"].label = "Children it is meant to protect"

    def clean_other_children(self):
        wanted = references(self.cleaned_data.get("other_children"))
        found = {p.reference: p for p in Person.objects.visible_to(self.user).filter(reference__in=wanted)}
        missing = [r for r in wanted if r not in found]
        if missing:
            raise forms.ValidationError(f"There is no child you may see with the reference {', '.join(missing)}")
        return [found[r] for r in wanted]

    def linked(self):
        chosen = [self.candidates[pk] for pk in self.cleaned_data.get("children", []) if pk in self.candidates]
        seen, people = set(), []
        for person in chosen + self.cleaned_data.get("other_children", []):
            if person.pk not in seen:
                seen.add(person.pk)
                people.append(person)
        return people


class TacticChoiceForm(forms.Form):
    tactic = forms.ChoiceField(
        label="Which tactic?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the tactic", "invalid_choice": "Select the tactic"},
    )

    def __init__(self, *args, tactics, **kwargs):
        super().__init__(*args, **kwargs)
        self.tactics = {t.code: t for t in tactics}
        self.fields["tactic"].choices = [(t.code, t.name) for t in tactics]

    def clean_tactic(self):
        return self.tactics[self.cleaned_data["tactic"]]


def _date(label, hint="", required=False):
    return GovukDateField(label=label, required=required, help_text=hint)


class ActivityForm(ChildrenFields):
    status = forms.ChoiceField(
        label="Where is it now?", widget=forms.RadioSelect, error_messages={"required": "Select where it is now"}
    )
    applied_on = _date("Date applied for", "For example, 3 2 2026")
    granted_on = _date("Date granted", "For example, 17 2 2026")
    expires_on = _date("Expiry date", "The last day it is in force")
    lead_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the lead agency"},
    )
    officer = UserChoiceField(
        label="Lead officer",
        queryset=User.objects.none(),
        empty_label="Choose someone",
        help_text="They are told when it is about to expire",
        error_messages={"required": "Choose the lead officer"},
    )
    details = forms.CharField(
        label="Conditions and details",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Its prohibitions and requirements, the court or officer, anything the "
        "panel should know. Kept encrypted.",
    )
    intelligence = forms.CharField(
        label="Intelligence it rests on", required=False, max_length=500, help_text=INTELLIGENCE_HINT
    )
    plan_objective = forms.CharField(
        label="What should the disruption plan achieve?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is the first disruption against this subject, so it starts "
        "their plan. For example, stop him contacting the children linked to "
        "him.",
    )
    plan_next_review_on = _date("When should the plan first be reviewed?", "Usually at the next panel")

    def __init__(self, *args, tactic, needs_plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.tactic = tactic
        self.fields["status"].choices = [(s, flow.label(tactic.kind, s)) for s in flow.first_statuses(tactic.kind)]
        self.fields["granted_on"].label = flow.started_label(tactic.kind)
        self.fields["applied_on"].label = flow.applied_label(tactic.kind)
        if tactic.has_duration:
            self.fields["expires_on"].help_text += ". Needed once it is in force: orders of this kind always have one"
        if flow.APPLIED not in flow.first_statuses(tactic.kind):
            del self.fields["applied_on"]
        self.fields["lead_agency"].queryset = _agencies()
        self.fields["officer"].queryset = disruption_workers()
        if not needs_plan:
            del self.fields["plan_objective"]
            del self.fields["plan_next_review_on"]

    def clean_intelligence(self):
        return intelligence_from(self.user, self.cleaned_data.get("intelligence"))


def intelligence_from(user, text):
    wanted = references(text)
    found = {
        r.reference: r
        for r in IntelligenceReport.objects.visible_to(user).filter(
            reference__in=wanted, status=IntelligenceReport.Status.GRADED
        )
    }
    missing = [r for r in wanted if r not in found]
    if missing:
        raise forms.ValidationError(
            f"There is no graded intelligence you may read with the reference {', '.join(missing)}"
        )
    return [found[r] for r in wanted]


class ChildrenForm(ChildrenFields):
    pass


class UpdateForm(forms.Form):
    """Move the activity on, or correct its dates."""

    status = forms.ChoiceField(
        label="Where is it now?", widget=forms.RadioSelect, error_messages={"required": "Select where it is now"}
    )
    applied_on = _date("Date applied for")
    granted_on = _date("Date granted")
    expires_on = _date("Expiry date", "The last day it is in force. To record an extension, enter the new date.")
    ended_on = _date("Date it ended", "When it was refused, discharged, completed or withdrawn")

    def __init__(self, *args, activity, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "status": activity.status,
                "applied_on": activity.applied_on,
                "granted_on": activity.granted_on,
                "expires_on": activity.expires_on,
                "ended_on": activity.ended_on,
            },
        )
        super().__init__(*args, **kwargs)
        kind = activity.tactic.kind
        statuses = [activity.status, *flow.next_statuses(kind, activity.status)]
        self.fields["status"].choices = [
            (s, f"{flow.label(kind, s)} (as now)" if s == activity.status else flow.label(kind, s)) for s in statuses
        ]
        self.fields["granted_on"].label = flow.started_label(kind)
        self.fields["applied_on"].label = flow.applied_label(kind)
        if flow.APPLIED not in flow.TRANSITIONS[kind][flow.PLANNED] and not activity.applied_on:
            del self.fields["applied_on"]  # a notice is issued, a patrol started: nothing is applied for


class BreachForm(forms.Form):
    occurred_on = GovukDateField(
        label="Date of the breach",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the breach"},
    )
    what = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Which condition was breached, and how it came to light. Kept encrypted.",
        error_messages={"required": "Say what happened"},
    )
    action = forms.ChoiceField(
        label="What action was taken?",
        choices=Breach.Action.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action taken"},
    )
    action_details = forms.CharField(
        label="More about the action", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    police_reference = forms.CharField(label="Police reference", required=False, max_length=40)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label="What came of it?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, he has not been seen with the children since. Kept encrypted.",
        error_messages={"required": "Say what came of it"},
    )
    outcome_assessment = forms.ChoiceField(
        label="Did it disrupt the exploitation?",
        choices=OutcomeAssessment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it disrupted the exploitation"},
    )


class ReviewForm(forms.Form):
    reviewed_on = GovukDateField(
        label="Date of the review", error_messages={"required": "Enter the date of the review"}
    )
    what_changed = forms.CharField(
        label="What has changed since the plan began or was last reviewed?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Kept encrypted.",
        error_messages={"required": "Say what has changed since the plan began or was last reviewed"},
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=DisruptionPlanReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    next_review_on = GovukDateField(
        label="Date of the next review", required=False, help_text="Not needed if the plan closes"
    )
    objective = forms.CharField(
        label="What the plan should now achieve",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only if the plan changes",
    )
    owner = UserChoiceField(
        label="Owner of the plan",
        queryset=User.objects.none(),
        required=False,
        empty_label="Keep the owner",
        help_text="Only if the plan changes",
    )
    lead_agency = forms.ModelChoiceField(
        label="Lead agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Keep the lead agency",
        help_text="Only if the plan changes",
    )

    def __init__(self, *args, plan, **kwargs):
        kwargs.setdefault("initial", {"objective": plan.objective})
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = disruption_workers()
        self.fields["lead_agency"].queryset = _agencies()

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if (
            decision
            and decision != DisruptionPlanReview.Decision.CLOSE
            and not cleaned.get("next_review_on")
            and "next_review_on" not in self.errors
        ):
            self.add_error("next_review_on", "Enter the date of the next review")
        return cleaned


# ---------------------------------------------------------------- the lists

EXPIRING_HINT = "In force, with an expiry date in the next {days} days"


class ActivityFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), ("open", "Planned, applied for or in force")]
        + [(s, flow.LABELS[s]) for s in flow.STATUSES],
    )
    kind = forms.ChoiceField(label="Kind of tactic", required=False, choices=[("", "Any kind")] + TacticKind.choices)
    expiring = forms.BooleanField(label="Expiring soon", required=False)

    def __init__(self, *args, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expiring"].help_text = EXPIRING_HINT.format(days=days)


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), ("open", "Open"), ("closed", "Closed")]
    )
    kind = forms.ChoiceField(
        label="Has a tactic of this kind", required=False, choices=[("", "Any kind")] + TacticKind.choices
    )
    expiring = forms.BooleanField(label="Expiring soon", required=False)
    review_due = forms.BooleanField(label="Review overdue", required=False)

    def __init__(self, *args, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expiring"].help_text = f"Plans with something in force that expires in the next {days} days"


# ---------------------------------------------------------------- the catalogue


class TacticForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the tactic's name"})
    kind = forms.ChoiceField(
        label="Kind of tactic",
        choices=TacticKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of tactic"},
    )
    statute = forms.CharField(
        label="Statute",
        max_length=300,
        required=False,
        help_text="The Act and section, for example Section 122A Sexual Offences Act 2003",
    )
    statute_verified = forms.BooleanField(label="The statute has been checked against the legislation", required=False)
    who_can_apply = forms.CharField(
        label="Who can apply or use it", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    thresholds = forms.CharField(
        label="Thresholds",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What must be shown, or be true, for it to be used",
    )
    duration_notes = forms.CharField(
        label="How long it lasts", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    has_duration = forms.BooleanField(
        label="It always has an expiry date, which must be recorded once it is in force", required=False
    )
    subject_kinds = forms.MultipleChoiceField(
        label="What it can be used against",
        choices=Subject.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one kind of subject"},
    )

    def __init__(self, *args, tactic=None, **kwargs):
        self.tactic = tactic
        if tactic is not None:
            kwargs.setdefault("initial", {name: getattr(tactic, name) for name in TACTIC_FIELDS})
        super().__init__(*args, **kwargs)

    def clean_name(self):
        from .models import Tactic

        name = " ".join(self.cleaned_data["name"].split())
        taken = Tactic.objects.filter(name__iexact=name)
        if self.tactic is not None:
            taken = taken.exclude(pk=self.tactic.pk)
        if taken.exists():
            raise forms.ValidationError(f"There is already a tactic called {name}")
        return name

    def clean_subject_kinds(self):
        chosen = set(self.cleaned_data["subject_kinds"])
        return [value for value in Subject.Kind.values if value in chosen]


TACTIC_FIELDS = (
    "name",
    "kind",
    "statute",
    "statute_verified",
    "who_can_apply",
    "thresholds",
    "duration_notes",
    "has_duration",
    "subject_kinds",
)
