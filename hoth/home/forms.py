"""Form pieces shared by every app: GOV.UK date inputs and error wording."""

import re
from datetime import date, time

from django import forms
from django.db import models
from django.utils import timezone


class DateInputWidget(forms.MultiWidget):
    """The GOV.UK date input: three boxes for day, month and year."""

    template_name = "govuk/widgets/date.html"

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
            ),
            forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}
            ),
            forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-4"}
            ),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error wording."""

    widget = DateInputWidget

    def __init__(self, *, allow_future=True, **kwargs):
        self.allow_future = allow_future
        # The parts are checked together in compress(), with GOV.UK's wording.
        fields = [forms.CharField(required=False) for _ in range(3)]
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, values):
        if not values or not any(values):
            return None
        day, month, year = (v.strip() if v else "" for v in values)
        label = (self.label or "date").lower()
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"The {label} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(f"The {label} must be a real date")
        try:
            value = date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"The {label} must be a real date") from None
        if not self.allow_future and value > timezone.localdate():
            raise forms.ValidationError(f"The {label} must be today or in the past")
        return value


def apply_errors(form, error, rename=None):
    """Put a service's ValidationError against the form's fields: each
    {field: messages} entry on the field of that name (or of the name
    `rename` gives it), anything else at the top of the error summary."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, messages in error.message_dict.items():
        target = rename.get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


TIME_HINT = "Use the 24-hour clock or am and pm, for example 14:30 or 2:30pm"
_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$")


def parse_time(value):
    """'14:30', '2:30pm', '9.15', '2pm', '12am' -> time, or None if it is not a time."""
    match = _TIME.match((value or "").strip().lower().replace(" ", ""))
    if not match:
        return None
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), match["half"]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match["minute"] is None:
        return None  # "14" alone is too easily a slip
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class TimeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("help_text", TIME_HINT)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        parsed = parse_time(value)
        if parsed is None:
            label = (self.label or "time").lower()
            raise forms.ValidationError(f"Enter the {label} as a real time, like 14:30 or 2:30pm")
        return parsed


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Several records chosen by id. An id beyond a 64-bit integer is an
    invalid choice like any other: asked about one, SQLite raises instead of
    answering (an `IN` lookup with it overflows)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        meta = self.queryset.model._meta
        field = meta.pk if key == "pk" else meta.get_field(key)
        if isinstance(field, models.IntegerField):
            for item in value:
                try:
                    number = int(str(item))
                except ValueError:
                    continue  # the parent class names it as not a valid value
                if not -(2**63) <= number < 2**63:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return super()._check_values(value)
