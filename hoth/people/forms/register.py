"""Forms for the person register. Each error names the field and says how to
put it right (GOV.UK error message guidance)."""

from django import forms

from hoth.accounts.models import Agency, AgencyType
from hoth.analytics.identifiers import (
    nhs_number_problem,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    upn_problem,
)
from hoth.home.forms import GovukDateField
from hoth.people.models import Alias, CareStatus, DobPrecision, Ethnicity, Identifier, SendStatus, Sex
from hoth.people.search import normalise_phone

POSTCODE_ERROR = "Enter a real postcode, like CW1 2AB"


def clean_postcode_value(value, required=False):
    value = (value or "").strip()
    if not value:
        if required:
            raise forms.ValidationError("Enter a postcode")
        return ""
    normal = normalise_postcode(value)
    if not normal:
        raise forms.ValidationError(POSTCODE_ERROR)
    return normal


def clean_phone_value(value):
    value = (value or "").strip()
    if not value:
        return ""
    e164 = normalise_phone(value)
    if not e164:
        raise forms.ValidationError("Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192")
    return e164


def clean_identifier(scheme, value):
    """The canonical stored form of an identifier, or a ValidationError naming what is wrong."""
    value = (value or "").strip()
    if scheme == Identifier.Scheme.NHS:
        problem = nhs_number_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return normalise_nhs_number(value)
    if scheme == Identifier.Scheme.UPN:
        problem = upn_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return normalise_upn(value)
    if len(value) > 40:
        raise forms.ValidationError("A reference must be 40 characters or fewer")
    return value.upper()


class SearchForm(forms.Form):
    name = forms.CharField(
        label="Name", required=False, max_length=200, help_text="Any name they are known by, including nicknames"
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, allow_future=False, help_text="For example, 27 3 2009"
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    identifier = forms.CharField(
        label="NHS number, unique pupil number, police or council reference", required=False, max_length=40
    )
    phone = forms.CharField(label="Phone number", required=False, max_length=30)

    def clean_postcode(self):
        return clean_postcode_value(self.cleaned_data.get("postcode"))

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data.get("phone"))

    def clean(self):
        data = super().clean()
        if not self.errors and not any(
            data.get(f) for f in ("name", "date_of_birth", "postcode", "identifier", "phone")
        ):
            raise forms.ValidationError(
                "Enter a name, date of birth, postcode, reference or phone number to search for"
            )
        return data


PRECISION_CHOICES = [
    (DobPrecision.EXACT, "I know the exact date"),
    (DobPrecision.MONTH, "I know the month and year"),
    (DobPrecision.YEAR, "I know the year only"),
    (DobPrecision.ESTIMATED, "It is an estimate"),
]


class FindBeforeCreateForm(forms.Form):
    """Step one of recording a person: enough to look for them first."""

    given_names = forms.CharField(
        label="First names", max_length=150, error_messages={"required": "Enter their first name"}
    )
    family_name = forms.CharField(
        label="Family name", max_length=150, error_messages={"required": "Enter their family name"}
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        allow_future=False,
        help_text="For example, 27 3 2009. If you only know the month or year, enter 1 for the parts you do not know",
    )
    dob_precision = forms.ChoiceField(
        label="How sure are you of the date of birth?",
        choices=PRECISION_CHOICES,
        widget=forms.RadioSelect,
        initial=DobPrecision.EXACT,
        required=False,
    )
    postcode = forms.CharField(
        label="Postcode", required=False, max_length=10, help_text="Where they live now, if you know"
    )

    def clean_postcode(self):
        return clean_postcode_value(self.cleaned_data.get("postcode"))

    def clean(self):
        data = super().clean()
        data["dob_precision"] = data.get("dob_precision") or DobPrecision.EXACT
        return data


class ConfirmNewPersonForm(forms.Form):
    confirm_new = forms.BooleanField(
        label="None of these is the person I am recording",
        error_messages={"required": "Confirm that none of the possible matches is the person you are recording"},
    )


def school_choices():
    return [("", "Not known or not at school")] + [
        (a.pk, a.name) for a in Agency.objects.filter(type=AgencyType.EDUCATION, is_active=True).order_by("name")
    ]


class PersonForm(forms.Form):
    """Everything recorded about a person. Used to create and to edit."""

    given_names = forms.CharField(
        label="First names", max_length=150, error_messages={"required": "Enter their first name"}
    )
    family_name = forms.CharField(
        label="Family name", max_length=150, error_messages={"required": "Enter their family name"}
    )
    preferred_name = forms.CharField(label="Name they like to be called", required=False, max_length=150)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, allow_future=False, help_text="For example, 27 3 2009"
    )
    dob_precision = forms.ChoiceField(
        label="How sure are you of the date of birth?",
        choices=PRECISION_CHOICES,
        widget=forms.RadioSelect,
        initial=DobPrecision.EXACT,
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect, initial=Sex.UNKNOWN)
    gender = forms.CharField(
        label="Gender",
        required=False,
        max_length=80,
        help_text="Only if they have told you how they describe their gender",
    )
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=Ethnicity.choices, initial=Ethnicity.NOT_KNOWN)
    first_language = forms.CharField(label="First language", required=False, max_length=80, initial="English")
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    send_status = forms.ChoiceField(label="Special educational needs", choices=SendStatus.choices, required=False)
    has_disability = forms.BooleanField(label="Has a disability", required=False)
    has_learning_disability = forms.BooleanField(label="Has a learning disability", required=False)
    care_status = forms.ChoiceField(label="Care status", choices=CareStatus.choices, required=False)
    school = forms.TypedChoiceField(label="School or college", required=False, coerce=int, empty_value=None)
    sensitive_notes = forms.CharField(
        label="Sensitive notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept encrypted. Record only what partners need to keep them safe.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = school_choices()


class NewPersonForm(PersonForm):
    """The full form when recording someone new: also one address and the
    numbers and names they are known by. Identifiers, phones and handles are
    typed one a line so the page works without JavaScript."""

    address_line1 = forms.CharField(label="Address line 1", required=False, max_length=200)
    address_line2 = forms.CharField(label="Address line 2", required=False, max_length=200)
    address_town = forms.CharField(label="Town or city", required=False, max_length=80)
    address_postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    nhs_number = forms.CharField(
        label="NHS number", required=False, max_length=20, help_text="10 digits, for example 943 476 5919"
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        required=False,
        max_length=20,
        help_text="13 characters, starting with a letter",
    )
    police_reference = forms.CharField(label="Police reference", required=False, max_length=40)
    la_reference = forms.CharField(label="Local authority ID", required=False, max_length=40)
    phone_numbers = forms.CharField(
        label="Phone numbers", required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="One a line"
    )
    online_handles = forms.CharField(
        label="Online accounts",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line, as platform: handle, for example Snapchat: jonny_s",
    )
    aliases = forms.CharField(
        label="Other names and nicknames",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line",
    )

    def clean_nhs_number(self):
        value = self.cleaned_data.get("nhs_number", "").strip()
        return clean_identifier(Identifier.Scheme.NHS, value) if value else ""

    def clean_upn(self):
        value = self.cleaned_data.get("upn", "").strip()
        return clean_identifier(Identifier.Scheme.UPN, value) if value else ""

    def clean_police_reference(self):
        value = self.cleaned_data.get("police_reference", "").strip()
        return clean_identifier(Identifier.Scheme.POLICE, value) if value else ""

    def clean_la_reference(self):
        value = self.cleaned_data.get("la_reference", "").strip()
        return clean_identifier(Identifier.Scheme.LOCAL_AUTHORITY, value) if value else ""

    def clean_address_postcode(self):
        return clean_postcode_value(self.cleaned_data.get("address_postcode"))

    def clean_phone_numbers(self):
        numbers = []
        for line in self.cleaned_data.get("phone_numbers", "").splitlines():
            if not line.strip():
                continue
            try:
                numbers.append(clean_phone_value(line))
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"'{line.strip()}' is not a phone number: enter numbers like 07700 900 982, one a line"
                ) from None
        return list(dict.fromkeys(numbers))

    def clean_online_handles(self):
        handles = []
        for line in self.cleaned_data.get("online_handles", "").splitlines():
            if not line.strip():
                continue
            platform, sep, handle = line.partition(":")
            if not sep or not platform.strip() or not handle.strip():
                raise forms.ValidationError(
                    f"Write '{line.strip()}' as platform: handle, for example Snapchat: jonny_s"
                )
            handles.append((platform.strip()[:60], handle.strip()[:120]))
        return handles

    def clean_aliases(self):
        return [line.strip()[:200] for line in self.cleaned_data.get("aliases", "").splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        address = [data.get("address_line1"), data.get("address_town"), data.get("address_postcode")]
        if any(address) or data.get("address_line2"):
            if not data.get("address_line1"):
                self.add_error("address_line1", "Enter the first line of the address")
            if not data.get("address_town"):
                self.add_error("address_town", "Enter the town or city")
            if not data.get("address_postcode") and "address_postcode" not in self.errors:
                self.add_error("address_postcode", "Enter the postcode")
        return data


class AliasForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the name they are known by"}
    )
    kind = forms.ChoiceField(
        label="What kind of name is it?",
        choices=Alias.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of name it is"},
    )


class AddressForm(forms.Form):
    line1 = forms.CharField(
        label="Address line 1", max_length=200, error_messages={"required": "Enter the first line of the address"}
    )
    line2 = forms.CharField(label="Address line 2", required=False, max_length=200)
    town = forms.CharField(label="Town or city", max_length=80, error_messages={"required": "Enter the town or city"})
    postcode = forms.CharField(label="Postcode", max_length=10, error_messages={"required": "Enter the postcode"})
    valid_from = GovukDateField(
        label="Date they moved in",
        required=False,
        allow_future=False,
        help_text="Their previous address will end the day before. For example, 27 3 2024",
    )

    def clean_postcode(self):
        return clean_postcode_value(self.cleaned_data.get("postcode"), required=True)


class IdentifierForm(forms.Form):
    scheme = forms.ChoiceField(
        label="Type of reference",
        choices=Identifier.Scheme.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of reference"},
    )
    value = forms.CharField(label="Reference", max_length=40, error_messages={"required": "Enter the reference"})

    def clean(self):
        data = super().clean()
        if data.get("scheme") and data.get("value"):
            try:
                data["value"] = clean_identifier(data["scheme"], data["value"])
            except forms.ValidationError as error:
                self.add_error("value", error)
        return data


class PhoneForm(forms.Form):
    number = forms.CharField(label="Phone number", max_length=30, error_messages={"required": "Enter the phone number"})
    label = forms.CharField(
        label="Whose phone or what for", required=False, max_length=40, help_text="For example, mobile, or mum's phone"
    )

    def clean_number(self):
        return clean_phone_value(self.cleaned_data.get("number"))


class HandleForm(forms.Form):
    platform = forms.CharField(
        label="Platform or app",
        max_length=60,
        error_messages={"required": "Enter the platform or app, for example Snapchat"},
    )
    handle = forms.CharField(
        label="Account name or handle", max_length=120, error_messages={"required": "Enter the account name or handle"}
    )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to see this record now?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Your reason is recorded and shown to the child's lead professional and to auditors",
        error_messages={"required": "Enter why you need to see this record now"},
    )

    def clean_reason(self):
        reason = self.cleaned_data.get("reason", "").strip()
        if len(reason) < 10:
            raise forms.ValidationError("Give a specific reason of at least 10 characters")
        return reason
