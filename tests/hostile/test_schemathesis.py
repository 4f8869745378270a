"""schemathesis against a live server: every API operation, generated inputs,
fixed seed and bounded examples. No server errors; every response matches the
OpenAPI document (status, content type, body schema)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hallway.api import api
from home.demo import load
from people.services import api_token_create
from tests.communities.factories import make_community
from tests.factories import UserFactory
from tests.journals.factories import make_entry
from tests.qa.factories import make_answer, make_question

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)
MAX_EXAMPLES = int(os.environ.get("HALLWAY_SCHEMATHESIS_EXAMPLES", "8"))


@pytest.mark.django_db(transaction=True)
def test_the_api_holds_its_schema_under_generated_input(live_server, tmp_path: Path):
    load()
    author = UserFactory(username="writer")
    community = make_community(lead=author)
    question = make_question(community=community, author=author)
    make_answer(question=question, author=author)
    make_entry(author)
    token = api_token_create(user=author)
    # The document is written to a file: loading it over HTTP from a busy
    # machine's live server can outlast schemathesis's 10 s schema timeout.
    schema_file = tmp_path / "openapi.json"
    schema_file.write_text(json.dumps(api.get_openapi_schema()))
    cli = Path(sys.executable).with_name("st")
    result = subprocess.run(
        [
            str(cli),
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            "20261127",
            "--workers",
            "1",
            "--request-timeout",
            "20",
            "--header",
            f"Authorization: Bearer {token}",
            "--report",
            "junit",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )
    output = result.stdout + result.stderr
    (tmp_path / "schemathesis.txt").write_text(output)
    start = output.find("FAILURES")
    assert result.returncode == 0, output[start if start >= 0 else 0 :][-30000:]
