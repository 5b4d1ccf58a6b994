"""Forms for recording a context."""

from django import forms

from hoth.accounts.models import User
from hoth.home.forms import GovukDateField, TimeField
from hoth.people.forms.register import clean_postcode_value
from hoth.referrals.models import HarmType

from .models import Context, ContextAction, ContextAssessment, ContextReview, Incident


class ContextForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=Context.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is a place, a peer group, a school or an online space"},
    )
    name = forms.CharField(
        label="What do people call it?",
        max_length=200,
        help_text="For example, Queens Park skate area, or the Mill Street group",
        error_messages={"required": "Enter what people call the place, group, school or space"},
    )
    place_type = forms.ChoiceField(
        label="Type of place",
        choices=[("", "Not a place, or not known")] + list(Context.PlaceType.choices),
        required=False,
    )
    address = forms.CharField(label="Address or description of where it is", max_length=300, required=False)
    town = forms.CharField(label="Town", max_length=80, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    platform = forms.CharField(
        label="Platform or app",
        max_length=80,
        required=False,
        help_text="For an online space, for example Snapchat or Discord",
    )
    handle = forms.CharField(label="Account, group or channel", max_length=200, required=False)
    description = forms.CharField(
        label="Describe it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who goes there or is part of it, when, and what you know happens. Kept encrypted.",
    )

    def clean_postcode(self):
        return clean_postcode_value(self.cleaned_data.get("postcode"))

    def clean(self):
        data = super().clean()
        if data.get("kind") == Context.Kind.ONLINE and not (data.get("platform") or data.get("handle")):
            self.add_error("platform", "Enter the platform or app, or the account, group or channel")
        if data.get("place_type") and data.get("kind") not in (Context.Kind.PLACE, Context.Kind.SCHOOL):
            self.add_error("place_type", "Only a place or a school has a type of place: choose 'Not a place'")
        return data


# ------------------------------------------------------------ Level 2 (issue 5)


class ContextSearchForm(forms.Form):
    q = forms.CharField(label="Name, town, postcode or handle", max_length=100, required=False)
    kind = forms.ChoiceField(label="What", required=False, choices=[("", "Anything")] + list(Context.Kind.choices))
    open_work = forms.BooleanField(label="Only those with Level 2 work open", required=False)


class AssessmentForm(forms.Form):
    who_uses = forms.CharField(
        label="Who uses it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Children and young people, adults, staff, residents",
        error_messages={"required": "Say who uses it"},
    )
    when_used = forms.CharField(
        label="When?",
        max_length=300,
        required=False,
        help_text="Days, times and seasons, for example 'evenings and weekends, more in the summer holidays'",
    )
    dynamics = forms.CharField(
        label="What happens there?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The dynamics: how children are drawn in, who holds power, what is normal there",
        error_messages={"required": "Say what happens there"},
    )
    risks = forms.CharField(
        label="What are the risks?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the risks are"},
    )
    protective_factors = forms.CharField(
        label="What protects children there?", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    guardians = forms.CharField(
        label="Who could act as guardians?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Staff, residents, businesses or services who could make it safer",
    )
    concern = forms.ChoiceField(
        label="How concerned is the partnership?",
        choices=ContextAssessment.Concern.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how concerned the partnership is about it"},
    )


class ActionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of action?",
        choices=ContextAction.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of action it is"},
    )
    description = forms.CharField(
        label="What is to be done?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what is to be done"},
    )
    owner = forms.ModelChoiceField(
        label="Who will do it?", queryset=User.objects.none(), error_messages={"required": "Select who will do it"}
    )
    due_date = GovukDateField(label="Date it is due", error_messages={"required": "Enter the date it is due"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True, is_service_account=False)
            .select_related("agency")
            .order_by("agency__name", "full_name")
        )
        self.fields["owner"].label_from_instance = lambda u: f"{u.full_name}, {u.agency.name}"


class ReviewForm(forms.Form):
    reviewed_on = GovukDateField(
        label="Date of the review", allow_future=False, error_messages={"required": "Enter the date of the review"}
    )
    summary = forms.CharField(
        label="What has changed?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what has changed since the plan began"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ContextReview.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the review"},
    )
    next_review_on = GovukDateField(
        label="Date of the next review", required=False, help_text="Needed when the plan continues"
    )


class IncidentForm(forms.Form):
    occurred_on = GovukDateField(
        label="Date it happened", allow_future=False, error_messages={"required": "Enter the date it happened"}
    )
    occurred_time = TimeField(label="Time it happened", required=False)
    kind = forms.ChoiceField(
        label="What happened?",
        choices=Incident.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of incident it was"},
    )
    harm_type = forms.ModelChoiceField(
        label="Kind of harm", required=False, empty_label="Not known", queryset=HarmType.objects.filter(is_active=True)
    )
    description = forms.CharField(
        label="Describe it", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Kept encrypted"
    )
    police_reference = forms.CharField(label="Police reference", max_length=40, required=False)
