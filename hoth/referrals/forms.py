"""One form per question of the referral flow. Each error says what to do
(GOV.UK error message guidance); the same wording as services.problems()."""

from django import forms

from hoth.home.forms import GovukDateField
from hoth.people.forms.register import clean_phone_value

from .models import BASES_WITHOUT_CONSENT, BASIS_HINTS, OTHER_HARM, HarmType, NamedAssociate, Referral

YES_NO = [("yes", "Yes"), ("no", "No")]


class SubjectForm(forms.Form):
    subject = forms.ChoiceField(
        label="Who or what is the referral about?",
        choices=Referral.Subject.choices,
        widget=forms.RadioSelect,
        help_text="A place, group, school or online space can be referred when it is where children are being harmed",
        error_messages={
            "required": "Select whether the referral is about a child or about a place, group, school or online space"
        },
    )


class FindChildForm(forms.Form):
    q = forms.CharField(
        label="Search for the child by name",
        max_length=200,
        help_text="Any name they are known by. Only children you already work with are shown",
        error_messages={"required": "Enter a name to search for"},
    )


class FindContextForm(forms.Form):
    q = forms.CharField(
        label="Search by name, town, postcode or online handle",
        max_length=200,
        error_messages={"required": "Enter a name, town, postcode or handle to search for"},
    )


class HarmTypesForm(forms.Form):
    harm_types = forms.ModelMultipleChoiceField(
        label="What harm are you worried about?",
        queryset=HarmType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Select at least one type of harm you are worried about"},
    )
    harm_other = forms.CharField(label="What is the other harm?", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["harm_types"].queryset = HarmType.objects.filter(is_active=True).order_by("position", "name")

    def clean(self):
        data = super().clean()
        chosen = data.get("harm_types") or []
        if any(h.code == OTHER_HARM for h in chosen) and not (data.get("harm_other") or "").strip():
            self.add_error("harm_other", "Say what the other harm is")
        return data


class IncidentDateField(GovukDateField):
    """The page asks "When did it happen?"; errors speak of "the date it happened"."""

    def compress(self, values):
        asked, self.label = self.label, "date it happened"
        try:
            return super().compress(values)
        finally:
            self.label = asked


class WhatHappenedForm(forms.Form):
    what_happened = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What you saw, heard or were told, when and where, and who was there. Kept encrypted.",
        error_messages={"required": "Describe what happened"},
    )
    happened_on = IncidentDateField(
        label="When did it happen?",
        required=False,
        allow_future=False,
        help_text="If it has happened more than once, the most recent time. For example, 14 3 2026",
    )


class ChildWordsForm(forms.Form):
    child_words = forms.CharField(
        label="What does the child say?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="In their own words, as exactly as you can. Leave it empty if they have not said anything",
    )


class AssociateForm(forms.Form):
    kind = forms.ChoiceField(
        label="Is it a person or a place?",
        choices=NamedAssociate.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a person or a place"},
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="A name, nickname or street name, or what people call the place",
        error_messages={"required": "Enter the name of the person or place"},
    )
    details = forms.CharField(
        label="What do you know about them?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For a person: age, how they know the child, vehicle, phone. For a place: "
        "where it is and what happens there",
    )


class DangerForm(forms.Form):
    immediate_danger = forms.ChoiceField(
        label="Is the child or anyone else in immediate danger?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="For example, the child is with someone harming them now, or is missing and at risk tonight",
        error_messages={"required": "Say whether anyone is in immediate danger"},
    )


class ReferrerForm(forms.Form):
    referrer_role = forms.CharField(
        label="Your role",
        max_length=120,
        help_text="For example, designated safeguarding lead",
        error_messages={"required": "Enter your role"},
    )
    referrer_phone = forms.CharField(
        label="Phone number",
        max_length=30,
        help_text="A number the front door can call you on today",
        error_messages={"required": "Enter a phone number the front door can call you on"},
    )

    def clean_referrer_phone(self):
        return clean_phone_value(self.cleaned_data.get("referrer_phone"))


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(
        label="Did the child or family agree to this referral?",
        choices=Referral.Consent.choices,
        widget=forms.RadioSelect,
        help_text="You do not need consent to share information where a child is or may be at risk of harm",
        error_messages={"required": "Say whether the child or family agreed to this referral"},
    )


class LawfulBasisForm(forms.Form):
    lawful_basis = forms.ChoiceField(
        label="What is your lawful basis for sharing without consent?",
        choices=BASES_WITHOUT_CONSENT,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the lawful basis for sharing without consent",
            "invalid_choice": "Select the lawful basis for sharing without consent",
        },
    )
    consent_reason = forms.CharField(
        label="Why are you sharing without consent?",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Record the reasons for your decision: what consent was refused, or why you did not ask "
        "(for example, asking would put the child at risk). Kept encrypted.",
        error_messages={"required": "Say why you are sharing without consent"},
    )

    def __init__(self, *args, consent=None, **kwargs):
        super().__init__(*args, **kwargs)
        if consent == Referral.Consent.REFUSED:
            self.fields["consent_reason"].error_messages["required"] = (
                "Say why consent was refused and why you are sharing anyway"
            )
        elif consent == Referral.Consent.NOT_SOUGHT:
            self.fields["consent_reason"].error_messages["required"] = "Say why consent was not sought"


class CheckAnswersForm(forms.Form):
    """The one-time submission key: the same key sent twice means one referral."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=80)


class AddInformationForm(forms.Form):
    text = forms.CharField(
        label="What do you want to add?",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you have learnt since. The referral itself is not changed. Kept encrypted.",
        error_messages={"required": "Enter the information you want to add"},
    )


def lawful_basis_hints():
    """Each basis for sharing without consent, with its hint."""
    return [(value, label, BASIS_HINTS.get(value, "")) for value, label in BASES_WITHOUT_CONSENT]
