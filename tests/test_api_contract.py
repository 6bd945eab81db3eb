"""The API contract (issue 9): the schema tells the truth and every API answer is JSON.

The full run against a live server is `scripts/api_contract.sh` (CI); here, fast checks on the
test database: the schema is valid and declares the errors; unknown paths, 401, 403, 405, 406,
415, bad JSON and CSRF failures answer the declared error body; and Schemathesis, in process,
checks real answers of the case and unit endpoints against the schema.
"""

import io
from decimal import Decimal

import jsonschema
import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from apps.cases import services as case_services
from apps.cases.categories import ensure_categories
from apps.cases.models import Category
from apps.cases.tests.conftest import jpeg
from apps.worktime.holidays import ensure_calendar
from config.wsgi import application

pytestmark = pytest.mark.django_db

ERROR_CODES = {"400", "401", "403", "404", "409", "415", "429"}


@pytest.fixture(scope="module")
def schema():
    GENERATOR_STATS.reset()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular warned while generating the schema"
    return generated


@pytest.fixture
def cats(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_categories()
    ensure_calendar()
    return {c.code: c for c in Category.objects.all()}


def token(user) -> str:
    """The key printed by `manage.py issue_api_token` (the interface CI uses too)."""
    out = io.StringIO()
    call_command("issue_api_token", user.username, stdout=out)
    return out.getvalue().strip()


def error_validator(schema):
    """The `Error` component as a JSON Schema (it has no $ref and no OpenAPI-only keywords)."""
    return jsonschema.Draft202012Validator(schema["components"]["schemas"]["Error"])


def assert_error(response, schema, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    error_validator(schema).validate(body)
    if code is not None:
        assert body["code"] == code, body
    assert body["detail"]
    return body


# The schema ------------------------------------------------------------------------------------


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)


def test_every_operation_declares_its_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            where = f"{method.upper()} {path}"
            if any(operation.get("security", [])):  # it authenticates (an `{}` entry: anonymous too)
                assert "401" in responses, f"{where} does not declare 401"
                assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True, where
            if "{" in path:
                assert "404" in responses, f"{where} addresses an object but does not declare 404"
            if "requestBody" in operation:
                assert {"400", "415"} <= set(responses), f"{where} takes a body but lacks 400/415"
            for status in ERROR_CODES & set(responses):
                body = responses[status]["content"]["application/json"]["schema"]
                if path.startswith("/api/open311/"):
                    assert body["type"] == "array", f"{where} {status}: a GeoReport error list"
                else:
                    assert body == {"$ref": "#/components/schemas/Error"}, f"{where} {status}: {body}"


def test_error_component(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}
    assert error["properties"]["errors"]["additionalProperties"]["items"]["type"] == "string"


def test_versioned_changes_require_the_version_and_declare_409(schema):
    components = schema["components"]["schemas"]
    for path, method in [
        ("/api/v1/units/{id}/", "put"),
        ("/api/v1/units/{id}/", "patch"),
        ("/api/v1/cases/{id}/register/", "post"),
        ("/api/v1/cases/{id}/verify/", "post"),
    ]:
        operation = schema["paths"][path][method]
        assert "409" in operation["responses"], f"{method} {path}"
        for media in operation["requestBody"]["content"].values():
            name = media["schema"]["$ref"].rsplit("/", 1)[1]
            assert "version" in components[name]["required"], f"{method} {path} {name}"
    # A new unit starts at version 1: not asked for, but returned.
    create = schema["paths"]["/api/v1/units/"]["post"]
    request = create["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "version" not in components[request]["properties"]
    assert "409" not in create["responses"]
    assert components["Unit"]["properties"]["version"]["readOnly"] is True


def test_fields_that_can_be_null_say_so(schema):
    components = schema["components"]["schemas"]
    for component, field in [
        ("Case", "assignee_unit_name"),  # source through a nullable relation
        ("CaseDetail", "merged_into_code"),  # default=None
        ("InspectionResult", "case_code"),
        ("Inspection", "inspector_name"),
        ("Case", "category_group"),  # a method typed `str | None`
    ]:
        assert components[component]["properties"][field].get("nullable") is True, f"{component}.{field}"
    assert not components["Case"]["properties"]["category_name"].get("nullable")


def test_throttled_operation_declares_429(schema):
    assert "429" in schema["paths"]["/api/open311/v2/requests.json"]["post"]["responses"]
    assert "429" not in schema["paths"]["/api/open311/v2/requests.json"]["get"]["responses"]


# JSON errors ---------------------------------------------------------------------------------------


def test_unknown_api_path_answers_json_404(client, schema):
    assert_error(client.get("/api/v1/nope/"), schema, 404, "not_found")
    # An id the URL pattern refuses never reaches DRF: still the JSON body, not the HTML page.
    assert_error(client.get("/api/v1/cases/0.5/photos/"), schema, 404, "not_found")
    assert_error(client.post("/api/nope", {}), schema, 404, "not_found")


def test_unknown_open311_path_answers_a_georeport_404(client):
    response = client.get("/api/open311/v2/nope.json")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == [{"code": 404, "description": response.json()[0]["description"]}]
    assert response.json()[0]["description"]


def test_pages_outside_the_api_keep_the_html_404(client):
    response = client.get("/nope/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_anonymous_and_bad_token_answer_401_with_www_authenticate(client, schema):
    response = client.get("/api/v1/cases/")
    assert_error(response, schema, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"
    response = client.get("/api/v1/cases/", HTTP_AUTHORIZATION="Token not-a-key")
    assert_error(response, schema, 401, "token_invalid")
    assert response["WWW-Authenticate"] == "Token"


def test_wrong_role_answers_403(client, org, schema):
    client.force_login(org.unit_contact)
    assert_error(client.get("/api/v1/audit-events/"), schema, 403, "permission_denied")


def test_405_406_415_and_bad_json_answer_the_error_body(client, org, schema):
    client.force_login(org.street)
    response = client.delete("/api/v1/cases/")
    assert_error(response, schema, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
    assert_error(client.get("/api/v1/cases/", HTTP_ACCEPT="text/csv"), schema, 406, "not_acceptable")
    response = client.post("/api/v1/cases/", "x", content_type="text/plain")
    assert_error(response, schema, 415, "unsupported_media_type")
    response = client.post("/api/v1/cases/", '{"category": ', content_type="application/json")
    assert_error(response, schema, 400, "parse_error")


def test_validation_errors_list_each_field(client, org, cats, schema):
    client.force_login(org.street)
    response = client.post("/api/v1/cases/", {"lat": "北纬"}, content_type="application/json")
    body = assert_error(response, schema, 400, "invalid")
    assert set(body["errors"]) == {"category", "lat"}
    assert "category" in body["detail"]


def test_stale_version_answers_409(client, org, schema):
    client.force_login(org.street)
    url = f"/api/v1/units/{org.unit_a1.pk}/"
    version = client.get(url).json()["version"]
    assert client.patch(url, {"name": "新名字", "version": version}, content_type="application/json").status_code == 200
    response = client.patch(url, {"name": "又一个", "version": version}, content_type="application/json")
    assert_error(response, schema, 409, "conflict")


def test_a_change_without_version_is_refused(client, org, schema):
    client.force_login(org.street)
    url = f"/api/v1/units/{org.unit_a1.pk}/"
    body = assert_error(client.patch(url, {"name": "新名字"}, content_type="application/json"), schema, 400)
    assert set(body["errors"]) == {"version"}
    body = assert_error(client.patch(url, {"version": "²"}, content_type="application/json"), schema, 400)
    assert set(body["errors"]) == {"version"}


def test_bad_page_number_answers_400_and_a_page_past_the_end_404(client, org, schema):
    client.force_login(org.street)
    for page in ("", "abc", "0", "²"):
        body = assert_error(client.get("/api/v1/units/", {"page": page}), schema, 400, "invalid")
        assert set(body["errors"]) == {"page"}
    assert_error(client.get("/api/v1/units/", {"page": "999"}), schema, 404, "not_found")


def test_csrf_failure_on_a_session_post_answers_json_403(org, schema):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.street)
    response = client.patch(
        f"/api/v1/units/{org.unit_a1.pk}/", {"name": "x", "version": 1}, content_type="application/json"
    )
    body = assert_error(response, schema, 403, "csrf_failed")
    assert body["detail"] == "页面已过期或表单已失效，请刷新页面后重试。"


# Real answers against the schema (Schemathesis in process) -------------------------------------------


def _call(api, path: str, method: str, user_token: str | None, **kwargs):
    case = api[path][method].Case(**kwargs)
    headers = {"Authorization": f"Token {user_token}"} if user_token else {}
    response = case.call(headers=headers)
    case.validate_response(response, headers=headers)
    return response


@pytest.fixture
def api(db):
    """The schema served by the app, whose requests Schemathesis sends to the app in process.

    As in Django's test client, a request must not close the test's database connection.
    """
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


def test_real_answers_match_the_schema(api, org, cats):
    """Nulls (no unit yet, no parent category), 404s, 401s and 400s as the schema declares them."""
    reported = case_services.case_report(
        actor=org.grid,
        category=cats["exposed_garbage"],
        jurisdiction=org.grid_a1,
        description="楼下垃圾堆积",
        address="人民路1号",
        lat=Decimal("31.467000"),
        lng=Decimal("104.683000"),
        photos=[jpeg()],
    )
    key = token(org.street)
    _call(api, "/api/v1/cases/", "GET", key)
    _call(api, "/api/v1/cases/{id}/", "GET", key, path_parameters={"id": reported.pk})
    _call(api, "/api/v1/cases/{id}/", "GET", key, path_parameters={"id": 10**9})
    _call(api, "/api/v1/cases/{id}/photos/", "GET", key, path_parameters={"id": reported.pk})
    _call(api, "/api/v1/cases/", "GET", None)
    _call(api, "/api/v1/units/", "GET", key)
    _call(api, "/api/v1/units/{id}/", "GET", key, path_parameters={"id": org.unit_a1.pk})
    register = {"path_parameters": {"id": reported.pk}, "body": {}, "media_type": "application/json"}
    _call(api, "/api/v1/cases/{id}/register/", "POST", key, **register)
    _call(api, "/api/open311/v2/requests.json", "GET", None)
    _call(api, "/api/open311/v2/services/{service_code}.json", "GET", None, path_parameters={"service_code": "x"})
