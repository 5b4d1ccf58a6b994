"""Forms for missing episodes and return home interviews.

Times are typed as a date (GOV.UK date input) and a time ("14:30" or
"2:30pm"); the services check the rules (nothing in the future, no return
before the start) and the forms show their messages against the fields.
"""

from datetime import datetime

from django import forms
from django.utils import timezone

from hoth.accounts.models import Agency
from hoth.cases import services
from hoth.cases.models import MissingEpisode, ReturnInterview
from hoth.home.forms import GovukDateField, TimeField
from hoth.people.forms.register import clean_postcode_value


def agency_choices(blank):
    return [("", blank)] + [(a.pk, a.name) for a in Agency.objects.filter(is_active=True).order_by("name")]


class MomentsForm(forms.Form):
    """A form with pairs of fields (<name>_date, <name>_time) that make one
    moment, and services' problems keyed by <name>."""

    # moment name -> (what it is called in messages, required)
    MOMENTS = {}

    def moment(self, name):
        day, at = self.cleaned_data.get(f"{name}_date"), self.cleaned_data.get(f"{name}_time")
        if day is None or at is None:
            return None
        return timezone.make_aware(datetime.combine(day, at))

    def clean(self):
        data = super().clean()
        for name, (words, required) in self.MOMENTS.items():
            day_field, time_field = f"{name}_date", f"{name}_time"
            if day_field in self.errors or time_field in self.errors:
                continue
            day, at = data.get(day_field), data.get(time_field)
            if day is not None and at is None:
                self.add_error(time_field, f"Enter the time {words}")
            elif at is not None and day is None:
                self.add_error(day_field, f"Enter the date {words}")
            elif required and day is None:
                self.add_error(day_field, f"Enter the date {words}")
        return data

    def show_problems(self, problems):
        """Put a service's {field: message} against the form's fields."""
        for name, message in problems.items():
            target = f"{name}_date" if f"{name}_date" in self.fields else name
            self.add_error(target if target in self.fields else None, message)


class ReturnDetailsMixin(forms.Form):
    where_found = forms.CharField(
        label="Where they were found",
        required=False,
        max_length=300,
        help_text="A place or address, as precisely as you know it",
    )
    found_postcode = forms.CharField(label="Postcode where they were found", required=False, max_length=10)
    found_out_of_area = forms.BooleanField(
        label="They were found out of area", required=False, help_text="Outside the partnership's area"
    )
    who_with = forms.CharField(
        label="Who they were with",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Names, nicknames, descriptions, vehicles. Kept encrypted",
    )
    condition_on_return = forms.ChoiceField(
        label="How they were when they came back",
        required=False,
        choices=[("", "Not recorded")] + MissingEpisode.Condition.choices,
    )

    def clean_found_postcode(self):
        return clean_postcode_value(self.cleaned_data.get("found_postcode"))


class MissingEpisodeForm(MomentsForm, ReturnDetailsMixin):
    MOMENTS = {"started_at": ("they went missing", True), "ended_at": ("they came back", False)}

    kind = forms.ChoiceField(
        label="Were they missing, or away from placement?",
        choices=MissingEpisode.Kind.choices,
        widget=forms.RadioSelect,
        initial=MissingEpisode.Kind.MISSING,
        error_messages={"required": "Select whether they were missing or away from placement"},
    )
    started_at_date = GovukDateField(
        label="Date they went missing",
        allow_future=False,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date they went missing"},
    )
    started_at_time = TimeField(
        label="Time they went missing", error_messages={"required": "Enter the time they went missing"}
    )
    ended_at_date = GovukDateField(
        label="Date they came back",
        required=False,
        allow_future=False,
        help_text="Leave empty if they are still missing",
    )
    ended_at_time = TimeField(label="Time they came back", required=False)
    reported_by = forms.CharField(
        label="Who reported them missing",
        required=False,
        max_length=200,
        help_text="Name and role, for example a foster carer or parent",
    )
    reported_by_agency = forms.TypedChoiceField(
        label="Agency that reported them missing", required=False, coerce=int, empty_value=None
    )
    police_reference = forms.CharField(label="Police reference", required=False, max_length=40)
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything partners need to know. Kept encrypted",
    )

    field_order = [
        "kind",
        "started_at_date",
        "started_at_time",
        "ended_at_date",
        "ended_at_time",
        "reported_by",
        "reported_by_agency",
        "police_reference",
        "where_found",
        "found_postcode",
        "found_out_of_area",
        "who_with",
        "condition_on_return",
        "notes",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_by_agency"].choices = agency_choices("Not an agency, or not known")

    def episode_values(self):
        data = self.cleaned_data
        details = {name: data[name] for name in services.EPISODE_FIELDS if name != "reported_by_agency"}
        details["reported_by_agency"] = Agency.objects.filter(pk=data["reported_by_agency"]).first()
        return {"started_at": self.moment("started_at"), "ended_at": self.moment("ended_at"), **details}


class ReturnForm(MomentsForm, ReturnDetailsMixin):
    MOMENTS = {"ended_at": ("they came back", True)}

    ended_at_date = GovukDateField(
        label="Date they came back",
        allow_future=False,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date they came back"},
    )
    ended_at_time = TimeField(label="Time they came back", error_messages={"required": "Enter the time they came back"})

    field_order = [
        "ended_at_date",
        "ended_at_time",
        "where_found",
        "found_postcode",
        "found_out_of_area",
        "who_with",
        "condition_on_return",
    ]

    def return_values(self):
        data = self.cleaned_data
        return {"ended_at": self.moment("ended_at"), **{name: data[name] for name in services.RETURN_FIELDS}}


OUTCOME_CHOICES = [
    (ReturnInterview.Outcome.ACCEPTED, "Offered, and they accepted"),
    (ReturnInterview.Outcome.DECLINED, "Offered, and they declined"),
    (ReturnInterview.Outcome.NOT_APPLICABLE, "Not applicable"),
]


class ReturnInterviewForm(MomentsForm):
    MOMENTS = {"offered_at": ("the interview was offered", False), "held_at": ("of the interview", False)}

    outcome = forms.ChoiceField(
        label="Was a return home interview offered?",
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the interview was offered and taken up"},
    )
    offered_at_date = GovukDateField(
        label="Date the interview was offered", required=False, allow_future=False, help_text="For example, 27 3 2026"
    )
    offered_at_time = TimeField(label="Time the interview was offered", required=False)
    held_at_date = GovukDateField(
        label="Date of the interview",
        required=False,
        allow_future=False,
        help_text="Leave empty if it has not happened yet",
    )
    held_at_time = TimeField(label="Time of the interview", required=False)
    interviewer = forms.CharField(label="Who held the interview", required=False, max_length=200)
    interviewer_agency = forms.TypedChoiceField(label="Their agency", required=False, coerce=int, empty_value=None)
    child_said = forms.CharField(
        label="What the child said",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="In their own words where you can. Kept encrypted",
    )
    indicators_found = forms.MultipleChoiceField(
        label="What the interview found",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Indicators from the screening tool. The child's next screening starts with these marked present",
    )

    def __init__(self, *args, indicators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewer_agency"].choices = agency_choices("Not recorded")
        self.indicator_domains = []
        if indicators is None:
            del self.fields["indicators_found"]
            return
        self.fields["indicators_found"].choices = [(i["code"], i["text"]) for i in indicators]
        for indicator in indicators:
            if not self.indicator_domains or self.indicator_domains[-1][0] != indicator["domain_name"]:
                self.indicator_domains.append((indicator["domain_name"], []))
            self.indicator_domains[-1][1].append(indicator["code"])

    def indicator_groups(self):
        """[(domain name, [checkbox])]: the tool's indicators under their domains."""
        boxes = {box.data["value"]: box for box in self["indicators_found"]}
        return [(name, [boxes[code] for code in codes]) for name, codes in self.indicator_domains]

    def interview_values(self):
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "offered_at": self.moment("offered_at"),
            "held_at": self.moment("held_at"),
            "interviewer": data["interviewer"],
            "interviewer_agency": Agency.objects.filter(pk=data["interviewer_agency"]).first(),
            "child_said": data["child_said"],
            "indicators_found": data.get("indicators_found", []),
        }
