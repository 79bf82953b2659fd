"""The schema says what the API does: error responses documented, strict page sizes, the occupations'
nullable parent, the report's content types, and an over-large body answered in the JSON error shape."""

from __future__ import annotations

import pytest

from tests.api.support import API, error_of, results

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
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = '{"name": "' + "x" * (5 * 1024 * 1024) + '"}'
    response = api.as_user(liaison_user).generic("POST", f"{API}/households/", body,
                                                 content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"
