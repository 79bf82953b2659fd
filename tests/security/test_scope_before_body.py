"""Every action endpoint finds the object in the caller's scope before it reads the body: another station's
liaison gets 404 even with a body that is invalid, so that an error message never confirms that an
object exists elsewhere, and nothing changes."""

from __future__ import annotations

import pytest

from matching.models import FollowUp
from matching.services import placement_record, recommendation_create
from matching.services.assignment import assignment_run_create
from tests import factories as f
from tests.api.support import API, db_state, error_of
from training.services import enrollment_create

pytestmark = pytest.mark.django_db

GARBAGE = [{"state": "nonsense", "hours": "-7", "date": "9999-99-99", "result": 42, "residents": "x",
            "reason": ["x"] * 50, "still_employed": "perhaps"}, "not an object", []]


@pytest.fixture
def objects(world, liaison_user):
    """One object of each kind behind an action endpoint, all belonging to liaison_user's station."""
    resident = world["resident"]
    enrollment = enrollment_create(session=world["session"], resident=resident)
    recommendation = recommendation_create(resident=resident, posting=world["posting"],
                                           recommended_by=liaison_user, score=0.5, explanation={})
    placement = placement_record(resident=f.ResidentFactory(), posting=world["posting"],
                                 recorded_by=liaison_user)
    follow_up = FollowUp.objects.filter(placement=placement).first()
    run = assignment_run_create(mode="optimal", resident_ids=[resident.pk], created_by=liaison_user)
    return {"enrollments": enrollment, "recommendations": recommendation, "placements": placement,
            "follow-ups": follow_up, "assignments": run}


ACTIONS = [("enrollments", "attendance"), ("enrollments", "complete"), ("enrollments", "drop"),
           ("enrollments", "cancel"), ("recommendations", "move"), ("placements", "end"),
           ("follow-ups", "record"), ("assignments", "accept")]


@pytest.mark.parametrize(("resource", "verb"), ACTIONS)
@pytest.mark.parametrize("body", GARBAGE)
def test_another_stations_object_is_404_even_with_an_invalid_body(api, objects, other_liaison_user, resource,
                                                                   verb, body):
    target = objects[resource]
    assert target is not None, resource
    before = db_state()
    response = api.as_user(other_liaison_user).post(f"{API}/{resource}/{target.pk}/{verb}/", body, format="json")
    assert response.status_code == 404, (response.status_code, response.content[:300])
    assert error_of(response)["code"] == "not_found"
    assert db_state() == before


@pytest.mark.parametrize(("resource", "verb"), ACTIONS)
def test_an_unknown_object_is_404_even_with_an_invalid_body(api, objects, liaison_user, resource, verb):
    response = api.as_user(liaison_user).post(f"{API}/{resource}/999999/{verb}/", GARBAGE[0], format="json")
    assert response.status_code == 404
