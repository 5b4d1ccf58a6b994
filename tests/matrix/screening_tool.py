"""Who may see and replace the screening tool, and who may pre-screen through
the API.

reference_data.manage: system administrators only, for every page of the
tool (it shapes every agency's screenings). screening.evaluate: the casework
roles; it saves nothing and shows no one's record, so there is no object and
no out-of-scope case.
"""

from hoth.referrals import reference as harm_types
from hoth.screening import reference
from hoth.screening.models import ScreeningTool

from .common import CASEWORK, SYSTEM_ADMINISTRATORS, Rule


def installed(world, user, scope):
    """The shipped tool, installed and current; the route takes no arguments."""
    harm_types.load()
    reference.load()
    return {}


def shipped_version(world, user, scope):
    installed(world, user, scope)
    return {"pk": ScreeningTool.objects.get(version="2026.1").pk}


def unpublished_version(world, user, scope):
    """A version uploaded but not yet current, so that publishing it does something."""
    installed(world, user, scope)
    current = ScreeningTool.current()
    tool, _ = ScreeningTool.objects.get_or_create(
        version="matrix.1",
        defaults={"name": "Next version", "definition": dict(current.definition, version="matrix.1")},
    )
    return {"pk": tool.pk}


EVALUATE = {
    "answers": {
        "missing_repeat": {"state": "present"},
        "assoc_controlling_adult": {"state": "unknown"},
        "disclosure_exploitation": {"state": "not_present"},
    },
    "child": {"age": 14, "learning_disability": False},
}

RULES = {
    "screening_tool:current": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=installed),
    "screening_tool:versions": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=installed),
    "screening_tool:version": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=shipped_version),
    "screening_tool:download": Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=shipped_version),
    "screening_tool:upload": (
        Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=installed),
        # No file: the form answers with its error summary, and nothing is saved.
        Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=installed, method="POST"),
    ),
    "screening_tool:publish": (
        Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=unpublished_version),
        Rule(allowed=SYSTEM_ADMINISTRATORS, kwargs=unpublished_version, method="POST"),
    ),
    "api:screening-evaluate": Rule(allowed=CASEWORK, kwargs=installed, method="POST", json=True, data=EVALUATE),
}
