"""A piece-rate posting's estimate of monthly earnings through /jobs/: written, returned, refused when wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.translation import gettext

from jobs.models import JobPosting
from tests import factories as f

from .support import API, db_state, error_of, field_errors, valid_payloads

pytestmark = pytest.mark.django_db

ONLY_PIECE = "An estimate of monthly earnings is only for piece-rate postings."


def piece_payload(world, **changes) -> dict:
    return {**valid_payloads(world)["jobs"], "title": "藤椅编织（居家计件）", "wage_min": "2", "wage_max": "2.50",
            "wage_unit": "piece", "work_mode": "home_based", "work_time": "flexible", **changes}


def test_bureau_creates_reads_and_changes_a_piece_rate_estimate(api, world, bureau_user, resident_user):
    client = api.as_user(bureau_user)
    response = client.post(f"{API}/jobs/", piece_payload(world, piece_monthly_estimate="2800", publish=True),
                           format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["wage_unit"], data["wage_min"], data["wage_max"]) == ("piece", "2.00", "2.50")
    assert data["piece_monthly_estimate"] == "2800.00"
    posting = JobPosting.objects.get(pk=data["id"])
    assert posting.piece_monthly_estimate == Decimal("2800")

    response = client.patch(f"{API}/jobs/{posting.pk}/", {"piece_monthly_estimate": 3200}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["piece_monthly_estimate"] == "3200.00"

    assert client.get(f"{API}/jobs/{world['posting'].pk}/").json()["piece_monthly_estimate"] is None  # monthly

    # Residents read it too.
    read = api.as_user(resident_user).get(f"{API}/jobs/{posting.pk}/")
    assert read.status_code == 200
    assert read.json()["piece_monthly_estimate"] == "3200.00"

    response = api.as_user(bureau_user).patch(f"{API}/jobs/{posting.pk}/", {"piece_monthly_estimate": None},
                                              format="json")
    assert response.status_code == 200, response.content
    assert response.json()["piece_monthly_estimate"] is None


@pytest.mark.parametrize("value", [-1, "-0.01", "很多", "NaN", "Infinity", 10**30, [2800], {"amount": 1}, True,
                                   "2800.123"])
def test_garbage_estimates_are_refused_with_the_field_named(api, world, bureau_user, value):
    before = db_state()
    response = api.as_user(bureau_user).post(f"{API}/jobs/", piece_payload(world, piece_monthly_estimate=value),
                                             format="json")
    fields = field_errors(response)
    assert list(fields) == ["piece_monthly_estimate"]
    assert all(fields["piece_monthly_estimate"])
    assert db_state() == before


def test_an_estimate_on_a_monthly_posting_is_refused(api, world, bureau_user):
    before = db_state()
    body = {**valid_payloads(world)["jobs"], "piece_monthly_estimate": "2800"}
    response = api.as_user(bureau_user).post(f"{API}/jobs/", body, format="json")
    assert field_errors(response) == {"piece_monthly_estimate": [gettext(ONLY_PIECE)]}
    assert error_of(response)["message"]
    assert db_state() == before


def test_switching_a_piece_rate_posting_to_a_monthly_wage_must_drop_its_estimate(api, world, bureau_user):
    posting = f.PostingFactory(employer=world["employer"], title="藤椅编织工（计件）", wage_unit="piece",
                               wage_min=Decimal("45"), wage_max=Decimal("60"), piece_monthly_estimate=Decimal("3000"))
    client = api.as_user(bureau_user)
    before = db_state()
    response = client.patch(f"{API}/jobs/{posting.pk}/", {"wage_unit": "month", "wage_min": "3000",
                                                          "wage_max": "3500"}, format="json")
    assert field_errors(response) == {"piece_monthly_estimate": [gettext(ONLY_PIECE)]}
    assert db_state() == before
    response = client.patch(f"{API}/jobs/{posting.pk}/", {"wage_unit": "month", "wage_min": "3000",
                                                          "wage_max": "3500", "piece_monthly_estimate": None},
                            format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["wage_unit"], response.json()["piece_monthly_estimate"]) == ("month", None)
