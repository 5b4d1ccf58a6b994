"""Forms for the screening queue and the screening meeting. Each error says
what to do (GOV.UK error message guidance)."""

import re
from datetime import time

from django import forms
from django.utils import timezone

from hoth.accounts.models import Agency, Role, User
from hoth.home.forms import GovukDateField
from hoth.referrals.models import HarmType
from hoth.screening.models import Level

from .models import Attendance, Decision, PanelDecision


def _people(*roles):
    users = User.objects.filter(is_active=True, is_service_account=False).select_related("agency")
    if roles:
        users = users.filter(role_assignments__role__in=roles).distinct()
    return users.order_by("full_name")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name}, {user.agency.name}"


class AgencyField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Agency.objects.filter(is_active=True).order_by("name"), empty_label="Choose an agency", **kwargs
        )


# ---------------------------------------------------------------- the queue


LEVEL_CHOICES = [("", "Any level"), ("unscreened", "Not screened yet")] + [(c, label) for c, label in Level.choices]
STAGE_CHOICES = [
    ("", "Any stage"),
    ("waiting", "Waiting to be screened"),
    ("screened", "Screened, waiting for the meeting"),
]


class QueueFilterForm(forms.Form):
    harm_type = forms.ChoiceField(label="Harm type", required=False)
    town = forms.CharField(
        label="Town",
        required=False,
        max_length=80,
        help_text="Where the child lives, or where the place or group is. For example, Crewe",
    )
    level = forms.ChoiceField(label="Screening level", required=False, choices=LEVEL_CHOICES)
    agency = forms.ModelChoiceField(
        label="Referring agency", required=False, queryset=Agency.objects.none(), empty_label="Any agency"
    )
    stage = forms.ChoiceField(label="Stage", required=False, choices=STAGE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["harm_type"].choices = [("", "Any harm type")] + [
            (h.code, h.name) for h in HarmType.objects.filter(is_active=True)
        ]
        self.fields["agency"].queryset = Agency.objects.order_by("name")


# ---------------------------------------------------------------- the meeting


def parse_time(value):
    """ "10:00", "9.30", "2pm" or "14:30" as a time; None if it is not one."""
    text = (value or "").strip().lower().replace(" ", "")
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?(am|pm)?", text)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class MeetingForm(forms.Form):
    day = GovukDateField(
        label="Date", help_text="For example, 3 12 2026", error_messages={"required": "Enter the date of the meeting"}
    )
    at = forms.CharField(
        label="Start time",
        max_length=10,
        help_text="For example, 10:00 or 2pm",
        error_messages={"required": "Enter the time the meeting starts"},
    )
    location = forms.CharField(
        label="Where",
        max_length=200,
        help_text="A room, or online",
        error_messages={"required": "Enter where the meeting will be held"},
    )
    chair = UserChoiceField(
        label="Chair",
        queryset=User.objects.none(),
        empty_label="Choose the chair",
        error_messages={"required": "Choose who will chair the meeting"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = _people(Role.COORDINATOR)

    def clean_at(self):
        value = parse_time(self.cleaned_data["at"])
        if value is None:
            raise forms.ValidationError("Enter a real time, like 10:00 or 2pm")
        return value

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("The date must be today or in the future")
        return day


class AddReferralForm(forms.Form):
    reference = forms.CharField(
        label="Referral reference",
        max_length=12,
        help_text="For example, R-7KQ2M9X",
        error_messages={"required": "Enter the referral's reference"},
    )

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()


class AttendanceForm(forms.Form):
    agency = AgencyField(label="Agency", error_messages={"required": "Choose the agency"})
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="As it should appear in the minutes",
        error_messages={"required": "Enter the name of the person attending"},
    )
    status = forms.ChoiceField(
        label="Attendance",
        choices=Attendance.Status.choices,
        widget=forms.RadioSelect,
        initial=Attendance.Status.PRESENT,
        error_messages={"required": "Choose whether they were present or sent apologies"},
    )


class ContributionForm(forms.Form):
    agency = AgencyField(label="Agency", error_messages={"required": "Choose the agency the information is from"})
    text = forms.CharField(
        label="What the agency knows",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Shown only to the coordinators and to people in that agency",
        error_messages={"required": "Enter what the agency brought to the meeting"},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What did the meeting decide?",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the meeting's decision"},
    )
    rationale = forms.CharField(
        label="Why the meeting decided this",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reasons for the decision"},
    )
    advice = forms.CharField(
        label="Advice given",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For no further action or early help: what the referrer was advised",
    )
    lead_professional = UserChoiceField(
        label="Lead professional",
        required=False,
        queryset=User.objects.none(),
        empty_label="Choose the lead professional",
        help_text="Needed when the meeting opens a case",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_professional"].queryset = _people(Role.PRACTITIONER)

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.OPEN_CASE and not data.get("lead_professional"):
            self.add_error("lead_professional", "Choose the lead professional for the new case")
        return data


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What is to be done",
        max_length=200,
        help_text="Do not use the child's name: task lists and notifications travel further than the child's record",
        error_messages={"required": "Enter what is to be done"},
    )
    owner = UserChoiceField(
        label="Who will do it",
        queryset=User.objects.none(),
        empty_label="Choose the owner",
        help_text="Their agency is recorded with the action",
        error_messages={"required": "Choose who will do it"},
    )
    due_date = GovukDateField(
        label="Due date",
        help_text="For example, 17 12 2026",
        error_messages={"required": "Enter the date the action is due"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()

    def clean_due_date(self):
        day = self.cleaned_data["due_date"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("The due date must be today or in the future")
        return day


# ---------------------------------------------------------------- the panel


class PanelMeetingForm(MeetingForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = _people(Role.PANEL_CHAIR)


class PersonOfConcernForm(forms.Form):
    reference = forms.CharField(
        label="Person's reference",
        max_length=12,
        help_text="For example, P-7KQ2M9X",
        error_messages={"required": "Enter the person of concern's reference"},
    )


class PlaceOfConcernForm(forms.Form):
    reference = forms.CharField(
        label="Place's reference",
        max_length=12,
        help_text="For example, C-4HT8WQ2",
        error_messages={"required": "Enter the place's reference"},
    )


class ThemeForm(forms.Form):
    title = forms.CharField(
        label="Theme or trend",
        max_length=200,
        help_text="For example, older males offering lifts outside schools in Crewe. "
        "Do not name anyone: use the persons of concern section",
        error_messages={"required": "Enter the theme or trend"},
    )


class PanelDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What did the panel decide?",
        choices=PanelDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the panel's decision"},
    )
    rationale = forms.CharField(
        label="Why the panel decided this",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the reasons for the decision"},
    )


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        return f"{timezone.localtime(meeting.starts_at):%-d %B %Y}"


class TrackerFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False)
    agency = forms.ModelChoiceField(
        label="Agency", required=False, queryset=Agency.objects.none(), empty_label="Any agency"
    )
    owner = UserChoiceField(label="Owner", required=False, queryset=User.objects.none(), empty_label="Anyone")
    meeting = MeetingChoiceField(label="Panel", required=False, queryset=None, empty_label="Any panel")

    def __init__(self, *args, meetings, **kwargs):
        from .tracker import STATUS_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["status"].choices = STATUS_CHOICES
        self.fields["agency"].queryset = Agency.objects.order_by("name")
        self.fields["owner"].queryset = _people()
