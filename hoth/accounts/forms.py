"""Forms for signing in and for administering accounts. Error messages follow
the GOV.UK Design System: say what went wrong and how to put it right."""

import re

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError

from hoth.home.forms import RecordsChoiceField

from . import recovery, services
from .models import Agency, AgencyType, ApiToken, Role, Team, User


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class CodeForm(forms.Form):
    """The 6-digit code an authenticator app shows."""

    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows now, for example 123456",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError("Enter the code as 6 numbers, like 123456")
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        help_text="One of the 10 codes you saved when you set up your authenticator app. Each code works once.",
        error_messages={"required": "Enter one of your recovery codes"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
    )

    def clean_code(self):
        code = recovery.normalise(self.cleaned_data["code"])
        # 16 characters since codes are hashed; 8 for codes issued before.
        if not re.fullmatch(r"[a-z0-9]{16}|[a-z2-7]{8}", code):
            raise ValidationError("Enter the recovery code as 16 letters and numbers, like abcd-efgh-jkmn-2345")
        return code


class GovukPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address you use to sign in. We will send a link to set a new password.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def get_users(self, email):
        # Service accounts have no password to reset and never sign in.
        return (u for u in super().get_users(email) if not u.is_service_account)


class GovukSetPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": "The passwords do not match. Enter the same password twice"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            "At least 12 characters. Do not use a password you use anywhere else. "
            "Three random words together are easy to remember and hard to guess."
        )
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"


# ---------------------------------------------------------------- administration


def _team_label(team):
    return f"{team.name} ({team.agency.name})"


class UserFilterForm(forms.Form):
    SORTS = {
        "name": ("full_name", "Name"),
        "email": ("email", "Email address"),
        "agency": ("agency__name", "Agency"),
        "last_sign_in": ("last_login", "Last signed in"),
    }
    q = forms.CharField(label="Name or email address", required=False, max_length=200)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="All agencies",
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    role = forms.ChoiceField(
        label="Role",
        required=False,
        choices=[("", "All roles"), *Role.choices],
        error_messages={"invalid_choice": "Choose a role from the list"},
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All"), ("active", "Active"), ("inactive", "Deactivated")],
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class UserForm(forms.Form):
    field_order = ["full_name", "email", "job_title", "agency", "teams", "roles"]

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Their work email address. They use it to sign in and we send the set-up link to it.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter their full name"})
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose their agency", "invalid_choice": "Choose an agency from the list"},
    )
    teams = RecordsChoiceField(
        label="Teams",
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Practitioners see the children their teams work with.",
        error_messages={
            "invalid_choice": "Choose teams from the list",
            "invalid_pk_value": "Choose teams from the list",
        },
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose every role they hold. Each role gives access only to what that work needs.",
        error_messages={"invalid_choice": "Choose roles from the list"},
    )

    def __init__(self, *args, actor, target=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.target = actor, target
        if actor.has_role(Role.SYSTEM_ADMIN):
            agencies = Agency.objects.filter(is_active=True) | Agency.objects.filter(
                pk=getattr(target, "agency_id", None)
            )
            self.fixed_agency = None
            self.fields["agency"].queryset = agencies.distinct()
        else:
            # An agency administrator's users are always in their own agency:
            # there is no field to choose, so nothing posted can move them.
            agencies = Agency.objects.filter(pk=actor.agency_id)
            self.fixed_agency = actor.agency
            del self.fields["agency"]
        self.fields["teams"].queryset = Team.objects.filter(agency__in=agencies).select_related("agency")
        self.fields["teams"].label_from_instance = _team_label
        self.fields["roles"].choices = [(r.value, r.label) for r in services.grantable_roles(actor)]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        clash = User.objects.filter(email__iexact=email)
        if self.target is not None:
            clash = clash.exclude(pk=self.target.pk)
        if clash.exists():
            raise ValidationError("An account with this email address already exists")
        return email

    def clean(self):
        data = super().clean()
        if self.fixed_agency is not None:
            data["agency"] = self.fixed_agency
        agency, teams = data.get("agency"), data.get("teams") or []
        if agency is not None and any(t.agency_id != agency.pk for t in teams):
            self.add_error("teams", "Choose only teams in the agency you chose")
        grantable = {c for c, _ in self.fields["roles"].choices}
        kept = [r for r in (self.target.roles if self.target else []) if r not in grantable]
        if not data.get("roles") and not kept:
            self.add_error("roles", "Choose at least one role")
        elif self.target is not None and services.removes_own_administration(
            self.actor, self.target, data.get("roles") or []
        ):
            self.add_error("roles", "You cannot remove your own administrator role. Ask another administrator to do it")
        return data


class ConfirmForm(forms.Form):
    """A page that asks "are you sure" has nothing to fill in; the form exists so
    the POST carries a CSRF token and nothing else."""


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "type", "town", "is_active"]
        labels = {"name": "Agency name", "type": "Type of agency", "town": "Town", "is_active": "Active"}
        help_texts = {"is_active": "Untick when the agency leaves the partnership. Its users keep their history."}
        error_messages = {
            "name": {"required": "Enter the agency's name", "unique": "An agency with this name already exists"},
            "type": {
                "required": "Choose the type of agency",
                "invalid_choice": "Choose a type of agency from the list",
            },
        }
        widgets = {"type": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = AgencyType.choices


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["agency", "name"]
        labels = {"agency": "Agency", "name": "Team name"}
        error_messages = {
            "agency": {"required": "Choose the team's agency", "invalid_choice": "Choose an agency from the list"},
            "name": {"required": "Enter the team's name"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].empty_label = "Choose an agency"

    def clean(self):
        data = super().clean()
        agency, name = data.get("agency"), data.get("name")
        if agency and name:
            clash = Team.objects.filter(agency=agency, name__iexact=name.strip()).exclude(pk=self.instance.pk)
            if clash.exists():
                # An error on the name also stops Django's own, less specific, constraint message.
                self.add_error("name", "This agency already has a team with this name")
        return data


class ServiceAccountForm(forms.Form):
    name = forms.CharField(
        label="Name of the partner system",
        max_length=200,
        help_text="For example, Cheshire Constabulary case management link",
        error_messages={"required": "Enter the name of the partner system"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        help_text="The agency responsible for the system. It sees only what that agency may see.",
        error_messages={
            "required": "Choose the agency responsible for the system",
            "invalid_choice": "Choose an agency from the list",
        },
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        widget=forms.CheckboxSelectMultiple,
        help_text="The system may do only what a person with these roles may do.",
        error_messages={"required": "Choose at least one role", "invalid_choice": "Choose roles from the list"},
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if actor.has_role(Role.SYSTEM_ADMIN):
            self.fixed_agency = None
            self.fields["agency"].queryset = Agency.objects.filter(is_active=True)
        else:
            self.fixed_agency = actor.agency
            del self.fields["agency"]
        self.fields["roles"].choices = [
            (r.value, r.label) for r in services.grantable_roles(actor, service_account=True)
        ]

    def clean(self):
        data = super().clean()
        if self.fixed_agency is not None:
            data["agency"] = self.fixed_agency
        return data


class TokenForm(forms.Form):
    EXPIRY = [("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year"), ("never", "Never (revoke it by hand)")]
    name = forms.CharField(
        label="What the token is for",
        max_length=200,
        help_text="For example, Nightly import from the police system",
        error_messages={"required": "Enter what the token is for"},
    )
    scopes = forms.MultipleChoiceField(
        label="What the token may do",
        widget=forms.CheckboxSelectMultiple,
        choices=ApiToken.Scope.choices,
        error_messages={
            "required": "Choose at least one thing the token may do",
            "invalid_choice": "Choose from the list of things a token may do",
        },
    )
    expires = forms.ChoiceField(
        label="When the token stops working",
        widget=forms.RadioSelect,
        choices=EXPIRY,
        error_messages={
            "required": "Choose when the token stops working",
            "invalid_choice": "Choose when the token stops working",
        },
    )

    @property
    def expires_in_days(self):
        value = self.cleaned_data["expires"]
        return None if value == "never" else int(value)
