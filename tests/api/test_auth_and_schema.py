"""Token login, anonymous access, and the schema and docs served without any outside asset."""

from __future__ import annotations

import re

import pytest

from .support import API, CJK, error_of

PRIVATE_URLS = [
    ("get", "/skills/"), ("get", "/skill-groups/"), ("get", "/occupations/"), ("get", "/occupations/1-00-00-00/"),
    ("get", "/places/"), ("get", "/places/1/"), ("get", "/households/"), ("post", "/households/"),
    ("get", "/households/1/"), ("patch", "/households/1/"), ("get", "/residents/"), ("post", "/residents/"),
    ("get", "/residents/1/"), ("put", "/residents/1/"), ("patch", "/residents/1/"), ("get", "/residents/me/"),
    ("patch", "/residents/me/"), ("post", "/residents/1/reveal/"), ("get", "/employers/"), ("post", "/employers/"),
    ("get", "/employers/1/"), ("delete", "/employers/1/"), ("get", "/jobs/"), ("post", "/jobs/"),
    ("get", "/jobs/1/"), ("patch", "/jobs/1/"), ("delete", "/jobs/1/"), ("post", "/jobs/1/publish/"),
    ("post", "/jobs/1/close/"), ("get", "/courses/"), ("post", "/courses/"), ("get", "/courses/1/"),
    ("get", "/sessions/"), ("post", "/sessions/"), ("get", "/sessions/1/"), ("delete", "/sessions/1/"),
]


@pytest.mark.django_db
def test_token_login_returns_a_token_that_authenticates(api, resident_user):
    response = api.post(f"{API}/auth/token/", {"username": "resident1", "password": "pass-word-123"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "resident1"
    assert body["roles"] == ["resident"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api.get(f"{API}/residents/me/").status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_a_400_in_the_error_shape(api, resident_user):
    response = api.post(f"{API}/auth/token/", {"username": "resident1", "password": "wrong"}, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert CJK.search(error["fields"]["non_field_errors"][0])  # DRF's own message, translated


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), PRIVATE_URLS)
def test_anonymous_gets_401_everywhere_private(api, method, path):
    response = getattr(api, method)(f"{API}{path}", {}, format="json")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.django_db
def test_a_bad_token_is_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(f"{API}/jobs/").status_code == 401


@pytest.mark.django_db
def test_schema_is_served_to_anyone(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    for path in ("/api/v1/residents/{id}/reveal/", "/api/v1/jobs/{id}/publish/", "/api/v1/occupations/{code}/",
                 "/api/v1/residents/me/", "/api/v1/sessions/"):
        assert path in schema["paths"]
    # An anonymous submitter's code is documented with the submission, its look-up and rating with their answers.
    assert "tracking_code" in schema["components"]["schemas"]["PublicRequestReceived"]["properties"]
    for path in ("/api/v1/public/requests/track/", "/api/v1/public/requests/rate/"):
        operation = schema["paths"][path]["post"]
        assert {"200", "400", "429"} <= set(operation["responses"])
        assert "can_rate" in schema["components"]["schemas"]["PublicTrackedRequest"]["properties"]


@pytest.mark.django_db
def test_docs_use_only_local_assets(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert not re.search(r"https?://", html), re.findall(r"https?://\S+", html)
