"""The auditor's filters over the audit log."""

from datetime import datetime, time, timedelta

from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from hoth.accounts.models import Agency
from hoth.home.forms import GovukDateField

from .models import Action, AuditEvent


def object_type_choices():
    """Every kind of record an event can be about, named as people say it.
    Taken from the code, not the log: listing the distinct values of a table of
    millions of rows on every page would cost more than the search."""
    models = [m for m in apps.get_models() if m.__module__.startswith("hoth.") and m._meta.app_label != "audit"]
    names = [str(m._meta.verbose_name).capitalize() for m in models]
    choices = []
    for model, name in zip(models, names):
        if names.count(name) > 1:
            name = f"{name} ({model._meta.app_config.verbose_name})"
        choices.append((model._meta.label, name))
    return [("", "Any type of record")] + sorted(choices, key=lambda c: c[1])


class AuditSearchForm(forms.Form):
    actor = forms.CharField(
        label="User", required=False, max_length=254, help_text="Email address, or part of it, or the person's name"
    )
    agency = forms.ChoiceField(
        label="Agency", required=False, error_messages={"invalid_choice": "Select an agency from the list"}
    )
    action = forms.ChoiceField(
        label="What they did",
        required=False,
        choices=[("", "Any action")] + list(Action.choices),
        error_messages={"invalid_choice": "Select an action from the list"},
    )
    object_type = forms.ChoiceField(
        label="Type of record",
        required=False,
        error_messages={"invalid_choice": "Select a type of record from the list"},
    )
    person = forms.CharField(
        label="Person reference",
        required=False,
        max_length=12,
        help_text="For example, P-AB23CDE. Finds every event about the person, including searches that showed them.",
        error_messages={"max_length": "A person reference is 9 characters, like P-AB23CDE"},
    )
    date_from = GovukDateField(
        label="Start date",
        required=False,
        help_text="For example, 27 3 2026",
    )
    date_to = GovukDateField(
        label="End date",
        required=False,
        help_text="For example, 3 4 2026",
    )
    text = forms.CharField(label="Words in the reason", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "Any agency")] + [
            (name, name) for name in Agency.objects.order_by("name").values_list("name", flat=True)
        ]
        self.fields["object_type"].choices = object_type_choices()
        self.person_id = None

    def clean_person(self):
        reference = self.cleaned_data["person"].strip().upper()
        if not reference:
            return ""
        from hoth.people.models import Person

        # Only the reference is turned into the id the log is keyed on; no
        # personal data is read. The audit.search rule decided this user may
        # search the log, including about people they cannot see.
        self.person_id = Person.objects.filter(reference=reference).values_list("pk", flat=True).first()
        if self.person_id is None:
            raise forms.ValidationError(f"There is no person with the reference {reference}")
        return reference

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned

    def filters(self):
        """The filters used, for the audit record of the search itself."""
        return {
            name: (value.isoformat() if hasattr(value, "isoformat") else value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }

    def events(self):
        """The matching events, newest first (chain order is time order)."""
        data = self.cleaned_data
        events = AuditEvent.objects.all()
        if data.get("actor"):
            events = events.filter(Q(actor__icontains=data["actor"]) | Q(user__full_name__icontains=data["actor"]))
        if data.get("agency"):
            events = events.filter(agency=data["agency"])
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("object_type"):
            events = events.filter(object_type=data["object_type"])
        if self.person_id is not None:
            events = events.filter(people__person_id=self.person_id)
        # Dates are days in the partnership's time zone, the end date included.
        if data.get("date_from"):
            events = events.filter(at__gte=timezone.make_aware(datetime.combine(data["date_from"], time.min)))
        if data.get("date_to"):
            next_day = data["date_to"] + timedelta(days=1)
            events = events.filter(at__lt=timezone.make_aware(datetime.combine(next_day, time.min)))
        if data.get("text"):
            events = events.filter(reason__icontains=data["text"])
        return events.order_by("-id")
