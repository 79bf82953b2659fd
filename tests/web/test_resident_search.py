"""Resident search that scales: a useful default (my station's zero-employment households), filters, paging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.profiles import zero_employment_households
from residents.models import Resident
from taxonomy.models import Skill
from tests import factories as f

from .conftest import OTHER_SITE

pytestmark = pytest.mark.django_db

SEARCH = reverse("web:liaison-search")


def ids(response) -> set[int]:
    return {r.pk for r in response.context["results"]}


@pytest.fixture
def crowd(world):
    """Forty seekers of one household type at 黄岔 and a few of the other station."""
    household = f.HouseholdFactory(site=f.place(f.HUANGCHA_SITE), poverty_status="monitored")
    people = [f.ResidentFactory(name=f"群众{i:02d}", household=household, skill_texts=["做保洁"] if i % 2 else [],
                                employment_status=Resident.EmploymentStatus.SEEKING) for i in range(40)]
    f.ResidentFactory(name="外站群众", household=f.HouseholdFactory(site=f.place(OTHER_SITE)))
    return people


def test_the_start_page_lists_my_stations_zero_employment_households(crowd, clients, station):
    response = clients["liaison"].get(SEARCH)
    assert response.context["default"]
    found = set(Resident.objects.filter(pk__in=ids(response)).values_list("household_id", flat=True))
    assert found <= set(zero_employment_households().values_list("id", flat=True))
    assert "外站群众" not in response.content.decode()
    assert response.context["page"].paginator.count >= 40  # the crowd's household has nobody in work
    assert 'data-testid="default-list"' in response.content.decode()


def test_filters_narrow_and_pages_number(crowd, clients):
    cleaning = Skill.objects.get(code="house.cleaning")
    response = clients["liaison"].get(SEARCH, {"shown": "1", "poverty": "monitored", "skill": cleaning.pk,
                                               "status": "seeking"})
    assert ids(response) == {p.pk for p in crowd if int(p.name[-2:]) % 2}
    everyone = clients["liaison"].get(SEARCH, {"shown": "1"})
    assert everyone.context["page"].paginator.count > 25
    assert len(everyone.context["results"]) == 25
    html = everyone.content.decode()
    assert 'data-testid="page-numbers"' in html
    second = clients["liaison"].get(SEARCH, {"shown": "1", "page": "2"})
    assert ids(second).isdisjoint(ids(everyone))


def test_age_bands(crowd, clients, liaison_user):
    from stations.selectors import residents_visible_to

    cutoff = timezone.localdate().replace(year=timezone.localdate().year - 60)
    response = clients["liaison"].get(SEARCH, {"shown": "1", "age": "60-"})
    expected = set(residents_visible_to(liaison_user).filter(birth_date__lte=cutoff).values_list("pk", flat=True))
    assert response.context["page"].paginator.count == len(expected)
    assert ids(response) <= expected
    young = clients["liaison"].get(SEARCH, {"shown": "1", "age": "16-29"})
    assert all(r.birth_date > timezone.localdate() - dt.timedelta(days=366 * 30) for r in young.context["results"])


def test_garbage_filters_are_ignored_never_a_500(crowd, clients):
    response = clients["liaison"].get(SEARCH, {"shown": "1", "site": "abc", "age": "99-", "skill": "-1"})
    assert response.status_code == 200
