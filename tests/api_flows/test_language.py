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
