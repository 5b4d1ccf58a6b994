"""Forms for partner intelligence, its grading, subjects and links. Each
error names the field and says how to put it right; the services refuse the
same things, so the pages and the import agree."""

from django import forms
from django.utils import timezone

from hoth.accounts.models import Agency
from hoth.home.forms import GovukDateField, RecordsChoiceField, TimeField
from hoth.people.forms.register import clean_postcode_value
from hoth.referrals.models import HarmType

from . import grading
from .models import LINK_DATES_BACKWARDS, Confidence, IntelligenceReport, LinkType, Scheme

REFERENCE_HINT = "The reference on their record, like P-7KQ2M9X"


def _reference(value):
    return (value or "").strip().upper().replace(" ", "")


class SubmitForm(forms.Form):
    what = forms.CharField(
        label="What did you see, hear or find out?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say what happened, in your own words. Kept encrypted.",
        error_messages={"required": "Say what you saw, heard or found out"},
    )
    happened_on = GovukDateField(
        label="Date it happened",
        required=False,
        allow_future=False,
        help_text="For example, 27 3 2026. Leave it empty if you do not know.",
    )
    happened_at_time = TimeField(label="Time it happened", required=False)
    where = forms.CharField(
        label="Where did it happen?",
        max_length=300,
        required=False,
        help_text="A place, street or address, or an online platform",
    )
    postcode = forms.CharField(
        label="Postcode", max_length=10, required=False, help_text="If you know it: it puts the intelligence on the map"
    )
    who = forms.CharField(
        label="Who was involved?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Names, nicknames, descriptions, vehicles, phone numbers",
    )
    about_reference = forms.CharField(
        label="Is it about a child you work with?",
        max_length=12,
        required=False,
        help_text="Their reference, like P-7KQ2M9X. Leave it empty if not.",
    )
    how_known = forms.ChoiceField(
        label="How do you know?",
        choices=IntelligenceReport.HowKnown.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you know"},
    )
    how_known_detail = forms.CharField(
        label="Tell us more about how you know",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, who told you and how they know. Kept encrypted and shown only to analysts and police.",
    )
    harm_types = forms.ModelMultipleChoiceField(
        label="What kinds of harm could it be about?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=HarmType.objects.filter(is_active=True),
        to_field_name="code",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_postcode(self):
        return clean_postcode_value(self.cleaned_data.get("postcode"))

    def clean_about_reference(self):
        from hoth.people.models import Person

        reference = _reference(self.cleaned_data.get("about_reference"))
        if not reference:
            return None
        person = Person.objects.visible_to(self.user).filter(reference=reference).first()
        if person is None:
            raise forms.ValidationError("Enter the reference of a child you work with, like P-7KQ2M9X")
        return person


class GradeForm(forms.Form):
    """3x5x2, with the choices read from the grading codes."""

    source_evaluation = forms.ChoiceField(
        label="Source evaluation", widget=forms.RadioSelect, error_messages={"required": "Select the source evaluation"}
    )
    intelligence_assessment = forms.ChoiceField(
        label="Intelligence assessment",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the intelligence assessment"},
    )
    handling_code = forms.ChoiceField(
        label="Handling code", widget=forms.RadioSelect, error_messages={"required": "Select the handling code"}
    )
    handling_conditions = forms.CharField(
        label="Conditions for sharing",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only for handling code C: who it may be shared with, and for what",
    )
    shared_with = RecordsChoiceField(
        label="Agencies it may be shared with",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=Agency.objects.filter(is_active=True),
        help_text="Only for handling code C",
    )
    sanitised = forms.CharField(
        label="Sanitised version",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What partners may be told: the facts they need to act on, with "
        "nothing that could identify the source",
        error_messages={"required": "Write the sanitised version"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, dimension in (
            ("source_evaluation", grading.SOURCE),
            ("intelligence_assessment", grading.INTELLIGENCE),
            ("handling_code", grading.HANDLING),
        ):
            self.fields[name].choices = grading.choices(dimension)

    def clean(self):
        data = super().clean()
        from .services import grading_problems

        if all(data.get(f) for f in ("source_evaluation", "intelligence_assessment", "handling_code")):
            for field, message in grading_problems(
                Scheme.NATIONAL,
                data["source_evaluation"],
                data["intelligence_assessment"],
                data["handling_code"],
                conditions=data.get("handling_conditions", ""),
                shared_with=data.get("shared_with") or [],
            ).items():
                self.add_error(field if field in self.fields else None, message)
        return data


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        label="Reference", max_length=12, help_text=REFERENCE_HINT, error_messages={"required": "Enter a reference"}
    )

    def clean_reference(self):
        return _reference(self.cleaned_data["reference"])


class SubjectSearchForm(forms.Form):
    q = forms.CharField(label="Name, reference, registration or phone number", max_length=100, required=False)
    kind = forms.ChoiceField(
        label="What",
        required=False,
        choices=[("", "Anything")]
        + [
            (k, label)
            for k, label in [
                ("person", "People"),
                ("place", "Places"),
                ("group", "Groups"),
                ("online", "Online"),
                ("vehicle", "Vehicles"),
                ("phone", "Phones"),
            ]
        ],
    )
    of_concern = forms.BooleanField(label="Only those of concern", required=False)


class VehicleForm(forms.Form):
    registration = forms.CharField(
        label="Registration", max_length=12, error_messages={"required": "Enter the registration, like AB12 CDE"}
    )
    foreign_plate = forms.BooleanField(label="It is a foreign plate", required=False)
    make = forms.CharField(label="Make", max_length=60, required=False)
    model = forms.CharField(label="Model", max_length=60, required=False)
    colour = forms.CharField(label="Colour", max_length=40, required=False)

    def clean(self):
        from hoth.analytics.identifiers import registration_problem

        data = super().clean()
        if data.get("registration"):
            problem = registration_problem(data["registration"], foreign=data.get("foreign_plate", False))
            if problem:
                self.add_error("registration", problem)
        return data


class PhoneForm(forms.Form):
    number = forms.CharField(label="Phone number", max_length=30, error_messages={"required": "Enter the phone number"})
    description = forms.CharField(
        label="What is it?", max_length=200, required=False, help_text="For example, the 'Tiny' line"
    )

    def clean_number(self):
        from hoth.people.forms.register import clean_phone_value

        return clean_phone_value(self.cleaned_data["number"])


class ConcernForm(forms.Form):
    of_concern = forms.TypedChoiceField(
        label="Is this subject of concern?",
        widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        error_messages={"required": "Select yes or no"},
    )
    concern = forms.CharField(
        label="Why?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept encrypted; shown to those who work with intelligence",
    )

    def clean(self):
        data = super().clean()
        if data.get("of_concern") and not (data.get("concern") or "").strip():
            self.add_error("concern", "Say why they are of concern")
        return data


class LinkGradingForm(forms.Form):
    """What accepting or recording a link asks: its kind, grading, dates and confidence."""

    type = forms.ChoiceField(
        label="What kind of link is it?",
        choices=LinkType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of link it is"},
    )
    source_evaluation = forms.ChoiceField(
        label="Source evaluation", widget=forms.RadioSelect, error_messages={"required": "Select the source evaluation"}
    )
    intelligence_assessment = forms.ChoiceField(
        label="Intelligence assessment",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the intelligence assessment"},
    )
    confidence = forms.ChoiceField(
        label="How confident are you in the link?",
        choices=Confidence.choices,
        widget=forms.RadioSelect,
        initial=Confidence.MEDIUM,
        error_messages={"required": "Select how confident you are"},
    )
    valid_from = GovukDateField(
        label="Date the link started",
        required=False,
        help_text="When it was first known to be true. For example, 27 3 2026",
    )
    valid_to = GovukDateField(
        label="Date the link ended", required=False, help_text="Leave it empty while it is current"
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_evaluation"].choices = grading.choices(grading.SOURCE)
        self.fields["intelligence_assessment"].choices = grading.choices(grading.INTELLIGENCE)

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", LINK_DATES_BACKWARDS)
        return data


class NewLinkForm(LinkGradingForm):
    field_order = ["target", "type", "role", "intelligence"]
    target = forms.CharField(
        label="Linked to",
        max_length=12,
        help_text="The reference of the other subject: "
        "a person (P-…), place, group or online space (C-…), vehicle (V-…) or phone (T-…)",
        error_messages={"required": "Enter the reference of the other subject"},
    )
    role = forms.CharField(
        label="Role in the group",
        max_length=120,
        required=False,
        help_text="For membership of a group, for example 'runner' or 'recruiter'",
    )
    intelligence = forms.CharField(
        label="Intelligence it rests on",
        max_length=12,
        required=False,
        help_text="A reference like I-7KQ2M9X. The link takes its grading unless you grade it otherwise.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("source_evaluation", "intelligence_assessment"):
            self.fields[name].required = False
            self.fields[name].help_text = "Leave it to take the intelligence's grading"

    def clean_target(self):
        return _reference(self.cleaned_data["target"])

    def clean_intelligence(self):
        return _reference(self.cleaned_data.get("intelligence"))

    def clean(self):
        data = super().clean()
        if not data.get("intelligence") and not (data.get("source_evaluation") and data.get("intelligence_assessment")):
            self.add_error("source_evaluation", "Grade the link, or give the intelligence it rests on")
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why is it rejected?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the link is rejected"},
    )


class EndLinkForm(forms.Form):
    valid_to = GovukDateField(
        label="Date the link ended", allow_future=False, error_messages={"required": "Enter the date the link ended"}
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"valid_to": timezone.localdate()})
        super().__init__(*args, **kwargs)


class NetworkFilterForm(forms.Form):
    """Which links make the network: a time window and a minimum grading."""

    start = GovukDateField(label="Links valid from", required=False, help_text="Leave both dates empty for today")
    end = GovukDateField(label="Links valid to", required=False)
    min_intelligence = forms.ChoiceField(label="Intelligence assessed at least", required=False)
    max_source = forms.ChoiceField(label="Sources", required=False)
    types = forms.MultipleChoiceField(
        label="Kinds of link",
        required=False,
        choices=LinkType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave empty for every kind",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_intelligence"].choices = [("", "Any")] + grading.choices(grading.INTELLIGENCE)
        self.fields["max_source"].choices = [("", "Any source")] + [
            (c.code, f"{c.code} or better: {c.label}") for c in grading.codes(Scheme.NATIONAL, grading.SOURCE)
        ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the window must be on or after its start")
        return data


class PathForm(forms.Form):
    source = forms.CharField(
        label="From",
        max_length=12,
        help_text="A reference, like P-7KQ2M9X",
        error_messages={"required": "Enter the reference to start from"},
    )
    target = forms.CharField(
        label="To",
        max_length=12,
        help_text="A reference, like P-4HJ8W2Q",
        error_messages={"required": "Enter the reference to find the way to"},
    )

    def clean_source(self):
        return _reference(self.cleaned_data["source"])

    def clean_target(self):
        return _reference(self.cleaned_data["target"])


class ImportForm(forms.Form):
    MAX_BYTES = 20 * 1024 * 1024
    file = forms.FileField(
        label="CSV file",
        help_text="Saved as UTF-8, with a header row; at most 20 MB",
        error_messages={"required": "Choose the CSV file to import"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file must be 20 MB or smaller")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file")
        return upload


class HotspotFilterForm(forms.Form):
    """Which events the hotspot scan counts: a kind of harm, kinds of event and a period."""

    harm = forms.ModelChoiceField(
        label="Kind of harm",
        required=False,
        empty_label="Any kind of harm",
        queryset=HarmType.objects.filter(is_active=True),
        to_field_name="code",
    )
    kinds = forms.MultipleChoiceField(
        label="Events", required=False, widget=forms.CheckboxSelectMultiple, help_text="Leave empty to count every kind"
    )
    start = GovukDateField(
        label="From", required=False, allow_future=False, help_text="Leave both dates empty for the last 12 months"
    )
    end = GovukDateField(label="To", required=False, allow_future=False)

    def __init__(self, *args, **kwargs):
        from hoth.analytics.hotspots import KIND_LABELS

        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = list(KIND_LABELS.items())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data
