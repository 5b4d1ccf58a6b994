"""Forms for recording a context."""

from django import forms

from hoth.people.forms import clean_postcode_value

from .models import Context


class ContextForm(forms.Form):
    kind = forms.ChoiceField(label="What is it?", choices=Context.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select whether it is a place, a peer group, a school or an "
                                                         "online space"})
    name = forms.CharField(label="What do people call it?", max_length=200,
                           help_text="For example, Queens Park skate area, or the Mill Street group",
                           error_messages={"required": "Enter what people call the place, group, school or space"})
    place_type = forms.ChoiceField(label="Type of place", choices=[("", "Not a place, or not known")]
                                   + list(Context.PlaceType.choices), required=False)
    address = forms.CharField(label="Address or description of where it is", max_length=300, required=False)
    town = forms.CharField(label="Town", max_length=80, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    platform = forms.CharField(label="Platform or app", max_length=80, required=False,
                               help_text="For an online space, for example Snapchat or Discord")
    handle = forms.CharField(label="Account, group or channel", max_length=200, required=False)
    description = forms.CharField(label="Describe it", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="Who goes there or is part of it, when, and what you know happens. "
                                            "Kept encrypted.")

    def clean_postcode(self):
        return clean_postcode_value(self.cleaned_data.get("postcode"))

    def clean(self):
        data = super().clean()
        if data.get("kind") == Context.Kind.ONLINE and not (data.get("platform") or data.get("handle")):
            self.add_error("platform", "Enter the platform or app, or the account, group or channel")
        if data.get("place_type") and data.get("kind") not in (Context.Kind.PLACE, Context.Kind.SCHOOL):
            self.add_error("place_type", "Only a place or a school has a type of place: choose 'Not a place'")
        return data
