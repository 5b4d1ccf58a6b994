"""Who may use the support services directory: anyone at all reads the public
pages (/help/); coordinators and system administrators keep the entries
(directory.manage). A service is not personal data, so there is no in-scope or
out-of-scope object: every service is equally anyone's to read once published,
and equally a directory keeper's to edit."""

from hoth.accounts.models import Role
from hoth.directory.models import Service

from .common import PUBLIC, Rule

KEEPERS = frozenset({Role.COORDINATOR, Role.SYSTEM_ADMIN})


def service(world, user, scope):
    made = Service.objects.create(
        name="Crewe Youth Club",
        provider="Cheshire East Youth Service",
        offers="A youth club",
        description_adult="An open-access youth club.",
        description_child="A club for you.",
        needs=["youth-club"],
        towns=["Crewe"],
        is_published=True,
    )
    return {"pk": made.pk}


def _edit_data():
    return {
        "name": "Crewe Youth Club",
        "provider": "Cheshire East Youth Service",
        "offers": "A youth club",
        "description_adult": "An open-access youth club.",
        "description_child": "A club for you. It is fun.",
        "needs": ["youth-club"],
        "towns": ["Crewe"],
        "age_min": "11",
        "age_max": "19",
        "for_children": "on",
        "languages": "English",
    }


RULES = {
    "directory:index": PUBLIC,
    "directory:children": PUBLIC,
    "directory:adults": PUBLIC,
    "directory:child-service": Rule(allowed=PUBLIC.allowed, public=True, kwargs=service),
    "directory:adult-service": Rule(allowed=PUBLIC.allowed, public=True, kwargs=service),
    # directory.manage: coordinators and system administrators.
    "services:list": Rule(allowed=KEEPERS),
    "services:new": Rule(allowed=KEEPERS),
    "services:detail": Rule(allowed=KEEPERS, kwargs=service),
    "services:edit": Rule(allowed=KEEPERS, kwargs=service, method="POST", data=_edit_data()),
    "services:review": Rule(allowed=KEEPERS, kwargs=service, method="POST"),
    "services:publish": Rule(allowed=KEEPERS, kwargs=service, method="POST", data={"publish": "0"}),
}
