"""The seed_demo command: a small Pingxi, determinism, logins, protected personal data, and the speed bound."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection

from config.roles import Role
from jobs.models import Employer, JobPosting, JobSkill
from matching.learning.services import match_model_train
from matching.models import FollowUp, Placement, Recommendation
from receptions.models import Request, Suggestion
from residents import pii
from residents.models import Household, Resident, ResidentSkill
from stations.demo import content_digest
from stations.demo import vocabulary as v
from stations.models import Deputy, LiaisonRoom, LiaisonStation, StaffMembership
from stations.selectors import residents_visible_to
from stations.statistics import Figure, Period, Scope, statistics_for
from taxonomy.identifiers import parse_id_number, validate_phone, validate_uscc
from taxonomy.models import Occupation, Skill
from training.models import Course, Enrollment, TrainingSession

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 1)
SMALL = {"households": 60, "residents": 200, "employers": 10, "postings": 80}


def seed(**options):
    """A small demo; without its past unless the test is about it (the history is most of a seed's time)."""
    options.setdefault("no_history", True)
    call_command("seed_demo", today=options.pop("today", TODAY), verbosity=0, **{**SMALL, **options})


def test_small_pingxi_has_station_rooms_people_jobs_and_training():
    seed(no_history=True)
    station = LiaisonStation.objects.get()
    assert station.name == "平溪街道人大代表联络站"
    assert station.place.code == "520622002000"
    rooms = list(LiaisonRoom.objects.order_by("id"))
    assert [room.name for room in rooms] == ["第一联络室", "第二联络室", "第三联络室"]
    served = {place.code for room in rooms for place in room.places.all()}
    assert {"520622002S01", "520622002S02", "520622002205", "520622002204"} <= served
    assert "520622002S01" in {place.code for place in rooms[0].places.all()}
    assert Deputy.objects.count() == 16
    assert set(Deputy.objects.values_list("level", flat=True)) == {"city", "county"}
    assert all(Deputy.objects.filter(room=room).exists() for room in rooms)

    assert Household.objects.count() == 60
    assert Resident.objects.count() == 200
    at_sites = Household.objects.filter(site__is_resettlement_site=True).count()
    assert at_sites > 30  # most live at the two resettlement sites
    assert Household.objects.exclude(site__is_resettlement_site=True).exists()
    assert {"lifted", "monitored"} <= set(Household.objects.values_list("poverty_status", flat=True))
    assert ResidentSkill.objects.exists()

    assert Employer.objects.count() == 10
    assert Employer.objects.filter(is_poverty_workshop=True, place__code="520622002S02").exists()
    for uscc in Employer.objects.values_list("uscc", flat=True):
        assert validate_uscc(uscc) == uscc
    assert JobPosting.objects.count() == 80 + round(80 * 3.3)  # the recent ones and those of two years before
    statuses = Counter(JobPosting.objects.values_list("status", flat=True))
    assert statuses["open"] > 30
    assert not JobPosting.objects.filter(status="open", valid_until__lt=TODAY).count() > 10
    assert len(statuses) >= 3
    assert JobSkill.objects.filter(mandatory=True).exists()
    for posting in JobPosting.objects.all():
        assert posting.filled <= posting.openings
        if posting.wage_min is not None and posting.wage_max is not None:
            assert posting.wage_min <= posting.wage_max
        if posting.occupation_id:
            assert posting.occupation.level >= 3

    assert list(Course.objects.order_by("code").values_list("name", flat=True)) == ["手工艺品制作", "家政服务", "藤椅加工"]
    assert all(course.skill_links.exists() for course in Course.objects.all())
    sessions = TrainingSession.objects.all()
    assert sessions.count() >= 20
    assert sessions.filter(start_date__lt=TODAY).exists()
    assert sessions.filter(start_date__gt=TODAY).exists()
    assert not Enrollment.objects.exists()


def test_residents_have_valid_identity_derived_as_the_services_do():
    seed()
    employed_households = set(
        Resident.objects.filter(employment_status__in=["employed", "self_employed"]).values_list("household", flat=True)
    )
    assert 0 < len(employed_households) < Household.objects.count()  # some households have nobody in work
    for resident in Resident.objects.all():
        number = pii.decrypt(resident.id_number_encrypted)
        info = parse_id_number(number, today=TODAY)
        assert info.region_code == "520622"
        assert (resident.birth_date, resident.sex) == (info.birth_date, info.sex)
        age = TODAY.year - info.birth_date.year - ((TODAY.month, TODAY.day) < (info.birth_date.month, info.birth_date.day))
        assert 16 <= age <= 70
        assert resident.id_number_hash == pii.lookup_hash(number)
        assert resident.id_number_masked == f"{number[:4]}{'*' * 10}{number[-4:]}"
        if resident.phone_encrypted:
            phone = validate_phone(pii.decrypt(resident.phone_encrypted))
            assert resident.phone_masked == f"{phone[:3]}****{phone[-4:]}"
        assert resident.name_initials
        assert resident.name[0] in {name for name, _weight in v.SURNAMES}


def test_id_numbers_are_stored_encrypted():
    seed()
    resident = Resident.objects.first()
    number = pii.decrypt(resident.id_number_encrypted)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number_encrypted, id_number_masked FROM residents_resident")
        rows = cursor.fetchall()
    assert rows
    assert all(number not in encrypted and number not in masked for encrypted, masked in rows)


def test_same_seed_and_today_give_the_same_data():
    seed(seed=7, no_history=False, sessions=12)
    first = content_digest()
    seed(seed=7, reset=True, no_history=False, sessions=12)
    assert content_digest() == first
    seed(seed=8, reset=True, sessions=12)
    assert content_digest() != first


def test_logins_have_their_roles_and_memberships():
    seed(password="another-pass-1")
    station = LiaisonStation.objects.get()
    room1 = LiaisonRoom.objects.get(name="第一联络室")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    for username in ("bureau", "liaison", "resident", "deputy"):
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [username]
        assert user.check_password("another-pass-1")
    assert StaffMembership.objects.get(user__username="liaison").room == room1
    deputy_membership = StaffMembership.objects.get(user__username="deputy")
    assert (deputy_membership.station, deputy_membership.role) == (station, StaffMembership.Role.DEPUTY)
    assert Deputy.objects.get(user__username="deputy").room == room1
    assert not StaffMembership.objects.filter(user__username__in=["bureau", "resident", "admin"]).exists()


def test_resident_login_sees_itself_and_room_one_liaison_sees_it():
    seed()
    user = User.objects.get(username="resident")
    resident = Resident.objects.get(user=user)
    assert resident.household.site.code == "520622002S01"
    assert list(residents_visible_to(user)) == [resident]
    liaison = User.objects.get(username="liaison")
    assert residents_visible_to(liaison).filter(pk=resident.pk).exists()
    assert residents_visible_to(User.objects.get(username="bureau")).count() == 0
    assert Role.RESIDENT in set(user.groups.values_list("name", flat=True))


def test_if_empty_leaves_an_existing_demo_and_a_second_seed_is_refused():
    seed()
    digest = content_digest()
    call_command("seed_demo", "--if-empty", verbosity=0)
    assert content_digest() == digest
    with pytest.raises(CommandError, match="--reset"):
        seed()


def test_bad_options_are_refused():
    with pytest.raises(CommandError):
        seed(households=10, residents=5)
    assert not LiaisonStation.objects.exists()


def test_vocabulary_refers_to_existing_skills_and_occupations():
    skills = set(Skill.objects.values_list("code", flat=True))
    occupations = set(Occupation.objects.filter(level=4).values_list("name", flat=True))
    referenced_skills = {code for profile in v.SKILL_PROFILES for code in profile.skills}
    referenced_skills |= {code for course in v.COURSES for code, _level in course[4]}
    referenced_skills |= set(v.GENERAL_SKILLS_BY_ETHNICITY.values())
    referenced_occupations = {name for profile in v.SKILL_PROFILES for name in profile.occupations}
    for industry in v.INDUSTRIES:
        for template in industry.templates:
            referenced_skills |= {code for code, _level, _mandatory in template.required}
            referenced_skills |= {code for code, _level in template.preferred}
            if template.occupation:
                referenced_occupations.add(template.occupation)
    assert referenced_skills - skills == set()
    assert referenced_occupations - occupations == set()


def test_most_piece_rate_postings_say_what_a_month_brings():
    piece_templates = {template.titles[0] for industry in v.INDUSTRIES for template in industry.templates
                       if any(unit == v.PIECE for unit, *_range in template.wages)}
    assert set(v.PIECE_MONTHLY_EARNINGS) == piece_templates
    seed(employers=30, postings=400)
    piece = JobPosting.objects.filter(wage_unit="piece")
    estimated = piece.exclude(piece_monthly_estimate=None)
    assert piece.count() >= 20
    assert estimated.count() > piece.count() * 0.7
    assert piece.filter(piece_monthly_estimate=None).exists()  # a few leave it out
    assert not JobPosting.objects.exclude(wage_unit="piece").exclude(piece_monthly_estimate=None).exists()
    for posting in estimated:
        assert 500 <= posting.piece_monthly_estimate <= 10_000
        assert posting.wage_min is None or posting.wage_min < 200  # the rate is per piece
        assert f"月收入约{posting.piece_monthly_estimate.normalize():f}元" in posting.description


@pytest.mark.slow
def test_default_pingxi_has_a_past_that_reads_like_the_station_report():
    """The default demo, history included: its last full year reads like the station's own report (about
    1,000 job information items, 100 or more people recommended into work, 20 or more trainings), the
    follow-up desk has work due, and the outcomes are enough for a ranking model to earn activation."""
    today = dt.date(2026, 12, 7)
    started = time.perf_counter()
    call_command("seed_demo", verbosity=0, today=today)
    elapsed = time.perf_counter() - started
    assert Resident.objects.count() == 2000
    assert JobPosting.objects.count() == 1000 + 3300
    assert elapsed < 240, f"the default seed took {elapsed:.1f} s"

    year = statistics_for(Scope.for_station(LiaisonStation.objects.get()), Period.year(2025)).values
    assert 850 <= year[Figure.JOBS_PUBLISHED] <= 1300
    assert year[Figure.RESIDENTS_RECOMMENDED] >= 100
    assert year[Figure.PLACEMENTS] >= 50
    assert year[Figure.SESSIONS_HELD] >= 20
    assert year[Figure.TRAINEES_COMPLETED] > 0
    with time_machine.travel(dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC), tick=False):
        assert FollowUp.objects.filter(done_at__isnull=True, due_date__lte=today).exists()
        assert Recommendation.objects.filter(state__in=Recommendation.OPEN_STATES).exists()
        version = match_model_train(until=today)
    assert version.status == "active", version.decision


def test_a_small_history_lived_through_the_services():
    seed(no_history=False, sessions=12)
    recommendations = Recommendation.objects.all()
    assert recommendations.exists()
    assert set(recommendations.values_list("origin", flat=True)) == {"desk"}
    assert all(r.recommended_on < TODAY for r in recommendations)
    # Every outcome after its recommendation, every event written on its own day.
    for r in recommendations.exclude(decided_on=None):
        assert r.recommended_on <= r.decided_on < TODAY
        assert r.created_at.date() == r.recommended_on
    for placement in Placement.objects.select_related("recommendation"):
        assert placement.recommendation.recommended_on <= placement.start_date <= TODAY
        assert placement.ended_on is None or placement.ended_on >= placement.start_date
    for posting in JobPosting.objects.all():
        assert posting.filled <= posting.openings
    assert Enrollment.objects.filter(status="completed").exists()
    assert not JobPosting.objects.filter(status="open", valid_until__lt=TODAY).exists()
    # The receptions and requests follow the demo's size: a tenth of the default's people, a tenth of its requests.
    assert 20 <= Request.objects.count() <= 120
    assert Suggestion.objects.exists()


def test_no_history_is_the_same_demo_without_a_past():
    seed(no_history=True)
    people = set(Resident.objects.values_list("name", "id_number_hash"))
    postings = sorted(JobPosting.objects.values_list("title", "published_at", "valid_until", "openings"), key=str)
    sessions = sorted(TrainingSession.objects.values_list("course__code", "start_date", "capacity"))
    for model in (Recommendation, Placement, FollowUp, Enrollment):
        assert not model.objects.exists()
    seed(reset=True, no_history=False)
    assert set(Resident.objects.values_list("name", "id_number_hash")) == people
    assert sorted(JobPosting.objects.values_list("title", "published_at", "valid_until", "openings"), key=str) == postings
    assert sorted(TrainingSession.objects.values_list("course__code", "start_date", "capacity")) == sessions
    assert Recommendation.objects.exists()
    assert Enrollment.objects.exists()
