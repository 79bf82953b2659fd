"""The resident's own pages: profile (masked), jobs with reasons, training near me, enrol and cancel."""

from __future__ import annotations

import pytest
from django.urls import reverse

from residents import pii
from tests import factories as f
from training.models import Enrollment
from training.services import enrollment_create

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_my_profile_shows_my_id_number_and_phone_masked_only(world, resident, clients):
    html = clients["resident"].get(reverse("web:resident-home")).content.decode()
    full_id, full_phone = pii.decrypt(resident.id_number_encrypted), pii.decrypt(resident.phone_encrypted)
    assert (resident.id_number_masked in html, resident.phone_masked in html, full_id in html, full_phone in html) == (
        True, True, False, False)


def test_my_jobs_show_the_matching_posting_with_its_reasons_in_words(world, resident, clients):
    response = clients["resident"].get(reverse("web:resident-jobs"))
    match = next(m for m in response.context["matches"] if m["job_id"] == world.posting.pk)
    assert match["summary"] in response.content.decode()


def test_my_jobs_show_what_the_station_recommended_to_me(world, resident, clients, liaison_user):
    clients["liaison"].post(reverse("web:liaison-recommend", args=[resident.pk, world.posting.pk]), **HTMX)
    html = clients["resident"].get(reverse("web:resident-jobs")).content.decode()
    assert f'data-testid="station-recommendation" data-posting-id="{world.posting.pk}"' in html


def test_training_lists_open_sessions_nearest_first(world, resident, clients):
    response = clients["resident"].get(reverse("web:resident-training"))
    distances = [row.distance_km for row in response.context["rows"]]
    assert (len(distances), distances == sorted(distances)) == (2, True)


def test_training_leaves_out_sessions_not_open_or_started(world, resident, clients):
    f.SessionFactory(course=world.course, status="planned")
    response = clients["resident"].get(reverse("web:resident-training"))
    assert {row.session.pk for row in response.context["rows"]} == {world.session.pk, world.full_session.pk}


def test_enrolling_with_htmx_swaps_in_enrolled(world, resident, clients):
    response = clients["resident"].post(reverse("web:resident-enrol", args=[world.session.pk]), **HTMX)
    assert (b'data-status="enrolled"' in response.content,
            Enrollment.objects.get(resident=resident, session=world.session).status) == (True, "enrolled")


def test_enrolling_in_a_full_session_shows_my_place_on_the_waiting_list(world, resident, clients):
    response = clients["resident"].post(reverse("web:resident-enrol", args=[world.full_session.pk]), **HTMX)
    assert (b'data-status="waitlisted"' in response.content, response.context["row"].enrollment.waitlist_position) == (
        True, 1)


def test_the_waiting_list_position_counts_those_ahead(world, resident, clients):
    ahead = f.ResidentFactory(name="排前面")
    enrollment_create(session=world.full_session, resident=ahead)
    clients["resident"].post(reverse("web:resident-enrol", args=[world.full_session.pk]))
    response = clients["resident"].get(reverse("web:resident-enrolments"))
    mine = next(e for e in response.context["enrolments"] if e.session_id == world.full_session.pk)
    assert (mine.status, mine.waitlist_position) == ("waitlisted", 2)


def test_enrolling_twice_shows_the_error(world, resident, clients):
    url = reverse("web:resident-enrol", args=[world.session.pk])
    clients["resident"].post(url, **HTMX)
    response = clients["resident"].post(url, **HTMX)
    assert (response.status_code, b'data-testid="enrol-errors"' in response.content,
            Enrollment.objects.filter(resident=resident).count()) == (200, True, 1)


def test_enrolling_without_htmx_goes_back_with_a_message(world, resident, clients):
    response = clients["resident"].post(reverse("web:resident-enrol", args=[world.session.pk]), follow=True)
    assert ([m.level_tag for m in response.context["messages"]], response.request["PATH_INFO"]) == (
        ["success"], reverse("web:resident-training"))


def test_my_enrolments_list_what_i_enrolled_in(world, resident, clients):
    clients["resident"].post(reverse("web:resident-enrol", args=[world.session.pk]))
    html = clients["resident"].get(reverse("web:resident-enrolments")).content.decode()
    assert f'data-session-id="{world.session.pk}" data-status="enrolled"' in html


def test_cancelling_frees_the_place(world, resident, clients):
    clients["resident"].post(reverse("web:resident-enrol", args=[world.session.pk]))
    enrollment = Enrollment.objects.get(resident=resident, session=world.session)
    clients["resident"].post(reverse("web:resident-cancel", args=[enrollment.pk]))
    enrollment.refresh_from_db()
    world.session.refresh_from_db()
    assert (enrollment.status, world.session.enrolled_count) == ("cancelled", 0)


def test_cancelling_someone_elses_enrolment_is_a_404(world, resident, clients):
    theirs = Enrollment.objects.get(resident=world.kanghua, session=world.full_session)
    response = clients["resident"].post(reverse("web:resident-cancel", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert (response.status_code, theirs.status) == (404, "enrolled")


def test_cancelling_twice_shows_the_error(world, resident, clients):
    clients["resident"].post(reverse("web:resident-enrol", args=[world.session.pk]))
    enrollment = Enrollment.objects.get(resident=resident, session=world.session)
    clients["resident"].post(reverse("web:resident-cancel", args=[enrollment.pk]))
    response = clients["resident"].post(reverse("web:resident-cancel", args=[enrollment.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"


def test_a_resident_login_without_a_resident_record_is_refused(world, client):
    user = f.UserFactory(username="lonely", role="resident")
    client.force_login(user)
    assert client.get(reverse("web:resident-home")).status_code == 403
