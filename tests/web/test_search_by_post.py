"""A full ID number or phone is searched by POST only, so it never reaches a URL, a log or the history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from residents import pii

pytestmark = pytest.mark.django_db

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def found_ids(response) -> list[int]:
    return [r.pk for r in response.context["results"]]


def test_the_search_form_posts(world, clients):
    html = clients["liaison"].get(reverse("web:liaison-search")).content.decode()
    assert 'method="post" action="/liaison/"' in html
    assert 'hx-post="/liaison/"' in html
    assert "hx-get" not in html


def test_a_full_id_number_or_phone_is_found_by_post_in_any_width(world, resident, clients):
    number, phone = pii.decrypt(resident.id_number_encrypted), pii.decrypt(resident.phone_encrypted)
    url = reverse("web:liaison-search")
    for term in (number, phone, number.translate(FULL_WIDTH), phone.translate(FULL_WIDTH)):
        response = clients["liaison"].post(url, {"q": term})
        assert (response.status_code, found_ids(response)) == (200, [resident.pk]), term
        assert response["Cache-Control"] == "no-store"
    # In a URL a full number finds nobody: it should never have been sent that way.
    assert found_ids(clients["liaison"].get(url, {"q": number})) == []
    assert found_ids(clients["liaison"].get(url, {"q": "wxf"})) == [resident.pk]


def test_the_roster_search_posts_and_keeps_full_numbers_out_of_its_links(world, resident, clients):
    url = reverse("web:liaison-session", args=[world.session.pk])
    html = clients["liaison"].get(url).content.decode()
    assert 'data-testid="candidate-search-form"' in html
    assert "hx-get" not in html
    number = pii.decrypt(resident.id_number_encrypted)
    response = clients["liaison"].post(url, {"q": number})
    assert response.status_code == 200
    assert resident.pk in [r.pk for r in response.context["candidates"]]
    assert f"q={number}" not in response.content.decode()  # not in the links the enrol forms go back to
    assert [r.pk for r in clients["liaison"].get(url, {"q": number}).context["candidates"]] == []
