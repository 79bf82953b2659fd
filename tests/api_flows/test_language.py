"""Messages are Chinese by default and English on request."""

import pytest

pytestmark = pytest.mark.django_db


def test_error_messages_follow_the_language(api, liaison_user):
    client = api.as_user(liaison_user)
    chinese = client.post("/api/v1/recommendations/", {}, format="json").json()["error"]
    english = client.post("/api/v1/recommendations/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    assert chinese["fields"]["resident"] == ["该字段是必填项。"]
    assert english["fields"]["resident"] == ["This field is required."]
    assert english["message"] == "The submitted data is not valid."
    assert chinese["message"] != english["message"]


def test_unknown_api_paths_answer_in_the_error_shape(api, liaison_user):
    response = api.as_user(liaison_user).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_reveals_are_rate_limited(api, liaison_user, monkeypatch):
    from django.core.cache.backends.locmem import LocMemCache

    from config.http import RevealThrottle
    from residents.models import PiiRevealLog
    from tests import factories as f

    # A cache of its own: other test workers may clear the shared (Redis) cache meanwhile.
    monkeypatch.setattr(RevealThrottle, "cache", LocMemCache("reveal-throttle-test", {}))
    person = f.ResidentFactory()
    client = api.as_user(liaison_user)
    statuses = [client.post(f"/api/v1/residents/{person.pk}/reveal/", {"field": "phone", "reason": "回访核对"},
                            format="json").status_code for _ in range(32)]
    assert statuses[:30] == [200] * 30
    assert statuses[30:] == [429, 429]
    assert PiiRevealLog.objects.count() == 30
