"""The API does what its OpenAPI schema says.

Schemathesis, the standard tool for this, reads the schema the service serves
and attacks every operation with it: examples, boundary values of every
declared format and length, random valid and invalid requests, and sequences
of calls (a person created, then read back). It sends them with a partner
token holding every scope and checks every answer: never a 5xx; status codes,
content types, headers and bodies as declared; what breaks the schema
refused, and what keeps to it accepted."""

import os
import secrets
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from hoth.accounts.models import ApiToken, Role
from hoth.api.authentication import hash_secret
from hoth.screening import reference as screening_reference
from tests.conftest import make_user

# Enough to find what the independent test found, within a minute or two; a
# longer hunt sets HOTH_SCHEMATHESIS_EXAMPLES (and HOTH_SCHEMATHESIS_SEED).
EXAMPLES = int(os.environ.get("HOTH_SCHEMATHESIS_EXAMPLES", "20"))
SEED = int(os.environ.get("HOTH_SCHEMATHESIS_SEED", "20261207"))
CONFIG = Path(__file__).with_name("schemathesis.toml")


@pytest.fixture
def partner_token(agencies):
    screening_reference.load()
    account = make_user(
        "records@police.example",
        agencies["police"],
        Role.COORDINATOR,
        is_service_account=True,
        enrol=False,
        full_name="Police records system",
    )
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(24)
    ApiToken.objects.create(
        account=account,
        name="Records system",
        prefix=prefix,
        secret_hash=hash_secret(secret),
        scopes=[scope.value for scope in ApiToken.Scope],
    )
    return f"Bearer {prefix}.{secret}"


def test_the_api_answers_as_its_schema_says(live_server, partner_token, settings, tmp_path):
    settings.HOTH_API_RATE = "1000000/min"
    # The schema as the service serves it, fetched here so that a slow first
    # generation on a busy machine is not mistaken for a failure.
    served = tmp_path / "openapi.yaml"
    with urllib.request.urlopen(f"{live_server.url}/api/schema/", timeout=300) as response:
        served.write_bytes(response.read())
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(CONFIG),
            "run",
            str(served),
            "--url",
            live_server.url,
            "--header",
            f"Authorization: {partner_token}",
            "--checks",
            "all",
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            str(SEED),
            "--generation-deterministic",
            "--workers",
            "1",
            "--no-color",
            "--output-truncate",
            "true",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
