"""Forms for replacing the screening tool.

An uploaded version is checked completely before anything is saved: every
problem validate_tool finds is shown in the error summary at once, so an
administrator can fix the file in one go.
"""

from django import forms

from hoth import untrusted_json
from hoth.analytics.screening import validate_tool
from hoth.screening.models import ScreeningTool
from hoth.screening.reference import harm_type_codes

MAX_UPLOAD_BYTES = 1024 * 1024


class UploadToolForm(forms.Form):
    definition = forms.FileField(
        label="Upload the new version",
        help_text="A JSON file in the same format as a downloaded version, with a new version number.",
        error_messages={"required": "Choose the JSON file of the new version", "empty": "The file you chose is empty"},
    )
    notes = forms.CharField(
        label="What changed from the previous version",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: weights for online indicators raised after the partnership's review.",
    )

    def clean_definition(self):
        upload = self.cleaned_data["definition"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 1 MB")
        try:
            definition = untrusted_json.loads(upload.read())
        except untrusted_json.UntrustedJSONError as error:
            raise forms.ValidationError(f"The file cannot be read. {error}") from None
        problems = validate_tool(definition, harm_type_codes() or set())
        version = definition.get("version") if isinstance(definition, dict) else None
        if isinstance(version, str) and ScreeningTool.objects.filter(version=version).exists():
            problems.append(f"Version {version} already exists: give the new tool a new version number")
        if problems:
            raise forms.ValidationError([forms.ValidationError(p) for p in problems])
        return definition


class ConfirmPublishForm(forms.Form):
    """Publishing needs no answer, only the button: the form carries the CSRF token."""
