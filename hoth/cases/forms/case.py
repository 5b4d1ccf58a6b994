"""Forms for opening and running a case: editing it, its team, notes, the contextual
assessment, closure, reopening and NRM referrals. Each form that changes the
case carries the version of the case it was read at (optimistic locking)."""

from django import forms
from django.db.models import Q

from hoth.accounts.models import Agency, Role, User
from hoth.cases import casework
from hoth.cases.models import CaseNote, CaseStatusChange, ContextKind, NrmReferral
from hoth.concurrent_edits import ShowProblems, VersionedForm
from hoth.contexts.models import Context
from hoth.home.forms import GovukDateField
from hoth.people.models import SharingDecision
from hoth.referrals.models import HarmType


class CaseEditForm(VersionedForm):
    lead_professional = forms.TypedChoiceField(
        label="Lead professional", coerce=int, error_messages={"required": "Choose the lead professional"}
    )
    harm_types = forms.MultipleChoiceField(
        label="Harm types of concern", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_professional"].choices = lead_professional_choices()
        self.fields["harm_types"].choices = [(str(h.pk), h.name) for h in HarmType.objects.filter(is_active=True)]

    def clean_lead_professional(self):
        user = User.objects.filter(pk=self.cleaned_data["lead_professional"], is_active=True).first()
        if user is None:
            raise forms.ValidationError("Choose the lead professional")
        return user

    def clean_harm_types(self):
        return list(HarmType.objects.filter(pk__in=self.cleaned_data["harm_types"]))


def member_choices():
    users = (
        User.objects.filter(
            is_active=True,
            is_service_account=False,
            role_assignments__role__in=[Role.PRACTITIONER, Role.COORDINATOR, Role.PANEL_CHAIR],
        )
        .select_related("agency")
        .distinct()
        .order_by("agency__name", "full_name")
    )
    return [("", "Choose someone")] + [(u.pk, f"{u.full_name} ({u.agency.name})") for u in users]


class MemberForm(ShowProblems, forms.Form):
    member = forms.TypedChoiceField(
        label="Who is joining the team", coerce=int, error_messages={"required": "Choose who is joining the team"}
    )
    role = forms.CharField(
        label="Their role in the case",
        max_length=120,
        help_text="For example, youth worker or school safeguarding lead",
        error_messages={"required": "Say what their role in the case is"},
    )
    what = forms.CharField(
        label="What you are sharing with them",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only if they are from another agency than the lead professional's",
    )
    why = forms.CharField(label="Why they need to know", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.ChoiceField(
        label="Did the child or family agree to this sharing?",
        required=False,
        widget=forms.RadioSelect,
        choices=SharingDecision.Consent.choices,
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing without consent",
        required=False,
        choices=[("", "Choose a lawful basis")]
        + [c for c in SharingDecision.LawfulBasis.choices if c[0] != SharingDecision.LawfulBasis.CONSENT],
    )
    consent_reason = forms.CharField(
        label="Why consent was refused or not sought, and why you are sharing",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = member_choices()

    def clean_member(self):
        user = User.objects.filter(pk=self.cleaned_data["member"], is_active=True).select_related("agency").first()
        if user is None:
            raise forms.ValidationError("Choose who is joining the team")
        return user

    def sharing(self):
        return {k: self.cleaned_data.get(k, "") for k in ("what", "why", "lawful_basis", "consent", "consent_reason")}


class NoteForm(ShowProblems, forms.Form):
    happened_on = GovukDateField(
        label="Date of the contact",
        allow_future=False,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the contact"},
    )
    kind = forms.ChoiceField(
        label="Type of contact",
        choices=CaseNote.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of contact"},
    )
    who = forms.CharField(
        label="Who was there or spoken to",
        max_length=500,
        error_messages={"required": "Say who was there or spoken to"},
    )
    what = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Kept encrypted",
        error_messages={"required": "Say what happened"},
    )
    restricted_to = forms.MultipleChoiceField(
        label="Restrict this note to these agencies",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty for everyone on the case. If you choose agencies, only their users and you see it",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["restricted_to"].choices = [
            (str(a.pk), a.name) for a in Agency.objects.filter(is_active=True).order_by("name")
        ]

    def clean_restricted_to(self):
        return list(Agency.objects.filter(pk__in=self.cleaned_data["restricted_to"]))


class AssessmentForm(VersionedForm):
    primary_context = forms.ChoiceField(
        label="Which context must change first for the child to be safer?",
        choices=ContextKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the context that must change first for the child to be safer"},
    )
    primary_reason = forms.CharField(
        label="Why this context first",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why this context must change first"},
    )

    def __init__(self, *args, user, linked=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only places and groups the user may see, and those the assessment already names.
        offered = Context.objects.filter(
            Q(pk__in=Context.objects.visible_to(user).values("pk")) | Q(pk__in=list(linked))
        )
        self.offered = {c.pk: c for c in offered.order_by("name")[:300]}
        contexts = [(str(c.pk), f"{c.name} ({c.get_kind_display()})") for c in self.offered.values()]
        for kind, label in ContextKind.choices:
            self.fields[f"{kind}_strengths"] = forms.CharField(
                label=f"{label}: strengths", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"{kind}_risks"] = forms.CharField(
                label=f"{label}: risks", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"{kind}_contexts"] = forms.MultipleChoiceField(
                label=f"{label}: places and groups recorded",
                required=False,
                choices=contexts,
                widget=forms.SelectMultiple(attrs={"class": "govuk-select"}),
            )
        self.order_fields(
            ["version"]
            + [f"{k}_{p}" for k in ContextKind.values for p in ("strengths", "risks", "contexts")]
            + ["primary_context", "primary_reason"]
        )

    def groups(self):
        return [
            (label, self[f"{kind}_strengths"], self[f"{kind}_risks"], self[f"{kind}_contexts"])
            for kind, label in ContextKind.choices
        ]

    def entries(self):
        data = self.cleaned_data
        return {
            kind: {
                "strengths": data.get(f"{kind}_strengths", ""),
                "risks": data.get(f"{kind}_risks", ""),
                "contexts": [self.offered[int(pk)] for pk in data.get(f"{kind}_contexts") or []],
            }
            for kind in ContextKind.values
        }


class CloseForm(VersionedForm):
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=CaseStatusChange.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the case is closing"},
    )
    reason_other = forms.CharField(label="Other reason", required=False, max_length=300)
    receiving_area = forms.CharField(label="Partnership or area they have moved to", required=False, max_length=200)
    transfer_summary = forms.CharField(
        label="Transfer summary for the receiving partnership", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    adult_services_transition = forms.CharField(
        label="Transition to adult services", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome_summary = forms.CharField(
        label="Outcome summary",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What changed for the child, and what helped",
        error_messages={"required": "Write an outcome summary"},
    )

    def clean(self):
        # The service's questions are asked here too, so that every problem
        # shows in one round (a missing outcome summary would otherwise stop
        # the form before the service is asked about the reason's details).
        data = super().clean()
        problems = casework.closure_problems(
            **{
                name: data.get(name) or ""
                for name in (
                    "reason",
                    "outcome_summary",
                    "reason_other",
                    "receiving_area",
                    "transfer_summary",
                    "adult_services_transition",
                )
            }
        )
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class ReopenForm(VersionedForm):
    reason = forms.CharField(
        label="Why is the case being reopened?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the case is being reopened"},
    )


class NrmForm(ShowProblems, forms.Form):
    first_responder = forms.CharField(
        label="First responder organisation",
        max_length=200,
        error_messages={"required": "Enter the first responder organisation"},
    )
    referred_on = GovukDateField(
        label="Date of the referral", allow_future=False, error_messages={"required": "Enter the date of the referral"}
    )
    route = forms.ChoiceField(
        label="Who makes the decisions?",
        choices=NrmReferral.Route.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who makes the decisions"},
    )
    rg_decided_on = GovukDateField(label="Date of the reasonable grounds decision", required=False, allow_future=False)
    rg_outcome = forms.ChoiceField(
        label="Reasonable grounds decision",
        required=False,
        widget=forms.RadioSelect,
        choices=NrmReferral.Outcome.choices,
    )
    cg_decided_on = GovukDateField(label="Date of the conclusive grounds decision", required=False, allow_future=False)
    cg_outcome = forms.ChoiceField(
        label="Conclusive grounds decision",
        required=False,
        widget=forms.RadioSelect,
        choices=NrmReferral.Outcome.choices,
    )


def lead_professional_choices():
    users = (
        User.objects.filter(
            is_active=True, is_service_account=False, role_assignments__role__in=[Role.PRACTITIONER, Role.COORDINATOR]
        )
        .select_related("agency")
        .distinct()
        .order_by("agency__name", "full_name")
    )
    return [("", "Choose a lead professional")] + [(u.pk, f"{u.full_name} ({u.agency.name})") for u in users]


class OpenCaseForm(forms.Form):
    lead_professional = forms.TypedChoiceField(
        label="Lead professional",
        coerce=int,
        help_text="They will see the child's record and be told",
        error_messages={"required": "Choose the lead professional"},
    )
    harm_types = forms.MultipleChoiceField(
        label="Harm types of concern", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_professional"].choices = lead_professional_choices()
        self.fields["harm_types"].choices = [(h.pk, h.name) for h in HarmType.objects.filter(is_active=True)]

    def clean_lead_professional(self):
        pk = self.cleaned_data["lead_professional"]
        user = User.objects.filter(pk=pk, is_active=True).first()
        if user is None:
            raise forms.ValidationError("Choose the lead professional")
        return user

    def clean_harm_types(self):
        return list(HarmType.objects.filter(pk__in=self.cleaned_data["harm_types"]))
