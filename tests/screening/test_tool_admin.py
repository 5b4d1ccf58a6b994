"""System administrators replace the screening tool; screenings keep theirs."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoth.audit.models import AuditEvent
from hoth.people.models import Person
from hoth.referrals import reference as harm_type_reference
from hoth.screening import reference
from hoth.screening.models import Screening, ScreeningTool

SHIPPED = json.loads((reference.FIXTURES / "screening_tool_2026.1.json").read_text())


@pytest.fixture
def shipped(db):
    harm_type_reference.load()
    reference.load()
    return ScreeningTool.objects.get(version="2026.1")


@pytest.fixture
def admin(users, verified_client):
    return verified_client(users["system_admin"])


def next_version(version="2026.2", **changes):
    definition = json.loads(json.dumps(SHIPPED))
    definition["version"] = version
    definition.update(changes)
    return definition


def upload_file(definition, name="tool.json"):
    body = definition if isinstance(definition, bytes) else json.dumps(definition).encode()
    return SimpleUploadedFile(name, body, content_type="application/json")


def upload(http, definition, notes=""):
    return http.post(reverse("screening_tool:upload"), {"definition": upload_file(definition), "notes": notes})


def admin_events():
    return list(AuditEvent.objects.filter(action="admin", object_type="screening.ScreeningTool").order_by("id"))


# ------------------------------------------------------------------ loading the shipped tool


def test_load_installs_the_shipped_version_as_current(shipped):
    assert shipped.is_current and shipped.name == SHIPPED["name"]
    assert shipped.definition["domains"] == SHIPPED["domains"]
    assert "notes" not in shipped.definition and shipped.notes == SHIPPED["notes"]
    assert ScreeningTool.current() == shipped


def test_load_is_idempotent(shipped):
    before = list(ScreeningTool.objects.values())
    assert reference.load() == "screening tool: 0 version(s) added; current version 2026.1"
    assert list(ScreeningTool.objects.values()) == before


def test_load_never_changes_an_installed_version(shipped):
    """Screenings were scored with the stored definition; it must stay as it was."""
    stored = json.loads(json.dumps(shipped.definition))
    stored["thresholds"]["high"] = 99
    ScreeningTool.objects.filter(pk=shipped.pk).update(definition=stored, name="As installed")
    reference.load()
    shipped.refresh_from_db()
    assert shipped.definition["thresholds"]["high"] == 99 and shipped.name == "As installed"


def test_load_leaves_a_version_an_administrator_published(shipped, users, admin):
    upload(admin, next_version())
    newer = ScreeningTool.objects.get(version="2026.2")
    admin.post(reverse("screening_tool:publish", args=[newer.pk]))
    reference.load()
    assert ScreeningTool.current().version == "2026.2"


def test_load_leaves_an_older_version_an_administrator_went_back_to(db, users, tmp_path, monkeypatch):
    harm_type_reference.load()
    for version in ("2026.1", "2026.2"):
        (tmp_path / f"screening_tool_{version}.json").write_text(json.dumps(next_version(version)))
    monkeypatch.setattr(reference, "FIXTURES", tmp_path)
    reference.load()
    assert ScreeningTool.current().version == "2026.2"
    reference.publish(users["system_admin"], ScreeningTool.objects.get(version="2026.1"))
    reference.load()
    assert ScreeningTool.current().version == "2026.1"


def test_a_newly_shipped_version_replaces_an_older_shipped_current_one(db, tmp_path, monkeypatch):
    harm_type_reference.load()
    (tmp_path / "screening_tool_2026.1.json").write_text(json.dumps(next_version("2026.1")))
    monkeypatch.setattr(reference, "FIXTURES", tmp_path)
    reference.load()
    (tmp_path / "screening_tool_2026.10.json").write_text(json.dumps(next_version("2026.10")))
    (tmp_path / "screening_tool_2026.9.json").write_text(json.dumps(next_version("2026.9")))
    assert reference.load() == "screening tool: 2 version(s) added; current version 2026.10"
    assert ScreeningTool.objects.filter(is_current=True).count() == 1


def test_load_refuses_a_shipped_version_that_is_not_valid(db, tmp_path, monkeypatch):
    (tmp_path / "screening_tool_9.json").write_text(json.dumps(next_version("9", thresholds={"low": 1})))
    monkeypatch.setattr(reference, "FIXTURES", tmp_path)
    with pytest.raises(ValueError, match="medium threshold"):
        reference.load()


# ------------------------------------------------------------------ seeing the tool


def test_the_current_tool_page_shows_domains_indicators_rules_and_thresholds(shipped, admin):
    page = admin.get(reverse("screening_tool:current")).content.decode()
    assert "Contextual Safeguarding Screening Tool" in page and "2026.1" in page
    for domain in SHIPPED["domains"]:
        assert f'<caption class="govuk-table__caption govuk-table__caption--m">{domain["name"]}</caption>' in page
    assert "Getting in and out of cars driven by unknown adults" in page
    assert "Significant risk indicator" in page and "Vulnerability" in page
    assert "A disclosure of exploitation is High" in page
    assert "A child aged 13 or under with a significant risk indicator is at least Medium" in page
    assert "Medium (emerging)" in page and "CSE" in page  # thresholds and harm type short names
    assert "Required" in page


def test_the_tool_page_says_when_no_version_is_published(db, admin):
    page = admin.get(reverse("screening_tool:current")).content.decode()
    assert "No version of the screening tool has been published" in page


def test_the_versions_list_counts_the_screenings_made_with_each(shipped, users, admin):
    child = Person.objects.create(given_names="Kacey", family_name="Moran")
    coordinator = users["coordinator"]
    for _ in range(2):
        Screening.objects.create(
            person=child, tool=shipped, screened_by=coordinator, screened_by_agency=coordinator.agency
        )
    upload(admin, next_version())
    page = admin.get(reverse("screening_tool:versions")).content.decode()
    rows = page.split('<tr class="govuk-table__row">')[2:]
    assert "2026.2" in rows[0] and ">0</td>" in rows[0] and "Not in use" in rows[0]
    assert "2026.1" in rows[1] and ">2</td>" in rows[1] and "Current" in rows[1]


def test_a_version_downloads_as_json_that_can_be_uploaded_again(shipped, admin):
    response = admin.get(reverse("screening_tool:download", args=[shipped.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="screening_tool_2026.1.json"'
    assert json.loads(response.content) == SHIPPED


def test_only_system_administrators_see_the_tool_pages(shipped, users, verified_client):
    for role in ("coordinator", "agency_admin", "manager"):
        assert verified_client(users[role]).get(reverse("screening_tool:current")).status_code == 403


# ------------------------------------------------------------------ uploading a version


def test_a_valid_upload_is_saved_but_not_current(shipped, users, admin):
    response = upload(admin, next_version(), notes="Online weights raised")
    tool = ScreeningTool.objects.get(version="2026.2")
    assert response.status_code == 302 and response["Location"] == reverse("screening_tool:version", args=[tool.pk])
    assert not tool.is_current and ScreeningTool.current() == shipped
    assert tool.notes == "Online weights raised" and tool.published_by is None
    assert [(e.detail["change"], e.detail["version"], e.user) for e in admin_events()] == [
        ("uploaded", "2026.2", users["system_admin"])
    ]


def test_an_invalid_upload_lists_each_problem_and_saves_nothing(shipped, admin):
    definition = next_version(thresholds={"low": 10, "medium": 5, "high": 20})
    definition["domains"][0]["indicators"][0]["tier"] = "amber"
    definition["domains"][0]["indicators"][1]["weight"] = -3
    definition["domains"][1]["indicators"][0]["harm_types"] = ["gangs"]
    definition["rules"].append({"code": "always_red"})
    response = upload(admin, definition)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<div class="govuk-error-summary"' in page and "There is a problem" in page
    for problem in (
        "Thresholds must increase",
        "has unknown tier &#x27;amber&#x27;",
        "the weight must not be negative (it is -3)",
        "names unknown harm type &#x27;gangs&#x27;",
        "unknown code &#x27;always_red&#x27;",
    ):
        assert page.count(problem) == 2, problem  # in the summary and beside the field
    assert '<a href="#id_definition">' in page
    assert not ScreeningTool.objects.filter(version="2026.2").exists()
    assert admin_events() == []


def test_an_upload_must_have_a_new_version_number(shipped, admin):
    page = upload(admin, next_version("2026.1", name="Changed")).content.decode()
    assert "Version 2026.1 already exists: give the new tool a new version number" in page
    assert ScreeningTool.objects.get(version="2026.1").name == SHIPPED["name"]


def test_an_upload_that_is_not_json_is_refused_with_where_it_went_wrong(shipped, admin):
    page = upload(admin, b'{"version": "2026.2",\n "name": }').content.decode()
    assert "The file cannot be read. The JSON is not valid: Expecting value at line 2, column 10" in page
    assert ScreeningTool.objects.count() == 1


@pytest.mark.parametrize(
    "content, why",
    [
        (b"[" * 100_000 + b"]" * 100_000, "The JSON is nested more than 32 levels deep"),
        (b'{"version": "2026.2", "weight": NaN}', "NaN is not a number JSON allows"),
        (b'{"version": "2026.2", "weight": Infinity}', "Infinity is not a number JSON allows"),
        (b'{"version": "2026.2", "weight": 1' + b"0" * 400 + b"}", "is too large"),
        (b'{"version": "2026.2", "weight": 1e400}', "The number 1e400 is too large"),
    ],
)
def test_an_upload_that_json_cannot_hold_safely_is_refused_with_why(shipped, admin, content, why):
    response = upload(admin, content)
    assert response.status_code == 200
    assert why in response.content.decode()
    assert ScreeningTool.objects.count() == 1


def test_an_upload_without_a_file_asks_for_one(shipped, admin):
    page = admin.post(reverse("screening_tool:upload"), {"notes": "x"}).content.decode()
    assert "Choose the JSON file of the new version" in page


# ------------------------------------------------------------------ publishing


def test_publishing_makes_a_version_current_and_is_audited(shipped, users, admin):
    upload(admin, next_version())
    newer = ScreeningTool.objects.get(version="2026.2")
    confirm = admin.get(reverse("screening_tool:publish", args=[newer.pk])).content.decode()
    assert "Every new screening in the partnership will use version 2026.2 instead of version 2026.1" in confirm
    response = admin.post(reverse("screening_tool:publish", args=[newer.pk]))
    assert response["Location"] == reverse("screening_tool:current")
    newer.refresh_from_db()
    shipped.refresh_from_db()
    assert newer.is_current and not shipped.is_current
    assert newer.published_by == users["system_admin"]
    published = admin_events()[-1]
    assert published.detail == {
        "reference_data": "screening_tool",
        "change": "published",
        "version": "2026.2",
        "previous_version": "2026.1",
    }


def test_screenings_keep_the_version_they_were_scored_with(shipped, users, admin):
    child = Person.objects.create(given_names="Kacey", family_name="Moran")
    coordinator = users["coordinator"]
    screening = Screening.objects.create(
        person=child, tool=shipped, screened_by=coordinator, screened_by_agency=coordinator.agency
    )
    upload(admin, next_version())
    admin.post(reverse("screening_tool:publish", args=[ScreeningTool.objects.get(version="2026.2").pk]))
    screening.refresh_from_db()
    assert screening.tool == shipped and screening.tool.definition == reference._stored(SHIPPED)


def test_publishing_the_current_version_again_changes_nothing(shipped, admin):
    response = admin.post(reverse("screening_tool:publish", args=[shipped.pk]))
    assert response["Location"] == reverse("screening_tool:current")
    assert admin_events() == []
