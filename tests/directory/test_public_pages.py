"""The public directory: open to anyone, no cookies, Exit this page, warm
words for children, and nothing unpublished."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["directory:index", "directory:children", "directory:adults"]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_open_without_signing_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_set_no_cookies_at_all(client, make_service, name):
    make_service()
    response = client.get(reverse(name), {"town": "Crewe", "need": "youth-club", "age": "13"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


def test_service_pages_set_no_cookies(client, make_service):
    service = make_service()
    for name in ("directory:child-service", "directory:adult-service"):
        response = client.get(reverse(name, args=[service.pk]))
        assert response.status_code == 200
        assert not response.cookies, name


def test_a_bad_search_sets_no_cookie_either(client, make_service):
    make_service()
    response = client.get(reverse("directory:children"), {"age": "twelve"})
    assert "Type your age as a number, like 13" in response.content.decode()
    assert not response.cookies


def test_public_search_forms_use_get_and_carry_no_csrf_token(client):
    html = client.get(reverse("directory:children")).content.decode()
    assert 'method="get"' in html
    assert "csrfmiddlewaretoken" not in html


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_public_page_has_exit_this_page(client, name):
    html = client.get(reverse(name)).content.decode()
    assert 'data-module="govuk-exit-this-page"' in html
    assert 'href="https://www.bbc.co.uk/weather"' in html
    assert "Exit this page" in html


def test_public_pages_have_no_staff_navigation_or_sign_out(users, verified_client):
    signed_in = verified_client(users["coordinator"])
    html = signed_in.get(reverse("directory:children")).content.decode()
    assert "Sign out" not in html
    assert reverse("services:list") not in html


def test_childrens_page_speaks_to_children_about_their_needs(client):
    html = client.get(reverse("directory:children")).content.decode()
    for words in ("Someone to talk to", "Help at school", "Staying safe online", "If I&#x27;m scared of someone"):
        assert words in html


def test_childrens_search_shows_matching_services_with_child_descriptions(client, make_service):
    make_service(
        "Crewe Homework Club",
        towns=["Crewe"],
        needs=["help-at-school"],
        description_child="Come after school. Kind helpers help with homework.",
    )
    make_service("Nantwich Homework Club", towns=["Nantwich"], needs=["help-at-school"])
    html = client.get(reverse("directory:children"), {"town": "Crewe", "need": "help-at-school"}).content.decode()
    assert "Crewe Homework Club" in html
    assert "Kind helpers help with homework." in html
    assert "Nantwich Homework Club" not in html


def test_no_results_points_a_child_to_childline(client, make_service):
    make_service(towns=["Crewe"], needs=["youth-club"])
    html = client.get(reverse("directory:children"), {"town": "Crewe", "need": "money"}).content.decode()
    assert "We could not find a service for that" in html
    assert "0800 1111" in html


def test_unpublished_service_page_is_not_found(client, make_service):
    draft = make_service(is_published=False)
    assert client.get(reverse("directory:child-service", args=[draft.pk])).status_code == 404
    assert client.get(reverse("directory:adult-service", args=[draft.pk])).status_code == 404


def test_unpublished_service_is_not_listed(client, make_service):
    make_service("Draft Club", is_published=False)
    assert "Draft Club" not in client.get(reverse("directory:adults")).content.decode()


def test_parents_only_service_has_no_childrens_page(client, make_service):
    service = make_service(for_children=False)
    assert client.get(reverse("directory:child-service", args=[service.pk])).status_code == 404
    assert client.get(reverse("directory:adult-service", args=[service.pk])).status_code == 200


def test_public_pages_ask_browsers_not_to_store_them(client):
    response = client.get(reverse("directory:children"))
    assert "no-store" in response.headers["Cache-Control"]


def test_public_search_query_budget(client, make_service, django_assert_max_num_queries):
    for n in range(30):
        make_service(f"Club {n}")
    client.get(reverse("directory:adults"))  # fills the town list cache
    with django_assert_max_num_queries(2):
        client.get(reverse("directory:adults"), {"town": "Crewe"})


def test_someone_half_signed_in_reaches_the_public_directory_without_being_asked_for_a_code(client, users):
    """Password given, second factor not yet: the public pages are for
    everyone and must not turn into the sign-in flow."""
    client.force_login(users["practitioner"])
    response = client.get("/help/")
    assert response.status_code == 200
