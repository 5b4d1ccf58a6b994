"""Recording places, groups, schools and online spaces, and who sees them."""

import pytest
from django.core.exceptions import PermissionDenied

from hoth.audit.models import AuditEvent
from hoth.contexts import selectors, services
from hoth.contexts.forms import ContextForm
from hoth.contexts.models import Context

PARK = {
    "kind": "place",
    "name": "Queens Park skate area",
    "place_type": "park",
    "town": "Crewe",
    "postcode": "CW1 3AB",
    "description": "Older males selling to year 9s",
}


def test_a_practitioner_records_a_place_and_sees_it_but_other_practitioners_do_not(users):
    park = services.create_context(users["practitioner"], PARK)
    assert park.reference.startswith("C-") and park.description == "Older males selling to year 9s"
    assert AuditEvent.objects.filter(action="create", object_type="contexts.Context", object_id=str(park.pk)).exists()
    assert list(Context.objects.visible_to(users["practitioner"])) == [park]
    assert not Context.objects.visible_to(users["school_practitioner"]).exists()
    # Places are the analysts' and coordinators' subject.
    assert Context.objects.visible_to(users["analyst"]).get() == park
    assert Context.objects.visible_to(users["coordinator"]).get() == park


@pytest.mark.parametrize("role", ["panel_chair", "manager", "auditor"])
def test_only_those_who_may_refer_or_work_intelligence_record_a_context(role, users):
    with pytest.raises(PermissionDenied):
        services.create_context(users[role], PARK)
    assert not Context.objects.exists()


def test_an_analyst_records_the_place_intelligence_is_about(users):
    hotel = services.create_context(users["analyst"], PARK)
    assert Context.objects.visible_to(users["analyst"]).get() == hotel


def test_search_finds_by_name_town_or_handle_only_what_the_user_may_see(users):
    park = services.create_context(users["practitioner"], PARK)
    chat = services.create_context(
        users["school_practitioner"],
        {"kind": "online", "name": "Year 10 chat", "platform": "Snapchat", "handle": "y10crewe"},
    )
    assert selectors.find_contexts(users["practitioner"], "queens crewe") == [park]
    assert selectors.find_contexts(users["practitioner"], "y10crewe") == []
    assert selectors.find_contexts(users["coordinator"], "y10crewe") == [chat]


def test_the_form_checks_the_postcode_and_what_an_online_space_needs():
    form = ContextForm({"kind": "online", "name": "Group chat", "postcode": "XX"})
    assert not form.is_valid()
    assert form.errors["postcode"] == ["Enter a real postcode, like CW1 2AB"]
    assert form.errors["platform"] == ["Enter the platform or app, or the account, group or channel"]
    assert ContextForm({"kind": "peer_group", "name": "Mill Street group", "place_type": "park"}).errors == {
        "place_type": ["Only a place or a school has a type of place: choose 'Not a place'"]
    }
    assert ContextForm({"name": "Somewhere"}).errors["kind"] == [
        "Select whether it is a place, a peer group, a school or an online space"
    ]
