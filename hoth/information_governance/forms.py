"""Forms for the data protection officer's pages and the schedule's
administration. Each error says how to put it right; the services refuse
the same things, so nothing is changed on bad input."""

from django import forms

from hoth.home.forms import GovukDateField

from . import schedule
from .models import RedactionReason, RetentionAction, RetentionRule, SubjectAccessRequest

NOTE_HINT = "This is kept with the change and in the audit log."


def _reasons():
    return [(r.code, f"{r.name} ({r.code})") for r in RedactionReason.objects.filter(is_active=True)]


def _reason_field(required=True):
    return forms.ChoiceField(
        label="Reason",
        widget=forms.RadioSelect,
        required=required,
        error_messages={
            "required": "Choose the reason for the redaction",
            "invalid_choice": "Choose the reason for the redaction",
        },
    )


class RequestForm(forms.Form):
    requester_name = forms.CharField(
        label="Who made the request?",
        max_length=200,
        error_messages={"required": "Enter the name of the person who made the request"},
    )
    relationship = forms.ChoiceField(
        label="Who are they?",
        choices=SubjectAccessRequest.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who made the request"},
    )
    requester_contact = forms.CharField(
        label="Where should the reply go?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A postal or email address",
        error_messages={"required": "Enter where the reply should go"},
    )
    about = forms.CharField(
        label="Who is the request about?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="As the requester described them: names, date of birth, addresses",
        error_messages={"required": "Enter who the request is about"},
    )
    identity_verified_how = forms.ChoiceField(
        label="How was their identity checked?",
        choices=SubjectAccessRequest.Verification.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how their identity was checked"},
    )
    identity_details = forms.CharField(
        label="More about the identity check",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, which documents were seen. Needed for 'another way'.",
    )
    received_on = GovukDateField(
        label="Date the request was received",
        allow_future=False,
        help_text="The deadline is one calendar month from this date",
        error_messages={"required": "Enter the date the request was received"},
    )


class ChoosePersonForm(forms.Form):
    reference = forms.CharField(max_length=12, widget=forms.HiddenInput)


class RedactionChangeForm(forms.Form):
    decision = forms.ChoiceField(
        label="What should happen to it?",
        widget=forms.RadioSelect,
        choices=[("redact", "Keep it redacted"), ("release", "Release it to the requester")],
        error_messages={"required": "Choose whether to keep it redacted or release it"},
    )
    reason = _reason_field(required=False)
    note = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOTE_HINT,
        error_messages={"required": "Say why you are making this change"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = _reasons()
        self.fields["reason"].help_text = "If you keep it redacted"

    def clean(self):
        data = super().clean()
        if data.get("decision") == "redact" and not data.get("reason"):
            self.add_error("reason", "Choose the reason for the redaction")
        return data


class AddRedactionForm(forms.Form):
    """Withhold this item, redact one of its fields, or redact words everywhere."""

    what = forms.ChoiceField(
        label="What do you want to redact?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to redact"},
    )
    words = forms.CharField(
        label="Words to redact wherever they appear",
        required=False,
        max_length=200,
        help_text="For example, a name as it is written",
    )
    reason = _reason_field()
    note = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOTE_HINT,
        error_messages={"required": "Say why you are making this change"},
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = _reasons()
        self.fields["what"].choices = (
            [("item", "The whole item")]
            + [(f"field:{f['key']}", f"{f['label']}") for f in item["fields"]]
            + [("words", "Some words, wherever they appear in the disclosure")]
        )

    def clean(self):
        data = super().clean()
        if data.get("what") == "words" and len((data.get("words") or "").strip()) < 2:
            self.add_error("words", "Enter the words to redact")
        return data


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label="Why does the request need more time?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A request may be extended once, by two months, if it is complex or one of "
        "many from the same person. Tell the requester within the first month.",
        error_messages={"required": "Say why the request needs more time"},
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=SubjectAccessRequest.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    closed_on = GovukDateField(
        label="Date closed",
        allow_future=False,
        help_text="The day the reply was sent",
        error_messages={"required": "Enter the date the request was closed"},
    )
    note = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if the request was refused",
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label="Reason for your decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the review and in the audit log",
        error_messages={"required": "Give the reason for your decision"},
    )

    def __init__(self, *args, review_rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        for rule in review_rules:
            after = rule.get_after_review_display()
            self.fields[f"decision_{rule.code}"] = forms.ChoiceField(
                label=f"{rule.record_type}: after your review",
                widget=forms.RadioSelect,
                choices=[
                    ("keep", f"Keep them, and review them again in {rule.review_again_years} years"),
                    (rule.after_review, f"{after} them"),
                ],
                error_messages={"required": f"Choose whether to keep or {after.lower()} them"},
            )

    def decisions(self):
        return {
            name.removeprefix("decision_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("decision_")
        }


class RuleForm(forms.ModelForm):
    """What administrators may change in a line of the schedule: its wording,
    period, action and basis. Which records it finds is code."""

    class Meta:
        model = RetentionRule
        fields = [
            "record_type",
            "period_years",
            "period_days",
            "case_closed_years",
            "action",
            "after_review",
            "review_again_years",
            "basis",
            "is_active",
        ]
        labels = {
            "record_type": "Record type",
            "period_years": "Years",
            "period_days": "Days",
            "case_closed_years": "And not before this many years after their last case closed",
            "after_review": "If the reviewer does not keep them",
            "review_again_years": "Kept records are reviewed again after this many years",
            "basis": "Legal or policy basis",
            "is_active": "Apply this line",
        }
        widgets = {
            "action": forms.RadioSelect,
            "after_review": forms.RadioSelect,
            "basis": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = schedule.kind(self.instance)
        self.fields["action"].choices = [
            (value, label) for value, label in RetentionAction.choices if value in kind.actions
        ]
        self.fields["action"].label = "What happens when it falls due"
        for name in ("period_years", "period_days", "case_closed_years", "review_again_years"):
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-3"
        if kind.kept:
            for name in (
                "period_years",
                "period_days",
                "case_closed_years",
                "after_review",
                "review_again_years",
                "is_active",
            ):
                del self.fields[name]
        elif self.instance.trigger != "birthday":
            del self.fields["case_closed_years"]
        if not kind.kept and RetentionAction.REVIEW not in kind.actions:
            del self.fields["after_review"]
            del self.fields["review_again_years"]
        elif "after_review" in self.fields:
            self.fields["after_review"].choices = [
                (value, label)
                for value, label in self.fields["after_review"].choices
                if value and value in kind.actions
            ]
            self.fields["after_review"].required = False

    def clean(self):
        data = super().clean()
        if (
            "period_years" in self.fields
            and not (data.get("period_years") or data.get("period_days"))
            and self.instance.trigger not in ("expired",)
        ):
            self.add_error("period_years", "Enter how long the records are kept")
        if data.get("action") == RetentionAction.REVIEW:
            if not data.get("after_review"):
                self.add_error("after_review", "Choose what happens if the reviewer does not keep them")
            if not data.get("review_again_years"):
                self.add_error("review_again_years", "Enter when kept records are reviewed again")
        return data
