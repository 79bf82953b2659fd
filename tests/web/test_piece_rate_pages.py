"""Piece-rate postings on the pages: the bureau enters the monthly estimate, everyone sees "约X元/月" beside
the rate, and small amounts per piece keep their decimals (2–2.5元/件)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from jobs.models import JobPosting
from tests import factories as f
from web.templatetags.lianxin import yuan

pytestmark = pytest.mark.django_db

ONLY_PIECE = "An estimate of monthly earnings is only for piece-rate postings."


def piece_data(world, **overrides):
    data = {"employer": world.employer.pk, "title": "藤椅编织（居家计件）", "skill_texts": "藤编", "openings": "20",
            "wage_min": "2", "wage_max": "2.50", "wage_unit": "piece", "piece_monthly_estimate": "2800",
            "work_mode": "home_based", "work_time": "flexible", "publish": "on",
            "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat()}
    return {**data, **overrides}


def estimate_in(html: str) -> str:
    """The text of the "约X元/月" element (failing when there is none)."""
    found = re.search(r'data-testid="monthly-estimate">(.*?)</', html, re.S)
    assert found, "no piece-rate estimate shown"
    return found[1]


def piece_posting(world, **overrides) -> JobPosting:
    fields = {"employer": world.employer, "title": "藤椅编织（居家计件）", "skill_texts": ["藤编"], "openings": 20,
              "wage_min": Decimal("2"), "wage_max": Decimal("2.50"), "wage_unit": "piece",
              "piece_monthly_estimate": Decimal("2800"), "work_mode": "home_based", "work_time": "flexible"}
    return f.PostingFactory(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("3500.00"), "3,500"),
        (Decimal("2.00"), "2"),
        (Decimal("2.50"), "2.5"),
        (Decimal("2.25"), "2.25"),
        (Decimal("0.30"), "0.3"),
        (Decimal("1234567.80"), "1,234,567.8"),
        (1234.5, "1,234.5"),
        (2475.0000001, "2,475"),
        (2800, "2,800"),
        ("45", "45"),
        (None, ""),
        ("", ""),
        ("面议", "面议"),
    ],
)
def test_yuan_keeps_the_decimals_of_amounts_that_are_not_whole(value, shown):
    assert yuan(value) == shown


def test_bureau_enters_a_piece_rate_posting_with_its_monthly_estimate(world, clients):
    response = clients["bureau"].post(reverse("web:bureau-posting-new"), piece_data(world))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    posting = JobPosting.objects.get(title="藤椅编织（居家计件）")
    assert (posting.wage_unit, posting.wage_min, posting.wage_max, posting.piece_monthly_estimate) == (
        "piece", Decimal("2.00"), Decimal("2.50"), Decimal("2800.00"))
    page = clients["bureau"].get(response["Location"]).content.decode()
    assert "2–2.5元/件" in page  # not "2–2元/件"
    assert "2,800" in estimate_in(page)


def test_the_form_offers_the_estimate_and_keeps_it_when_editing(world, clients):
    page = clients["bureau"].get(reverse("web:bureau-posting-new")).content.decode()
    assert 'name="piece_monthly_estimate"' in page
    posting = piece_posting(world)
    url = reverse("web:bureau-posting-edit", args=[posting.pk])
    form = clients["bureau"].get(url).context["form"]
    assert form.initial["piece_monthly_estimate"] == Decimal("2800.00")
    response = clients["bureau"].post(url, piece_data(world, piece_monthly_estimate="3100"))
    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.piece_monthly_estimate == Decimal("3100.00")


def test_an_estimate_on_a_monthly_posting_is_a_field_error(world, clients):
    before = JobPosting.objects.count()
    response = clients["bureau"].post(reverse("web:bureau-posting-new"),
                                      piece_data(world, wage_unit="month", wage_min="3000", wage_max="3500"))
    assert response.status_code == 200
    assert response.context["form"].errors["piece_monthly_estimate"] == [gettext(ONLY_PIECE)]
    assert JobPosting.objects.count() == before


@pytest.mark.parametrize("estimate", ["-1", "很多", "1e20", "2800.123"])
def test_a_garbage_estimate_is_a_form_error_never_a_500(world, clients, estimate):
    before = JobPosting.objects.count()
    response = clients["bureau"].post(reverse("web:bureau-posting-new"),
                                      piece_data(world, piece_monthly_estimate=estimate))
    assert response.status_code == 200
    assert "piece_monthly_estimate" in response.context["form"].errors
    assert JobPosting.objects.count() == before


def test_liaison_staff_see_the_estimate_next_to_the_piece_rate(world, clients):
    posting = piece_posting(world)
    without = piece_posting(world, title="串珠手工（计件）", skill_texts=[], piece_monthly_estimate=None)
    listing = clients["liaison"].get(reverse("web:liaison-postings")).content.decode()
    row = listing.split(f'data-posting-id="{posting.pk}"')[1].split("</tr>")[0]
    assert "2–2.5元/件" in row
    assert "2,800" in estimate_in(row)
    other = listing.split(f'data-posting-id="{without.pk}"')[1].split("</tr>")[0]
    assert 'data-testid="monthly-estimate"' not in other
    detail = clients["liaison"].get(reverse("web:liaison-posting", args=[posting.pk])).content.decode()
    assert "2,800" in estimate_in(detail)


def test_a_resident_sees_about_how_much_a_month_the_piecework_brings(world, clients):
    posting = piece_posting(world)
    page = clients["resident"].get(reverse("web:resident-jobs")).content.decode()
    card = page.split(f'data-posting-id="{posting.pk}"')[1].split("</article>")[0]
    assert "2,800" in estimate_in(card)
    assert "2–2.5元/件" in card
