"""Lists that scale: the postings list has a count, sorting and numbered pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

POSTINGS = reverse("web:liaison-postings")


@pytest.fixture
def many(world):
    return [f.PostingFactory(employer=world.employer, title=f"普工{i:02d}", wage_min=Decimal(2000 + 10 * i),
                             wage_max=Decimal(3000 + 10 * i), openings=1 + i % 4) for i in range(60)]


def test_postings_sort_by_wage_and_count(many, clients):
    response = clients["liaison"].get(POSTINGS, {"sort": "wage"})
    rows = list(response.context["page"])
    from jobs.models import JobPosting

    assert rows[0].wage_max == max(JobPosting.objects.exclude(wage_max=None).values_list("wage_max", flat=True))
    assert [r.wage_max for r in rows] == sorted((r.wage_max for r in rows), reverse=True)
    html = response.content.decode()
    total = response.context["page"].paginator.count
    assert total >= 60
    assert f'data-testid="list-count">共 {total} 条' in html


def test_postings_have_numbered_pages_that_keep_the_sort(many, clients):
    html = clients["liaison"].get(POSTINGS, {"sort": "closing", "page": "2"}).content.decode()
    assert 'data-testid="page-numbers"' in html
    assert 'href="?sort=closing&amp;page=3"' in html
    assert 'aria-current="page">2<' in html


def test_a_bad_sort_says_so_and_shows_the_newest(many, clients):
    response = clients["liaison"].get(POSTINGS, {"sort": "drop table"})
    assert response.status_code == 400
    assert response.context["listing"].errors[0].startswith("排序")
    assert len(response.context["page"]) > 0
