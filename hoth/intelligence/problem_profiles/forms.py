"""The questions a problem profile asks: which towns, which kind of harm, which period."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from hoth.contexts.models import Town
from hoth.home.forms import GovukDateField, RecordsChoiceField
from hoth.intelligence.problem_profiles.contents import LONGEST_PERIOD_DAYS, Parameters, default_first_day
from hoth.referrals.models import HarmType


class TownChoiceField(RecordsChoiceField):
    def label_from_instance(self, town):
        return town.name if town.in_partnership else f"{town.name} (neighbouring area)"


class ProblemProfileForm(forms.Form):
    towns = TownChoiceField(
        label="Which towns is it about?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=Town.objects.all(),
        help_text="Leave them all unticked for the whole partnership",
    )
    harm = forms.ModelChoiceField(
        label="Which kind of harm is it about?",
        required=False,
        empty_label="All kinds of harm",
        queryset=HarmType.objects.filter(is_active=True),
        to_field_name="code",
    )
    start = GovukDateField(
        label="Start date",
        required=False,
        allow_future=False,
        help_text="For example, 1 4 2025. Leave both dates empty for the last 12 months.",
    )
    end = GovukDateField(
        label="End date",
        required=False,
        allow_future=False,
        help_text="For example, 31 3 2026. The profile includes this day.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.fields["towns"].queryset.exists():
            # Without the map's towns there is only the whole partnership to choose.
            del self.fields["towns"]

    @classmethod
    def with_defaults(cls):
        today = timezone.localdate()
        return cls(initial={"start": default_first_day(today), "end": today})

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        end = data.get("end")
        start = data.get("start")
        if end is None:
            end = timezone.localdate()
        if start is None:
            start = default_first_day(end)
        if end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        elif end - start > timedelta(days=LONGEST_PERIOD_DAYS):
            self.add_error("start", "The period must be 5 years or shorter")
        data["start"], data["end"] = start, end
        return data

    def parameters(self):
        data = self.cleaned_data
        return Parameters(
            towns=tuple(data.get("towns") or ()), harm=data.get("harm"), first_day=data["start"], last_day=data["end"]
        )
