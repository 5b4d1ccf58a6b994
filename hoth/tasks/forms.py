from django import forms

from hoth.accounts.models import Agency, User


class CompleteTaskForm(forms.Form):
    note = forms.CharField(
        label="What was done",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Do not name the child: write what was done, not who it was for",
    )


class OverdueFilterForm(forms.Form):
    agency = forms.TypedChoiceField(label="Agency", required=False, coerce=int, empty_value=None)
    owner = forms.TypedChoiceField(label="Owner", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, overdue, **kwargs):
        super().__init__(*args, **kwargs)
        # Only those with something overdue: a filter that can only find nothing is noise.
        agencies = Agency.objects.filter(pk__in=overdue.values("owner_agency")).order_by("name")
        owners = User.objects.filter(pk__in=overdue.values("owner")).select_related("agency").order_by("full_name")
        self.fields["agency"].choices = [("", "All agencies")] + [(a.pk, a.name) for a in agencies]
        self.fields["owner"].choices = [("", "Everyone")] + [(u.pk, f"{u.full_name} ({u.agency.name})") for u in owners]
