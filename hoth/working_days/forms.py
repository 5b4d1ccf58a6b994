from django import forms

from hoth.home.forms import GovukDateField

from .models import BankHoliday


class BankHolidayForm(forms.Form):
    day = GovukDateField(label="Date", help_text="For example, 8 5 2026")
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="For example, a special bank holiday",
        error_messages={"required": "Enter the name of the bank holiday"},
    )

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day.weekday() >= 5:
            raise forms.ValidationError("A bank holiday falls on a weekday: weekends are never working days")
        if BankHoliday.objects.filter(day=day).exists():
            raise forms.ValidationError("That day is already a bank holiday")
        return day


class ConfirmForm(forms.Form):
    """The removal asks only for the button; the form carries the CSRF token."""
