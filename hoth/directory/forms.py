"""Staff form for a service, and the public search forms (GET, no CSRF
token: the public pages set no cookies at all)."""

from django import forms

from hoth.directory import needs, readability
from hoth.referrals.models import HarmType

from .models import Service
from .selectors import known_towns

_SPLIT = ","


class ServiceForm(forms.ModelForm):
    needs = forms.MultipleChoiceField(
        label="Needs it helps with",
        choices=[(n.code, n.adult) for n in needs.NEEDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    towns = forms.MultipleChoiceField(
        label="Towns it covers",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_towns = forms.CharField(
        label="Other towns",
        required=False,
        help_text="Towns not listed above, separated by commas",
    )
    harm_types = forms.ModelMultipleChoiceField(
        label="Harm it helps with",
        queryset=HarmType.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    website = forms.URLField(required=False, assume_scheme="https")
    # The fingerprint of the child's description the reading-age warning was
    # shown for; sent by the "Save anyway" button.
    reading_age_ack = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Service
        fields = [
            "name",
            "provider",
            "offers",
            "description_adult",
            "description_child",
            "needs",
            "harm_types",
            "age_min",
            "age_max",
            "area_wide",
            "towns",
            "for_children",
            "for_parents",
            "self_referral",
            "professional_referral",
            "phone",
            "text_number",
            "email",
            "website",
            "address",
            "opening_hours",
            "languages",
            "accessibility",
        ]
        labels = {"age_min": "Youngest age", "age_max": "Oldest age", "offers": "What it offers"}
        widgets = {
            "description_adult": forms.Textarea(attrs={"rows": 5}),
            "description_child": forms.Textarea(attrs={"rows": 5}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        towns = set(known_towns()) | set(self.instance.towns or [])
        self.fields["towns"].choices = [(t, t) for t in sorted(towns)]
        self.reading_age = None
        self.reading_age_warning = False

    def clean_other_towns(self):
        return [t.strip() for t in self.cleaned_data["other_towns"].split(_SPLIT) if t.strip()]

    def clean(self):
        data = super().clean()
        if "towns" in data or "other_towns" in data:
            towns = list(dict.fromkeys((data.get("towns") or []) + (data.get("other_towns") or [])))
            self.instance.towns = towns
            data["towns"] = towns
        text = data.get("description_child")
        if text and not self.errors:
            self.reading_age = readability.reading_age(text)
            if self.reading_age > readability.MAX_READING_AGE and data.get(
                "reading_age_ack"
            ) != readability.fingerprint(text):
                self.reading_age_warning = True
        return data

    @property
    def reading_age_fingerprint(self):
        return readability.fingerprint(self.cleaned_data.get("description_child", ""))


class _PublicSearch(forms.Form):
    town = forms.ChoiceField(required=False)
    need = forms.ChoiceField(required=False)
    age = forms.IntegerField(required=False, min_value=0, max_value=25)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].choices = [("", self.any_town)] + [(t, t) for t in known_towns()]
        self.fields["need"].choices = [("", self.any_need)] + [(n.code, self.need_label(n)) for n in needs.NEEDS]


class ChildSearchForm(_PublicSearch):
    any_town = "Anywhere"
    any_need = "Anything"

    def need_label(self, need):
        return need.child

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].label = "Where do you live?"
        self.fields["need"].label = "What do you need help with?"
        self.fields["age"].label = "How old are you?"
        self.fields["age"].error_messages = {
            "invalid": "Type your age as a number, like 13",
            "min_value": "Type your age as a number, like 13",
            "max_value": "Type an age of 25 or under",
        }


class AdultSearchForm(_PublicSearch):
    any_town = "Any town"
    any_need = "Any need"

    def need_label(self, need):
        return need.adult

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].label = "Town"
        self.fields["need"].label = "What kind of help"
        self.fields["age"].label = "Age of the child or young person"
        self.fields["age"].error_messages = {
            "invalid": "Enter the age as a number, like 14",
            "min_value": "Enter an age of 0 or more",
            "max_value": "Enter an age of 25 or under",
        }
