"""Wages as people write them, everywhere: pages, the API's display fields and exports. 45–60元/件, 280–330元/天,
35元/小时, 3,200–4,500元/月, and beside a rate not paid by the month the figure matching uses (约6,000元/月)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from jobs.wages import monthly_estimate_text, wage_text
from matching.services import placement_record
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("low", "high", "unit", "shown"), [
    (Decimal("45"), Decimal("60"), "piece", "45–60元/件"),
    (Decimal("280"), Decimal("330"), "day", "280–330元/天"),
    (Decimal("35"), None, "hour", "35元/小时"),
    (None, Decimal("35"), "hour", "35元/小时"),
    (Decimal("3200"), Decimal("4500"), "month", "3,200–4,500元/月"),
    (Decimal("3000"), Decimal("3000"), "month", "3,000元/月"),
    (Decimal("2"), Decimal("2.5"), "piece", "2–2.5元/件"),
    (None, None, "month", ""),
])
def test_wage_text(low, high, unit, shown):
    assert wage_text(low, high, unit) == shown


@pytest.mark.parametrize(("amount", "shown"), [
    (6000, "约6,000元/月"), (6633.3, "约6,600元/月"), (875, "约880元/月"), (None, "")])
def test_monthly_estimate_text(amount, shown):
    assert monthly_estimate_text(amount) == shown


@pytest.fixture
def postings(world):
    day = f.PostingFactory(employer=world.employer, title="藤编工（日结）", skill_texts=["藤编"],
                           wage_min=Decimal("280"), wage_max=Decimal("330"), wage_unit="day")
    piece = f.PostingFactory(employer=world.employer, title="串珠（计件）", wage_min=Decimal("45"),
                             wage_max=Decimal("60"), wage_unit="piece")
    hour = f.PostingFactory(employer=world.employer, title="小时工", wage_min=Decimal("35"), wage_max=None,
                            wage_unit="hour")
    month = f.PostingFactory(employer=world.employer, title="质检员", wage_min=Decimal("3200"),
                             wage_max=Decimal("4500"), wage_unit="month")
    return day, piece, hour, month


def test_the_postings_list_and_page_show_the_wage_and_the_monthly_figure(postings, clients):
    day, piece, hour, month = postings
    listing = clients["liaison"].get(reverse("web:liaison-postings")).content.decode()

    def row(posting):
        return listing.split(f'data-posting-id="{posting.pk}"')[1].split("</tr>")[0]

    assert "280–330元/天" in row(day)
    assert "约6,700元/月" in row(day)  # (280 + 330) / 2 × 22 working days = 6,710
    assert "45–60元/件" in row(piece)
    assert "35元/小时" in row(hour)
    assert "3,200–4,500元/月" in row(month)
    assert 'data-testid="monthly-estimate"' not in row(month)  # a monthly wage needs no estimate
    assert "¥" not in listing
    detail = clients["liaison"].get(reverse("web:liaison-posting", args=[day.pk])).content.decode()
    assert "280–330元/天" in detail
    assert "约6,700元/月" in detail


def test_the_api_carries_display_fields(postings, bureau_user):
    day, _piece, _hour, month = postings
    api = APIClient()
    api.force_authenticate(bureau_user)
    body = api.get(f"/api/v1/jobs/{day.pk}/").json()
    assert (body["wage_display"], body["monthly_estimate_display"]) == ("280–330元/天", "约6,700元/月")
    body = api.get(f"/api/v1/jobs/{month.pk}/").json()
    assert (body["wage_display"], body["monthly_estimate_display"]) == ("3,200–4,500元/月", "")


def test_a_placement_shows_its_agreed_wage_in_its_unit(world, postings, resident, liaison_user, clients):
    _day, _piece, hour, _month = postings
    placement_record(resident=resident, posting=hour, recorded_by=liaison_user, wage=Decimal("35"))
    page = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk])).content.decode()
    assert "35元/小时" in page
    assert "¥" not in page


def test_the_placements_export_writes_the_wage_as_people_do(world, postings, resident, liaison_user, clients):
    _day, _piece, hour, _month = postings
    placement_record(resident=resident, posting=hour, recorded_by=liaison_user, wage=Decimal("35"),
                     start_date=timezone.localdate() - dt.timedelta(days=1))
    response = clients["deputy"].get(reverse("web:dashboard-figure-csv", args=["placements"]))
    assert response.status_code == 200
    assert "35元/小时" in response.content.decode("utf-8-sig")


def test_the_resident_card_shows_the_converted_monthly_figure(world, postings, resident, clients):
    day, *_ = postings
    page = clients["resident"].get(reverse("web:resident-jobs")).content.decode()
    card = page.split(f'data-posting-id="{day.pk}"')[1].split("</article>")[0]
    assert "280–330元/天" in card
    assert "约6,700元/月" in card

