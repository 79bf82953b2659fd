"""An open posting past its last valid day, before the nightly task closes it: not listed as open anywhere,
shown as expired (已过期), and the liaison page says why nobody is ranked for it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jobs.models import JobPosting
from tests import factories as f

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def expire(posting: JobPosting) -> JobPosting:
    """Move the last valid day to yesterday past the service's validation, as time passing does."""
    JobPosting.objects.filter(pk=posting.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    posting.refresh_from_db()
    return posting


@pytest.fixture
def expired(world) -> JobPosting:
    """Open and asking for 藤编, which the station's job seeker has: only its date keeps it from ranking her."""
    return expire(f.PostingFactory(employer=world.employer, title="藤椅打磨工", skill_texts=["藤编"]))


def expired_label() -> str:
    with translation.override("zh-hans"):
        return str(JobPosting.EXPIRED_LABEL)


def listed_ids(response) -> set[int]:
    return {p.pk for p in response.context["page"].paginator.object_list}


def test_the_model_tells_an_expired_posting_from_an_open_one(world, expired):
    assert (expired.status, expired.is_expired, expired.shown_status) == ("open", True, "expired")
    assert (world.posting.is_expired, world.posting.shown_status, world.draft.is_expired) == (False, "open", False)


def test_the_bureau_list_of_open_postings_leaves_out_the_expired(world, expired, clients):
    response = clients["bureau"].get(reverse("web:bureau-postings"), {"status": "open"})
    assert (world.posting.pk in listed_ids(response), expired.pk in listed_ids(response)) == (True, False)


def test_the_bureau_can_list_the_expired_postings(world, expired, clients):
    response = clients["bureau"].get(reverse("web:bureau-postings"), {"status": "expired"})
    assert listed_ids(response) == {expired.pk}
    assert ("expired", expired_label()) in [(str(v), str(label)) for v, label in
                                            response.context["listing"].filters.fields["status"].choices]


def test_the_bureau_list_shows_an_expired_posting_as_expired(world, expired, clients):
    html = clients["bureau"].get(reverse("web:bureau-postings")).content.decode()
    assert f'data-posting-id="{expired.pk}" data-status="expired"' in html
    assert f'data-posting-id="{world.posting.pk}" data-status="open"' in html
    assert f'<span class="badge status-expired" data-testid="posting-status">{expired_label()}</span>' in html


def test_the_bureau_posting_page_shows_it_as_expired(world, expired, clients):
    html = clients["bureau"].get(reverse("web:bureau-posting", args=[expired.pk])).content.decode()
    assert f'<span class="badge status-expired" data-testid="posting-status">{expired_label()}</span>' in html


def test_the_liaison_list_of_open_jobs_leaves_out_the_expired(world, expired, clients):
    response = clients["liaison"].get(reverse("web:liaison-postings"))
    assert (world.posting.pk in listed_ids(response), expired.pk in listed_ids(response)) == (True, False)
    assert response.context["page"].paginator.count == JobPosting.objects.filter(status="open").count() - 1


def test_the_liaison_posting_page_says_it_expired_instead_of_nobody_fits(world, expired, clients):
    response = clients["liaison"].get(reverse("web:liaison-posting", args=[expired.pk]))
    html = response.content.decode()
    assert (response.context["candidates"], 'data-testid="no-candidates"' in html) == ([], False)
    assert 'data-testid="not-ranked"' in html
    assert (expired.valid_until.isoformat() in html, expired_label() in html) == (True, True)


def test_the_same_posting_ranks_the_job_seeker_while_it_is_open(world, resident, clients):
    posting = f.PostingFactory(employer=world.employer, title="藤椅打磨工", skill_texts=["藤编"])
    response = clients["liaison"].get(reverse("web:liaison-posting", args=[posting.pk]))
    assert resident.pk in [c["resident_id"] for c in response.context["candidates"]]


def test_a_closed_posting_page_says_it_is_not_open(world, clients):
    html = clients["liaison"].get(reverse("web:liaison-posting", args=[world.draft.pk])).content.decode()
    assert ('data-testid="not-ranked"' in html, 'data-testid="no-candidates"' in html) == (True, False)


def test_the_resident_sees_that_a_recommended_job_expired(world, resident, clients):
    clients["liaison"].post(reverse("web:liaison-recommend", args=[resident.pk, world.posting.pk]), **HTMX)
    expire(world.posting)
    html = clients["resident"].get(reverse("web:resident-jobs")).content.decode()
    assert f'data-testid="station-recommendation" data-posting-id="{world.posting.pk}"' in html
    assert f'<span class="badge status-expired" data-testid="posting-status">{expired_label()}</span>' in html


def test_the_resident_is_not_offered_an_expired_job(world, resident, expired, clients):
    response = clients["resident"].get(reverse("web:resident-jobs"))
    assert expired.pk not in [m["job_id"] for m in response.context["matches"]]
