"""Forms for the plan and its reviews. Each form that changes the plan
carries the plan version it was read at (optimistic locking)."""

from django import forms

from hoth.accounts.models import Role, User
from hoth.concurrent_edits import ShowProblems, VersionedForm
from hoth.directory.models import Service
from hoth.home.forms import GovukDateField

from .models import PlanAction, ServiceReferral


class PlanForm(VersionedForm):
    goals = forms.CharField(
        label="Goals",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One goal on each line, in words the child would use. For example: I feel safe walking to school",
    )
    child_wants = forms.CharField(
        label="What I want to happen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The child's own words, as they said them",
    )
    child_trusts = forms.CharField(
        label="Who I trust",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The people the child says they can go to",
    )
    family_views = forms.CharField(
        label="What the family think", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    review_date = GovukDateField(label="Review date", required=False, help_text="For example, 27 3 2027")

    def goal_list(self):
        return [line.strip() for line in self.cleaned_data["goals"].splitlines() if line.strip()]


def owner_choices():
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
    return [("", "Choose who will do it")] + [(u.pk, f"{u.full_name} ({u.agency.name})") for u in users]


class ActionForm(VersionedForm):
    what = forms.CharField(
        label="What will be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what will be done"},
    )
    owner = forms.TypedChoiceField(
        label="Who will do it",
        coerce=int,
        help_text="They get a task, due on the date below",
        error_messages={"required": "Choose who will do it"},
    )
    due_date = GovukDateField(
        label="Due date", help_text="For example, 27 3 2027", error_messages={"required": "Enter the due date"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owner_choices()

    def clean_owner(self):
        user = User.objects.filter(pk=self.cleaned_data["owner"], is_active=True).select_related("agency").first()
        if user is None:
            raise forms.ValidationError("Choose who will do it")
        return user


class ActionUpdateForm(VersionedForm):
    status = forms.ChoiceField(
        label="Where is this action up to?",
        widget=forms.RadioSelect,
        choices=PlanAction.Status.choices,
        error_messages={"required": "Choose where this action is up to"},
    )
    due_date = GovukDateField(label="Due date", error_messages={"required": "Enter the due date"})


def service_choices():
    services = Service.objects.published().order_by("name").values_list("pk", "name", "provider")
    return [("", "Choose a service")] + [(pk, f"{name} ({provider})") for pk, name, provider in services]


class ReferralForm(VersionedForm):
    service = forms.TypedChoiceField(
        label="Which service",
        coerce=int,
        help_text="Services in the support directory",
        error_messages={"required": "Choose a service"},
    )
    status = forms.ChoiceField(
        label="Where is the referral up to?",
        widget=forms.RadioSelect,
        choices=ServiceReferral.Status.choices[:2],
        error_messages={"required": "Choose where the referral is up to"},
    )
    on = GovukDateField(
        label="Date",
        allow_future=False,
        help_text="When it was proposed or the referral was made",
        error_messages={"required": "Enter the date"},
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = service_choices()

    def clean_service(self):
        service = Service.objects.published().filter(pk=self.cleaned_data["service"]).first()
        if service is None:
            raise forms.ValidationError("Choose a service")
        return service


class ReferralUpdateForm(VersionedForm):
    status = forms.ChoiceField(
        label="Where is the referral up to?",
        widget=forms.RadioSelect,
        choices=ServiceReferral.Status.choices,
        error_messages={"required": "Choose where the referral is up to"},
    )
    on = GovukDateField(
        label="Date it reached this stage", allow_future=False, error_messages={"required": "Enter the date"}
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))


RATING_HELP = "0 is the worst it could be, 10 the best"


class ReviewForm(ShowProblems, forms.Form):
    held_on = GovukDateField(
        label="Date of the review", allow_future=False, error_messages={"required": "Enter the date of the review"}
    )
    child_feels_safe = forms.IntegerField(
        label="How safe does the child feel, from 0 to 10?",
        required=False,
        min_value=0,
        max_value=10,
        help_text="In the child's own rating. Leave empty if they chose not to say. " + RATING_HELP,
        error_messages={
            "invalid": "The rating must be a whole number from 0 to 10",
            "min_value": "The rating must be a whole number from 0 to 10",
            "max_value": "The rating must be a whole number from 0 to 10",
        },
    )
    child_wellbeing = forms.IntegerField(
        label="How happy and well does the child feel, from 0 to 10?",
        required=False,
        min_value=0,
        max_value=10,
        help_text="In the child's own rating. Leave empty if they chose not to say. " + RATING_HELP,
        error_messages={
            "invalid": "The rating must be a whole number from 0 to 10",
            "min_value": "The rating must be a whole number from 0 to 10",
            "max_value": "The rating must be a whole number from 0 to 10",
        },
    )
    practitioner_rating = forms.IntegerField(
        label="Your rating of how safe the child is, from 0 to 10",
        min_value=0,
        max_value=10,
        help_text=RATING_HELP,
        error_messages={
            "required": "Enter your rating from 0 to 10",
            "invalid": "The rating must be a whole number from 0 to 10",
            "min_value": "The rating must be a whole number from 0 to 10",
            "max_value": "The rating must be a whole number from 0 to 10",
        },
    )
    school_attendance = forms.DecimalField(
        label="School attendance since the last review (%)",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        help_text="A percentage, for example 86.5. Leave empty if not in school",
        error_messages={
            "invalid": "School attendance must be a percentage from 0 to 100",
            "min_value": "School attendance must be a percentage from 0 to 100",
            "max_value": "School attendance must be a percentage from 0 to 100",
            "max_digits": "School attendance must be a percentage from 0 to 100",
            "max_decimal_places": "Give school attendance to one decimal place at most",
        },
    )
    what_changed = forms.CharField(
        label="What has changed since the last review",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what has changed since the last review"},
    )
    next_review_date = GovukDateField(
        label="Date of the next review", error_messages={"required": "Enter the date of the next review"}
    )
