"""What the board chooses to look at, and a month worked out again."""

import datetime

from django import forms

from hoth.working_days.counting import add_months

from .selectors import WHOLE_PARTNERSHIP


class ChoiceForm(forms.Form):
    """The dashboard's filters: a quarter the snapshot covers and an area."""

    quarter = forms.ChoiceField(label="Quarter", error_messages={"invalid_choice": "Choose a quarter from the list"})
    area = forms.ChoiceField(
        label="Area", required=False, error_messages={"invalid_choice": "Choose an area from the list"}
    )

    def __init__(self, *args, quarters: list[str], areas: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(q, q) for q in quarters]
        self.fields["area"].choices = [(WHOLE_PARTNERSHIP, "The whole partnership")] + [(a, a) for a in areas]


class RecomputeForm(forms.Form):
    month = forms.ChoiceField(label="Month", error_messages={"required": "Choose the month to work out again"})
    reason = forms.CharField(
        label="Why it must be worked out again",
        help_text="For example: late data from a partner, or a correction to records. The board reads this.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the month must be worked out again"},
    )

    def __init__(self, *args, months: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", "Choose a month")] + [(m.isoformat(), f"{m:%B %Y}") for m in months]

    def clean_month(self) -> datetime.date:
        return datetime.date.fromisoformat(self.cleaned_data["month"])


def recomputable_months(last: datetime.date, count: int = 36) -> list[datetime.date]:
    """The months that have ended, latest first."""
    return [add_months(last, -n) for n in range(count)]


class PopulationForm(forms.Form):
    MAX_BYTES = 10 * 1024 * 1024
    file = forms.FileField(
        label="CSV file",
        help_text="Saved as UTF-8, with the header row year,area,age,sex,ethnicity,population; at most 10 MB",
        error_messages={"required": "Choose the CSV file of the child population"},
    )
    source = forms.CharField(
        label="Where the figures come from",
        max_length=200,
        help_text="For example: ONS mid-year estimates 2024, with Census 2021 ethnic groups",
        error_messages={"required": "Say where the figures come from"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file must be 10 MB or smaller")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be saved as UTF-8") from None
