"""Render Django form fields as GOV.UK Design System components.

`{% govuk_error_summary form %}` at the top of a form, then
`{% govuk_field form.name %}` for each field; the widget decides the component.
"""

from django import forms, template
from django.template.loader import render_to_string

register = template.Library()


def _kind(widget):
    # CheckboxSelectMultiple is a subclass of RadioSelect, so it is asked first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.MultiWidget):
        return "date"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


_CLASSES = {
    "input": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
}


@register.simple_tag
def govuk_field(field, label_class="", width="", hint=None, page_heading=False, conditional=False):
    """A form field in the GOV.UK pattern. `conditional`: the field is asked
    for only after some answers (its hint says which), so it is not labelled
    "(optional)"."""
    kind = _kind(field.field.widget)
    attrs = {}
    if kind in _CLASSES:
        css = [_CLASSES[kind]]
        if field.errors:
            css.append(f"{_CLASSES[kind]}--error")
        if width:
            css.append(f"govuk-input--width-{width}" if width.isdigit() else f"govuk-!-width-{width}")
        attrs["class"] = " ".join(css)
    hint_text = hint if hint is not None else field.help_text
    described = []
    if hint_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described and kind in ("input", "textarea", "select"):
        attrs["aria-describedby"] = " ".join(described)
    if kind == "date" and field.errors:
        for sub in field.field.widget.widgets:
            sub.attrs["class"] = sub.attrs.get("class", "").replace(" govuk-input--error", "") + " govuk-input--error"
    widget_html = field.as_widget(attrs=attrs) if kind not in ("radios", "checkboxes", "checkbox") else ""
    return render_to_string(
        "govuk/field.html",
        {
            "field": field,
            "kind": kind,
            "widget_html": widget_html,
            "hint": hint_text,
            "label_class": label_class,
            "page_heading": page_heading,
            "optional": not field.field.required and not conditional,
            "described_by": " ".join(described),
        },
    )


@register.inclusion_tag("govuk/error_summary.html")
def govuk_error_summary(*forms_):
    errors = []
    for form in forms_:
        if form is None:
            continue
        for message in form.non_field_errors():
            errors.append({"href": "#main-content", "message": message})
        for field in form:
            for message in field.errors:
                anchor = field.auto_id
                if _kind(field.field.widget) in ("radios", "checkboxes"):
                    anchor = f"{field.auto_id}_0"
                elif _kind(field.field.widget) == "date":
                    anchor = f"{field.auto_id}_0"
                errors.append({"href": f"#{anchor}", "message": message})
    return {"errors": errors}


@register.filter
def idle_duration(seconds):
    """120 -> "2 minutes", 45 -> "45 seconds", as the idle warning says it."""
    seconds = int(seconds)
    if seconds % 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = seconds // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
