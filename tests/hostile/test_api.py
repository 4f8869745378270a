"""Every API operation under hostile input: a 2xx/4xx answer, never a 5xx.

The operations come from the live OpenAPI document, so a new endpoint is
covered without touching this file. Each gets hostile path ids, query values,
field values (NUL, control characters, lone surrogates, huge numbers, huge
strings, XSS, pathological Markdown) and raw bodies (deep, invalid UTF-8,
truncated, 10 MB).
"""

import json
import re
import time
from urllib.parse import quote

import pytest
from django.test import Client

from hallway.api import api
from tests.communities.factories import make_community
from tests.hostile.corpus import ID_VALUES, NUMBERS, QUERY_VALUES, RAW_BODIES, STRINGS
from tests.journals.factories import make_entry
from tests.qa.factories import make_answer, make_question

# A hang, not a speed target: anything slower is reported as a failure.
RESPONSE_BOUND_S = 10.0


def _operations() -> list[tuple[str, str, dict]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def _schema() -> dict:
    return api.get_openapi_schema()


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _body_fields(schema: dict, operation: dict) -> dict[str, dict]:
    content = operation.get("requestBody", {}).get("content", {})
    media = content.get("application/json")
    if not media:
        return {}
    return _resolve(schema, media["schema"]).get("properties", {})


@pytest.fixture
def world(user, other_user):
    community = make_community(lead=other_user, members=[user])
    question = make_question(community=community, author=other_user)
    answer = make_answer(question=question, author=other_user)
    entry = make_entry(other_user)
    return {
        "question_id": question.pk,
        "answer_id": answer.pk,
        "entry_id": entry.pk,
        "page_id": community.pk,
        "notification_id": 1,
        "slug": community.slug,
        "username": other_user.username,
        "kind": "helpful",
        "key": "deploy",
    }


def _paths(template: str, world: dict) -> list[str]:
    names = re.findall(r"{(\w+)}", template)
    valid = template
    for name in names:
        valid = valid.replace("{" + name + "}", str(world.get(name, 1)))
    paths = [valid]
    for name in names:
        for value in ID_VALUES + ["nul%00", "a" * 300]:
            path = template.replace("{" + name + "}", value)
            for other in names:
                path = path.replace("{" + other + "}", str(world.get(other, 1)))
            paths.append(path)
    return paths


def _send(client: Client, method: str, path: str, **kwargs):
    started = time.monotonic()
    response = client.generic(method, path, **kwargs)
    return response, time.monotonic() - started


def _sweep(client, method, template, operation, world, *, values=None) -> list[str]:
    """Send one operation every hostile path, query and body; the failures."""
    schema = _schema()
    failures: list[str] = []

    def check(path: str, label: str, **kwargs) -> None:
        response, took = _send(client, method, path, **kwargs)
        if response.status_code >= 500 or took > RESPONSE_BOUND_S:
            status = response.status_code
            failures.append(f"{label}: {path[:80]} -> {status} {took:.1f}s")

    for path in _paths(template, world):
        check(path, "path")
    valid_path = _paths(template, world)[0]
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query":
            continue
        name = parameter["name"]
        for value in QUERY_VALUES:
            query = f"{name}={quote(value, safe='')}"
            check(valid_path, f"query {name}", data=None, QUERY_STRING=query)
    body_fields = _body_fields(schema, operation)
    if "requestBody" in operation:
        for name in body_fields:
            for value in (
                [*STRINGS, *NUMBERS, None, [], {}] if values is None else values
            ):
                body = json.dumps(
                    {**dict.fromkeys(body_fields, "A valid text value."), name: value}
                )
                check(
                    valid_path,
                    f"field {name}={str(value)[:20]!r}",
                    data=body,
                    content_type="application/json",
                )
        for label, raw in RAW_BODIES.items():
            check(
                valid_path, f"body {label}", data=raw, content_type="application/json"
            )
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "template", "operation"),
    _operations(),
    ids=[f"{m} {p}" for m, p, _ in _operations()],
)
def test_operation_answers_hostile_input_without_server_errors(
    method, template, operation, world, user, bearer
):
    client = Client(raise_request_exception=False, **bearer(user))
    assert _sweep(client, method, template, operation, world) == []


@pytest.mark.django_db
def test_with_debug_on_no_operation_answers_a_server_error(
    settings, world, user, bearer
):
    """DEBUG=True (make run) takes other paths on errors (tracebacks, Ninja
    re-raising): the same sweep of ids, queries and raw bodies (NUL, deep JSON,
    10 MB); of the field values only NUL and a number beyond 64 bits."""
    settings.DEBUG = True
    client = Client(raise_request_exception=False, **bearer(user))
    failures: list[str] = []
    for method, template, operation in _operations():
        failures += [
            f"{method} {failure}"
            for failure in _sweep(
                client,
                method,
                template,
                operation,
                world,
                values=[STRINGS[0], NUMBERS[0]],
            )
        ]
    assert failures == []


@pytest.mark.django_db
def test_an_address_no_api_route_matches_answers_json(client):
    response = client.delete("/api/v1/answers/null,null")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not Found"}
