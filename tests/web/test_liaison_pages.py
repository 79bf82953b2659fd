"""The liaison worker's pages: search, a resident's matches and recommendations, candidates, follow-ups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import Placement, Recommendation, RecommendationEvent
from matching.selectors import explain_match

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def search(client, text, **headers):
    return client.get(reverse("web:liaison-search"), {"q": text}, **headers)


def found_ids(response) -> list[int]:
    return [r.pk for r in response.context["results"]]


@pytest.mark.parametrize("text", ["wxf", "WX", "王小", "HH", "王小芳"])
def test_search_finds_the_resident_by_name_initials_or_household(world, resident, clients, text):
    response = search(clients["liaison"], text if text != "HH" else resident.household.number)
    assert resident.pk in found_ids(response)


def test_search_finds_the_resident_by_the_last_four_of_the_id_number(world, resident, clients):
    response = search(clients["liaison"], resident.id_number_masked[-4:])
    assert resident.pk in found_ids(response)


def test_search_does_not_find_another_stations_resident(world, clients):
    response = search(clients["liaison"], world.outsider.name)
    assert found_ids(response) == []


def test_other_station_liaison_does_not_find_our_resident(world, resident, clients):
    response = search(clients["other_liaison"], "wxf")
    assert found_ids(response) == []


def test_live_search_answers_htmx_with_the_results_only(world, resident, clients):
    response = search(clients["liaison"], "wxf", **HTMX)
    html = response.content.decode()
    assert ("<html" in html, f'data-resident-id="{resident.pk}"' in html, "HX-Request" in response["Vary"]) == (
        False, True, True)


def test_resident_page_shows_the_profile_masked(world, resident, clients):
    html = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk])).content.decode()
    assert (resident.id_number_masked in html, resident.phone_masked in html) == (True, True)


def test_resident_page_shows_skills_with_level_and_source(world, resident, clients):
    response = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk]))
    skills = {(link.skill.code, link.level, link.source) for link in response.context["resident"].skill_links.all()}
    assert ("rattan.weaving", 2, "self") in skills


def test_resident_page_says_whether_the_household_has_nobody_in_work(world, resident, clients):
    html = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk])).content.decode()
    assert 'data-testid="zero-employment"' in html


def test_resident_page_ranks_the_matching_posting_with_its_reasons(world, resident, clients):
    response = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk]))
    match = next(m for m in response.context["matches"] if m["job_id"] == world.posting.pk)
    assert ({s["name"] for s in match["matched_skills"]}, len(match["components"]) > 0, bool(match["summary"])) == (
        {"藤编"}, True, True)


def test_resident_page_lists_course_advice_with_counts(world, resident, clients):
    response = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk]))
    html = response.content.decode()
    assert all(f'data-course-id="{a.course_id}"' in html for a in response.context["advice"])


def test_recommend_with_htmx_swaps_in_recommended_and_stores_the_match(world, resident, clients, liaison_user):
    url = reverse("web:liaison-recommend", args=[resident.pk, world.posting.pk])
    response = clients["liaison"].post(url, **HTMX)
    stored = Recommendation.objects.get(resident=resident, posting=world.posting)
    expected = explain_match(resident, world.posting).score
    assert (b'data-testid="recommended"' in response.content, response["HX-Trigger"], stored.recommended_by,
            round(stored.score, 4), stored.explanation["job_id"]) == (
        True, "recommendations-changed", liaison_user, round(expected, 4), world.posting.pk)


def test_recommend_without_htmx_goes_back_to_the_resident(world, resident, clients):
    url = reverse("web:liaison-recommend", args=[resident.pk, world.posting.pk])
    response = clients["liaison"].post(url)
    assert response["Location"] == reverse("web:liaison-resident", args=[resident.pk])


def test_recommending_twice_shows_the_error_and_keeps_one(world, resident, clients):
    url = reverse("web:liaison-recommend", args=[resident.pk, world.posting.pk])
    clients["liaison"].post(url, **HTMX)
    response = clients["liaison"].post(url, **HTMX)
    assert (response.status_code, b'data-testid="recommend-errors"' in response.content,
            Recommendation.objects.filter(resident=resident).count()) == (200, True, 1)


def test_recommending_to_a_draft_posting_shows_why_not(world, resident, clients):
    url = reverse("web:liaison-recommend", args=[resident.pk, world.draft.pk])
    response = clients["liaison"].post(url, **HTMX)
    assert (response.status_code, b'data-testid="recommend-errors"' in response.content,
            Recommendation.objects.filter(resident=resident).exists()) == (200, True, False)


def test_recommending_another_stations_resident_is_a_404(world, clients):
    url = reverse("web:liaison-recommend", args=[world.outsider.pk, world.posting.pk])
    response = clients["liaison"].post(url, **HTMX)
    assert (response.status_code, Recommendation.objects.filter(resident=world.outsider).exists()) == (404, False)


def test_history_shows_the_recommendation_after_it_is_made(world, resident, clients):
    clients["liaison"].post(reverse("web:liaison-recommend", args=[resident.pk, world.posting.pk]), **HTMX)
    html = clients["liaison"].get(reverse("web:liaison-history", args=[resident.pk]), **HTMX).content.decode()
    assert f'data-posting-id="{world.posting.pk}" data-state="recommended"' in html


@pytest.fixture
def recommendation(world, resident, clients):
    clients["liaison"].post(reverse("web:liaison-recommend", args=[resident.pk, world.posting.pk]), **HTMX)
    return Recommendation.objects.get(resident=resident, posting=world.posting)


def move(client, recommendation, **data):
    return client.post(reverse("web:liaison-move", args=[recommendation.pk]), data, **HTMX)


def test_moving_a_recommendation_records_the_event(recommendation, clients):
    move(clients["liaison"], recommendation, to_state="contacted", note="打过电话")
    event = RecommendationEvent.objects.filter(recommendation=recommendation).latest("id")
    assert (event.from_state, event.to_state, event.note) == ("recommended", "contacted", "打过电话")


def test_history_offers_only_the_legal_next_states(recommendation, resident, clients):
    response = clients["liaison"].get(reverse("web:liaison-resident", args=[resident.pk]))
    row = response.context["history"][0]
    assert [str(s) for s in row.next_states] == ["contacted", "interviewing", "rejected", "declined", "no_answer"]


def test_an_illegal_move_shows_the_error_and_changes_nothing(recommendation, clients):
    response = move(clients["liaison"], recommendation, to_state="hired", start_date=timezone.localdate().isoformat())
    recommendation.refresh_from_db()
    assert (response.status_code, b'data-testid="move-errors"' in response.content, recommendation.state) == (
        200, True, "recommended")


def test_hiring_asks_for_the_start_date(recommendation, clients):
    move(clients["liaison"], recommendation, to_state="contacted")
    response = move(clients["liaison"], recommendation, to_state="hired", wage="3500")
    assert (response.status_code, b'data-testid="move-errors"' in response.content,
            Placement.objects.filter(recommendation=recommendation).exists()) == (200, True, False)


def test_hiring_records_the_placement_with_date_and_wage(recommendation, clients):
    move(clients["liaison"], recommendation, to_state="contacted")
    start = timezone.localdate()
    move(clients["liaison"], recommendation, to_state="hired", start_date=start.isoformat(), wage="3500")
    placement = Placement.objects.get(recommendation=recommendation)
    assert (placement.start_date, placement.wage) == (start, Decimal("3500"))


def test_a_bad_move_without_htmx_renders_the_page_with_the_error(recommendation, clients):
    response = clients["liaison"].post(reverse("web:liaison-move", args=[recommendation.pk]),
                                       {"to_state": "nonsense"})
    assert (response.status_code, b'data-testid="move-errors"' in response.content) == (200, True)


def test_posting_page_ranks_only_the_workers_own_residents(world, resident, clients):
    response = clients["liaison"].get(reverse("web:liaison-posting", args=[world.posting.pk]))
    ranked = {c["resident_id"] for c in response.context["candidates"]}
    assert (resident.pk in ranked, world.kanghua.pk in ranked, world.outsider.pk in ranked) == (True, True, False)


def test_posting_page_marks_who_is_already_recommended(recommendation, world, resident, clients):
    response = clients["liaison"].get(reverse("web:liaison-posting", args=[world.posting.pk]))
    marked = {c["resident_id"] for c in response.context["candidates"] if c["recommended"]}
    assert marked == {resident.pk}


def test_followups_list_the_due_check_of_the_stations_hire(world, clients):
    response = clients["liaison"].get(reverse("web:liaison-followups"))
    assert [row.pk for row in response.context["rows"]] == [world.follow_up.pk]


def test_followups_of_another_station_are_not_listed(world, clients):
    response = clients["other_liaison"].get(reverse("web:liaison-followups"))
    assert list(response.context["rows"]) == []


def test_a_hired_residents_page_shows_the_job_and_why_nothing_is_ranked(world, clients):
    response = clients["liaison"].get(reverse("web:liaison-resident", args=[world.neighbour.pk]))
    html = response.content.decode()
    start = (timezone.localdate() - dt.timedelta(days=40)).isoformat()
    assert [p.pk for p in response.context["placements"]] == [world.placement.pk]
    assert 'data-testid="placement"' in html
    assert start in html
    assert "3,200" in html
    assert 'data-testid="not-ranked"' in html
    assert response.context["matches"] == []
