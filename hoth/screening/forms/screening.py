"""Forms for the screening pages. Every error names the indicator it is about,
so that the error summary at the top of a page of several questions still
says which one needs attention."""

from django import forms

from hoth.screening.models import Level, ScreeningAnswer

EVIDENCE_MAX = 5000


class FollowUpChoiceField(forms.ChoiceField):
    """Needed only when the indicator is present: the form's clean() decides,
    so the label does not say "optional" for a question that is not."""

    def validate(self, value):
        if value:
            super().validate(value)


class FollowUpCharField(forms.CharField):
    def validate(self, value):
        pass


class IndicatorForm(forms.Form):
    """One indicator: present, not present or not known; when present, when,
    the evidence and where it came from. The follow-up questions are revealed
    by GOV.UK Frontend when JavaScript runs, and checked here either way."""

    state = forms.ChoiceField(choices=ScreeningAnswer.State.choices, widget=forms.RadioSelect, required=False)
    when = FollowUpChoiceField(
        choices=ScreeningAnswer.When.choices, widget=forms.RadioSelect, label="When was this last seen or known about?"
    )
    evidence = FollowUpCharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=EVIDENCE_MAX, label="What is the evidence?"
    )
    source = FollowUpChoiceField(
        choices=ScreeningAnswer.Source.choices, widget=forms.RadioSelect, label="Where did this come from?"
    )
    use_required_attribute = False

    def __init__(self, *args, indicator, answer=None, require_answer=False, **kwargs):
        self.indicator = indicator
        self.answer = answer
        self.require_answer = require_answer
        if answer is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "state": answer.state,
                "when": answer.when,
                "evidence": answer.evidence,
                "source": answer.source,
            }
        super().__init__(*args, prefix=indicator["code"], **kwargs)
        # The id the error summary links to (the first radio) and the legend both use the indicator.
        self.fields["state"].label = indicator["text"]
        self.fields["evidence"].error_messages["max_length"] = (
            f"The evidence for \u201c{indicator['text']}\u201d must be {EVIDENCE_MAX} characters or fewer"
        )

    def clean(self):
        data = super().clean()
        text = self.indicator["text"]
        state = data.get("state")
        if not state:
            if self.require_answer:
                self.add_error("state", f"Select whether \u201c{text}\u201d is present, not present or not known")
            return data
        if state != ScreeningAnswer.State.PRESENT:
            data.update(when="", evidence="", source="")
            return data
        if not data.get("when"):
            self.add_error("when", f"Select when \u201c{text}\u201d was last seen or known about")
        if not (data.get("evidence") or "").strip() and "evidence" not in self.errors:
            self.add_error("evidence", f"Enter the evidence that \u201c{text}\u201d is present")
        if not data.get("source"):
            self.add_error("source", f"Select where the information about \u201c{text}\u201d came from")
        return data


class JudgementForm(forms.Form):
    """Professional judgement, on its own page and never mixed with the evidence."""

    use_required_attribute = False

    differs = forms.ChoiceField(
        choices=[("no", "No, the level from the rules is right"), ("yes", "Yes, my judgement gives a different level")],
        widget=forms.RadioSelect,
        label="Does your professional judgement give a different level?",
        error_messages={"required": "Select whether your professional judgement gives a different level"},
    )
    level = FollowUpChoiceField(
        choices=Level.choices, widget=forms.RadioSelect, label="Which level does your judgement give?"
    )
    reason = FollowUpCharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=EVIDENCE_MAX,
        label="Why does your judgement differ from the rules?",
        help_text="Say what you know that the indicators do not show",
    )

    def clean(self):
        data = super().clean()
        if data.get("differs") != "yes":
            data.update(level="", reason="")
            return data
        if not data.get("level"):
            self.add_error("level", "Select the level your judgement gives")
        if not (data.get("reason") or "").strip() and "reason" not in self.errors:
            self.add_error("reason", "Give the reason for your judgement")
        return data


class RefusalForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=EVIDENCE_MAX,
        label="Why are you refusing the lower level?",
        error_messages={"required": "Give the reason for refusing the lower level"},
    )
