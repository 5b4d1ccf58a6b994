"""The API describes itself in OpenAPI 3, and its reference page works
offline under the service's Content Security Policy."""

import re

from django.contrib.staticfiles import finders
from drf_spectacular.validation import validate_schema


def test_schema_is_valid_openapi_3_with_the_persons_endpoints(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    paths = schema["paths"]
    assert set(paths["/api/v1/persons/"]) >= {"get", "post"}
    assert "get" in paths["/api/v1/persons/{reference}/"]
    assert {"serviceToken", "verifiedSession"} <= set(schema["components"]["securitySchemes"])
    create = paths["/api/v1/persons/"]["post"]
    assert create["responses"]["400"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"] if p["in"] == "header"}
    page = paths["/api/v1/persons/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert page == {"$ref": "#/components/schemas/PersonPage"}


def test_docs_page_has_no_inline_script_or_style(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "the page loads Swagger UI"
    for attributes, body in scripts:
        assert "src=" in attributes and not body.strip(), f"inline script: {attributes} {body[:80]}"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_docs_page_serves_swagger_ui_from_this_service_not_a_cdn(client):
    html = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), f"{source} is not a static file of the project"
