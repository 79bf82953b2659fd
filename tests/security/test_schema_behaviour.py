"""The schema says what the API does: error responses documented, strict page sizes, the occupations'
nullable parent, the report's content types, and an over-large body answered in the JSON error shape."""

from __future__ import annotations

import pytest

from tests.api.support import API, assert_chinese, error_of, results

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api, admin_user):
    response = api.as_user(admin_user).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_its_errors_in_the_error_shape(schema):
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for code in ("400", "401", "403"):
                assert code in responses, (method, path, code)
            if "{" in path:
                assert "404" in responses, (method, path)


def test_the_occupations_say_a_major_group_has_no_parent(api, schema, liaison_user):
    occupation = schema["components"]["schemas"]["Occupation"]["properties"]
    assert occupation["parent"].get("nullable") is True
    assert occupation["aliases"]["type"] == "array"
    rows = results(api.as_user(liaison_user).get(f"{API}/occupations/", {"level": 1, "page_size": 50}))
    assert rows
    assert all(row["parent"] is None and isinstance(row["aliases"], list) for row in rows)


def test_the_report_names_its_content_types(schema):
    content = schema["paths"]["/api/v1/statistics/report/"]["get"]["responses"]["200"]["content"]
    assert set(content) == {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"}


@pytest.mark.parametrize("value", ["null", "abc", "0", "-1", "１０", ""])
def test_a_page_size_that_is_not_a_whole_number_is_a_400(api, liaison_user, value):
    response = api.as_user(liaison_user).get(f"{API}/jobs/?page_size={value}")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["page_size"]


def test_a_page_size_above_the_cap_is_the_cap(api, liaison_user):
    assert api.as_user(liaison_user).get(f"{API}/jobs/?page_size=5000").status_code == 200


def test_a_body_over_the_limit_gets_the_json_error_shape(api, liaison_user, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 5 * 1024 * 1024  # the limit as deployed, not one made for the test
    body = '{"name": "' + "x" * (5 * 1024 * 1024) + '"}'
    response = api.as_user(liaison_user).generic("POST", f"{API}/households/", body,
                                                 content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


@pytest.mark.parametrize("query", ["from=2020-01-01", "pagesize=5", "page_size=5&colour=red", "format=json"])
def test_a_query_parameter_the_schema_does_not_list_is_a_400_naming_it(api, liaison_user, query):
    response = api.as_user(liaison_user).get(f"{API}/jobs/?{query}")
    assert response.status_code == 400
    fields = error_of(response)["fields"]
    assert set(fields) == {part.split("=")[0] for part in query.split("&")} - {"page_size"}
    assert_chinese(next(iter(fields.values())))


def test_a_detail_takes_no_list_parameters(api, world, liaison_user):
    response = api.as_user(liaison_user).get(f"{API}/jobs/{world['posting'].pk}/?q=x")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["q"]


def test_the_strict_query_comes_after_login_and_role_checks(api, world, resident_user):
    assert api.get(f"{API}/jobs/?from=1").status_code == 401
    assert api.as_user(resident_user).get(f"{API}/households/?from=1").status_code == 403
    assert api.get(f"{API}/public/postings/?from=1").status_code == 400


def test_documented_query_parameters_still_work(api, world, liaison_user):
    client = api.as_user(liaison_user)
    query = {"page": 1, "page_size": 5, "ordering": "-created_at", "q": "藤椅", "status": "open"}
    assert results(client.get(f"{API}/jobs/", query))
    assert client.get(f"{API}/follow-ups/", {"due": "true"}).status_code == 200
    assert list(error_of(client.get(f"{API}/follow-ups/", {"due": "maybe"}))["fields"]) == ["due"]


def test_every_api_view_is_strict_about_its_query():
    from drf_spectacular.generators import EndpointEnumerator

    from api.query import StrictQueryMixin

    endpoints = EndpointEnumerator().get_api_endpoints()
    assert len(endpoints) > 50
    lax = {path for path, _regex, _method, view in endpoints
           if path.startswith("/api/v1/") and not issubclass(view.cls, StrictQueryMixin)}
    assert lax == set()


def test_every_query_parameter_a_view_reads_is_documented(schema):
    """The strict check takes the schema's word: the parameters views read by name are all in it."""
    query = {path: {method: {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
                    for method, op in ops.items()} for path, ops in schema["paths"].items()}
    assert {"due"} <= query["/api/v1/follow-ups/"]["get"]
    assert {"overdue"} <= query["/api/v1/requests/"]["get"]
    assert {"from", "count"} <= query["/api/v1/market-days/"]["get"]
    assert {"limit"} <= query["/api/v1/residents/{id}/matches/"]["get"]


def test_a_residents_own_request_conforms_to_the_schema(api, schema, world, resident_user, liaison_user):
    """A resident reads their request without the staff's fields: those are documented as not always there."""
    required = set(schema["components"]["schemas"]["Request"]["required"])
    mine = api.as_user(resident_user).post(f"{API}/requests/", {"text": "想学电焊"}, format="json")
    assert mine.status_code == 201, mine.content
    assert required <= set(mine.json())
    assert "assigned_to" not in mine.json()
    assert "assigned_to" not in required
    staff = api.as_user(liaison_user).get(f"{API}/requests/{mine.json()['id']}/")
    assert required <= set(staff.json())
    assert "assigned_to" in staff.json()
