"""Partner systems pre-screen answers: the same rules as the screening pages,
with nothing saved and no one named."""

import pytest
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from hoth.audit.models import AuditEvent
from hoth.referrals import reference as harm_type_reference
from hoth.screening import reference
from hoth.screening.models import Screening, ScreeningAnswer, ScreeningTool

URL = "/api/v1/screenings/evaluate"
PROBLEM = "application/problem+json"
REQUIRED_NOT_PRESENT = {
    "missing_repeat": {"state": "not_present"},
    "assoc_controlling_adult": {"state": "not_present"},
    "disclosure_exploitation": {"state": "not_present"},
}


@pytest.fixture
def tool(db):
    harm_type_reference.load()
    reference.load()
    return ScreeningTool.current()


@pytest.fixture
def coordinator(tool, users, verified_client):
    return verified_client(users["coordinator"])


def evaluate(http, answers=None, child=None, **extra):
    child = {"age": 15} if child is None else child
    body = {"answers": {**REQUIRED_NOT_PRESENT, **(answers or {})}, "child": child, **extra}
    return http.post(URL, body, content_type="application/json")


def errors_of(response, status=400):
    """The fields named: 400 when the body breaks the schema, 422 when it keeps
    to it but the tool cannot score it."""
    assert response.status_code == status and response["Content-Type"] == PROBLEM
    return {(e["field"], e["detail"]) for e in response.json()["errors"]}


def test_the_route_is_named_for_partners():
    assert reverse("api:screening-evaluate") == URL


def test_a_disclosure_is_high_with_the_rule_that_decided(coordinator):
    response = evaluate(coordinator, {"disclosure_exploitation": {"state": "present", "when": "current"}})
    assert response.status_code == 200
    body = response.json()
    assert (body["level"], body["scored_level"], body["score"]) == ("high", "medium", 10)
    assert body["tool_version"] == "2026.1"
    assert [c["indicator"] for c in body["counted"]] == ["disclosure_exploitation"]
    assert body["counted"][0] | {"weight": 10, "points": 10, "tier": "significant"} == body["counted"][0]
    assert [(r["code"], r["raised"]) for r in body["rules"]] == [("disclosure_is_high", True)]
    assert body["deciding"].startswith("High because a disclosure of exploitation was recorded")


def test_a_12_year_old_getting_into_cars_is_at_least_medium(coordinator):
    body = evaluate(coordinator, {"places_cars": {"state": "present"}}, {"age": 12}).json()
    assert (body["scored_level"], body["level"]) == ("low", "medium")
    assert {r["code"] for r in body["rules"]} == {"young_child_significant", "protected_child_not_low"}


def test_a_learning_disability_counts(coordinator):
    answers = {"places_cars": {"state": "present", "when": "earlier"}}
    assert evaluate(coordinator, answers, {"age": 16, "learning_disability": True}).json()["level"] == "medium"
    assert evaluate(coordinator, answers, {"age": 16, "learning_disability": False}).json()["level"] == "low"


def test_the_score_reaches_the_thresholds(coordinator):
    answers = {code: {"state": "present"} for code in ("places_cars", "money_drugs_or_cash")}
    body = evaluate(coordinator, answers, {"age": None}).json()
    assert (body["score"], body["level"]) == (15, "medium")
    assert body["deciding"] == (
        "Medium because the score 15 reaches the Medium threshold of 10 (below the High threshold of 20)."
    )


def test_evaluating_saves_nothing_and_writes_one_event_that_names_no_one(coordinator, users):
    before = AuditEvent.objects.count()
    evaluate(coordinator, {"disclosure_exploitation": {"state": "present"}})
    assert Screening.objects.count() == 0 and ScreeningAnswer.objects.count() == 0
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert len(events) == 1
    event = events[0]
    assert (event.action, event.user, event.person_id) == ("view", users["coordinator"], None)
    assert event.object_type == "screening.ScreeningTool"
    assert event.detail == {"tool_version": "2026.1", "level": "high"}


def test_an_older_version_can_be_asked_for(coordinator, tool, users):
    definition = dict(tool.definition, version="2027.1", thresholds={"low": 1, "medium": 2, "high": 3})
    ScreeningTool.objects.create(version="2027.1", name="Next", definition=definition)
    reference.publish(users["system_admin"], ScreeningTool.objects.get(version="2027.1"))
    answers = {"places_cars": {"state": "present"}}
    assert evaluate(coordinator, answers).json()["tool_version"] == "2027.1"
    older = evaluate(coordinator, answers, tool_version="2026.1").json()
    assert (older["tool_version"], older["level"]) == ("2026.1", "low")


# ------------------------------------------------------------------ bad input


def test_each_bad_field_is_named_in_one_problem_document(coordinator):
    body = {
        "answers": {
            "missing_repeat": {"state": "maybe"},
            "told_the_teacher": {"state": "present"},
            "places_cars": {"state": "present", "when": "last year"},
            "disclosure_exploitation": {"state": "not_present"},
        },
        "child": {"age": "twelve"},
    }
    response = coordinator.post(URL, body, content_type="application/json")
    assert errors_of(response) == {
        ("answers.missing_repeat.state", '"maybe" is not a valid choice.'),
        ("answers.told_the_teacher", "told_the_teacher is not an indicator in screening tool version 2026.1"),
        ("answers.places_cars.when", '"last year" is not a valid choice.'),
        ("answers.assoc_controlling_adult", "Answer this required indicator: present, not_present or unknown"),
        ("child.age", "Must be a whole number"),
    }
    assert AuditEvent.objects.filter(action="view").count() == 0


def test_every_required_indicator_must_be_answered(coordinator):
    response = coordinator.post(URL, {"answers": {}, "child": {"age": 14}}, content_type="application/json")
    assert {field for field, _ in errors_of(response, status=422)} == {
        "answers.missing_repeat",
        "answers.assoc_controlling_adult",
        "answers.disclosure_exploitation",
    }


def test_unknown_is_an_answer_to_a_required_indicator(coordinator):
    answers = {code: {"state": "unknown"} for code in REQUIRED_NOT_PRESENT}
    response = coordinator.post(URL, {"answers": answers, "child": {"age": 14}}, content_type="application/json")
    assert response.status_code == 200 and response.json()["level"] == "none"


@pytest.mark.parametrize(
    "child, field",
    [
        ({}, "child.age"),
        ({"age": 12.5}, "child.age"),
        ({"age": -1}, "child.age"),
        ({"age": 14, "learning_disability": "perhaps"}, "child.learning_disability"),
    ],
)
def test_the_child_must_be_described_properly(coordinator, child, field):
    assert field in {f for f, _ in errors_of(evaluate(coordinator, child=child))}


def test_the_child_is_required(coordinator):
    response = coordinator.post(URL, {"answers": REQUIRED_NOT_PRESENT}, content_type="application/json")
    assert errors_of(response) == {("child", "This field is required.")}


def test_an_unknown_tool_version_is_named(coordinator):
    assert errors_of(evaluate(coordinator, tool_version="1999.1"), status=422) == {
        ("tool_version", "There is no screening tool version 1999.1")
    }


def test_without_a_published_tool_the_service_says_so(db, users, verified_client):
    response = evaluate(verified_client(users["coordinator"]))
    assert response.status_code == 503 and response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "No screening tool has been published yet."


# ------------------------------------------------------------------ who may


@pytest.mark.parametrize(
    "role, status",
    [
        ("practitioner", 200),
        ("school_practitioner", 200),
        ("coordinator", 200),
        ("analyst", 200),
        ("panel_chair", 200),
        ("manager", 403),
        ("auditor", 403),
        ("agency_admin", 403),
        ("system_admin", 403),
    ],
)
def test_casework_roles_may_pre_screen(tool, users, verified_client, role, status):
    assert evaluate(verified_client(users[role])).status_code == status


def test_a_token_needs_the_evaluate_scope(tool, client, issue_token):
    _, without = issue_token(["persons:read"])
    refused = client.post(
        URL,
        {"answers": REQUIRED_NOT_PRESENT, "child": {"age": 15}},
        content_type="application/json",
        HTTP_AUTHORIZATION=without,
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "This token does not have the screenings:evaluate scope."
    _, header = issue_token(["screenings:evaluate"])
    allowed = client.post(
        URL,
        {"answers": REQUIRED_NOT_PRESENT, "child": {"age": 15}},
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )
    assert allowed.status_code == 200 and allowed.json()["level"] == "none"


def test_someone_not_signed_in_is_refused(tool, client):
    assert evaluate(client).status_code in (401, 403)


def test_only_post_is_answered(coordinator):
    assert coordinator.get(URL).status_code == 405


# ------------------------------------------------------------------ the description


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    validate_schema(schema)
    operation = schema["paths"][URL]["post"]
    assert operation["operationId"] == "screenings_evaluate"
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/EvaluateRequest"
    }
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Evaluation"
    }
    assert operation["responses"]["400"]["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
    evaluation = schema["components"]["schemas"]["Evaluation"]["properties"]
    assert {"level", "score", "scored_level", "counted", "rules", "deciding", "tool_version"} <= set(evaluation)
