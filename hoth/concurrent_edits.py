"""Two people editing one record: the second save is never lost silently.

A record with a `version` field moves on one version per save, and only if it
is still at the version the person read (`claim`): the conditional UPDATE is
the lock, so of two saves that read the same version exactly one matches the
row, and the other raises EditConflict carrying the record as it was saved.
Views run the save through `save_form`, which shows the form again with what
the person typed, the conflict explained, and the hidden version moved on to
the other person's: saving again means "mine wins, knowingly"."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F


class ShowProblems:
    def show_problems(self, problems):
        """Put a service's {field: message} against the form's fields."""
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)


class VersionedForm(ShowProblems, forms.Form):
    """A form that carries the version of the record it was read at (a plan
    not yet saved is at version 0)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class EditConflict(Exception):
    """Someone else saved the record since this user read it."""

    def __init__(self, record):
        super().__init__(f"{record._meta.verbose_name.capitalize()} {record.pk} was changed by someone else")
        self.current = type(record)._base_manager.get(pk=record.pk)


def claim(record, read_version, **changes):
    """Move `record` on one version, with `changes`, if it is still at
    `read_version`; otherwise raise EditConflict."""
    updated = (
        type(record)
        ._base_manager.filter(pk=record.pk, version=read_version)
        .update(version=F("version") + 1, **changes)
    )
    if not updated:
        raise EditConflict(record)
    record.version = read_version + 1
    for name, value in changes.items():
        setattr(record, name, value)


def save_form(form, conflict_message, call):
    """Run a service call for a form; put its problems on the form. Returns
    (what the call returned, None), or (None, the record as the other person
    saved it) on a conflict, or (None, None) when the call refused the input."""
    try:
        return call(), None
    except EditConflict as conflict:
        form.add_error(None, conflict_message)
        data = form.data.copy()
        data["version"] = str(conflict.current.version)
        form.data = data
        return None, conflict.current
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            form.show_problems({k: v[0].messages[0] for k, v in error.error_dict.items()})
        else:
            form.add_error(None, error.messages[0])
        return None, None
