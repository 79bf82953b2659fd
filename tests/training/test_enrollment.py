"""Enrolment, waiting list, attendance and completion (training.services)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from residents.models import ResidentSkill
from taxonomy.models import Skill
from tests import factories as f
from training import services
from training.models import Attendance, Enrollment, TrainingSession

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def test_enrol_until_full_then_waitlist_and_promote_on_cancel():
    session = f.SessionFactory(capacity=2)
    residents = [f.ResidentFactory() for _ in range(4)]
    enrolments = [services.enrollment_create(session=session, resident=r) for r in residents]
    assert [e.status for e in enrolments] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    session.refresh_from_db()
    assert session.enrolled_count == 2

    services.enrollment_cancel(enrollment=enrolments[0])
    statuses = dict(Enrollment.objects.values_list("resident_id", "status"))
    assert statuses[residents[0].pk] == "cancelled"
    assert statuses[residents[2].pk] == "enrolled"  # first on the waiting list
    assert statuses[residents[3].pk] == "waitlisted"
    session.refresh_from_db()
    assert session.enrolled_count == 2


def test_cancelling_a_waitlisted_place_frees_no_seat():
    session = f.SessionFactory(capacity=1)
    first, second = f.ResidentFactory(), f.ResidentFactory()
    services.enrollment_create(session=session, resident=first)
    waiting = services.enrollment_create(session=session, resident=second)
    services.enrollment_cancel(enrollment=waiting)
    session.refresh_from_db()
    assert session.enrolled_count == 1


def test_cancel_with_empty_waitlist_frees_the_seat():
    session = f.SessionFactory(capacity=1)
    enrolment = services.enrollment_create(session=session, resident=f.ResidentFactory())
    services.enrollment_cancel(enrollment=enrolment)
    session.refresh_from_db()
    assert session.enrolled_count == 0


@pytest.mark.parametrize(
    ("session_kwargs", "field"),
    [
        ({"start_date": dt.date.today() - dt.timedelta(days=3)}, "session"),
        ({"status": TrainingSession.Status.CANCELLED}, "session"),
    ],
)
def test_enrolling_in_a_past_or_cancelled_session_is_refused(session_kwargs, field):
    start = session_kwargs.get("start_date", today() + dt.timedelta(days=5))
    session = f.SessionFactory(start_date=start, end_date=start + dt.timedelta(days=5),
                               **{k: v for k, v in session_kwargs.items() if k != "start_date"})
    with pytest.raises(ValidationError) as caught:
        services.enrollment_create(session=session, resident=f.ResidentFactory())
    assert field in caught.value.message_dict
    assert not Enrollment.objects.exists()


def test_twice_in_the_same_session_is_refused():
    session = f.SessionFactory()
    resident = f.ResidentFactory()
    services.enrollment_create(session=session, resident=resident)
    with pytest.raises(ValidationError) as caught:
        services.enrollment_create(session=session, resident=resident)
    assert "resident" in caught.value.message_dict


def test_overlapping_sessions_are_refused():
    start = today() + dt.timedelta(days=10)
    first = f.SessionFactory(start_date=start, end_date=start + dt.timedelta(days=5))
    overlapping = f.SessionFactory(start_date=start + dt.timedelta(days=3), end_date=start + dt.timedelta(days=8))
    later = f.SessionFactory(start_date=start + dt.timedelta(days=6), end_date=start + dt.timedelta(days=8))
    resident = f.ResidentFactory()
    services.enrollment_create(session=first, resident=resident)
    with pytest.raises(ValidationError) as caught:
        services.enrollment_create(session=overlapping, resident=resident)
    assert "session" in caught.value.message_dict
    assert services.enrollment_create(session=later, resident=resident).status == "enrolled"


def _running_session(**kwargs):
    start = today() - dt.timedelta(days=2)
    return TrainingSession.objects.create(
        course=f.CourseFactory(), start_date=start, end_date=start + dt.timedelta(days=4),
        place=f.place(f.PINGXI), capacity=kwargs.get("capacity", 10), hours=kwargs.get("hours", 16),
        enrolled_count=0,
    )


def _enrolled_in_running_session(**kwargs):
    """A resident enrolled in a session that started two days ago (enrolment happened before it started)."""
    session = _running_session(**kwargs)
    resident = f.ResidentFactory()
    TrainingSession.objects.filter(pk=session.pk).update(enrolled_count=1)
    return Enrollment.objects.create(session=session, resident=resident, status=Enrollment.Status.ENROLLED)


def test_attendance_adds_up_and_cannot_exceed_the_session_hours():
    enrolment = _enrolled_in_running_session(hours=10)
    start = enrolment.session.start_date
    services.attendance_record(enrollment=enrolment, date=start, hours=6)
    services.attendance_record(enrollment=enrolment, date=start + dt.timedelta(days=1), hours=4)
    enrolment.refresh_from_db()
    assert enrolment.hours_attended == Decimal("10")
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(enrollment=enrolment, date=start + dt.timedelta(days=2), hours=1)
    assert "hours" in caught.value.message_dict
    # Correcting a day replaces its hours instead of adding.
    services.attendance_record(enrollment=enrolment, date=start, hours=5)
    enrolment.refresh_from_db()
    assert enrolment.hours_attended == Decimal("9")
    assert Attendance.objects.filter(enrollment=enrolment).count() == 2


@pytest.mark.parametrize(
    ("offset_days", "hours", "field"),
    [(-5, 4, "date"), (0, 0, "hours"), (0, 25, "hours"), (30, 4, "date")],
)
def test_bad_attendance_is_refused_and_changes_nothing(offset_days, hours, field):
    enrolment = _enrolled_in_running_session()
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(
            enrollment=enrolment, date=enrolment.session.start_date + dt.timedelta(days=offset_days), hours=hours
        )
    assert field in caught.value.message_dict
    enrolment.refresh_from_db()
    assert enrolment.hours_attended == 0
    assert not Attendance.objects.exists()


def test_completion_with_pass_grants_the_course_skills_as_training():
    rattan = Skill.objects.get(name="藤编")
    enrolment = _enrolled_in_running_session()
    services.course_skills_set(course=enrolment.session.course, skills=[(rattan, 3)])
    services.enrollment_complete(enrollment=enrolment, passed=True, certificate_number="YP-2026-001")
    link = ResidentSkill.objects.get(resident=enrolment.resident, skill=rattan)
    assert (link.level, link.source) == (3, "training")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.passed, enrolment.certificate_number) == ("completed", True, "YP-2026-001")


def test_completion_never_lowers_a_higher_skill():
    rattan = Skill.objects.get(name="藤编")
    enrolment = _enrolled_in_running_session()
    ResidentSkill.objects.create(resident=enrolment.resident, skill=rattan, level=5, source="verified")
    services.course_skills_set(course=enrolment.session.course, skills=[(rattan, 3)])
    services.enrollment_complete(enrollment=enrolment, passed=True)
    assert ResidentSkill.objects.get(resident=enrolment.resident, skill=rattan).level == 5


def test_failed_completion_grants_nothing_and_refuses_a_certificate():
    rattan = Skill.objects.get(name="藤编")
    enrolment = _enrolled_in_running_session()
    services.course_skills_set(course=enrolment.session.course, skills=[(rattan, 3)])
    with pytest.raises(ValidationError):
        services.enrollment_complete(enrollment=enrolment, passed=False, certificate_number="X1")
    services.enrollment_complete(enrollment=enrolment, passed=False)
    assert not ResidentSkill.objects.filter(resident=enrolment.resident, skill=rattan).exists()


def test_completing_without_an_enrolment_is_refused():
    session = _running_session()
    waitlisted = Enrollment.objects.create(
        session=session, resident=f.ResidentFactory(), status=Enrollment.Status.WAITLISTED
    )
    with pytest.raises(ValidationError) as caught:
        services.enrollment_complete(enrollment=waitlisted, passed=True)
    assert "status" in caught.value.message_dict


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_residents_race_for_five_seats():
    session = f.SessionFactory(capacity=5)
    residents = [f.ResidentFactory() for _ in range(20)]
    barrier = threading.Barrier(len(residents))
    errors: list[BaseException] = []

    def enrol(resident):
        try:
            barrier.wait()
            services.enrollment_create(session=session, resident=resident)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(r,)) for r in residents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = list(Enrollment.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count("enrolled") == 5
    assert statuses.count("waitlisted") == 15
    session.refresh_from_db()
    assert session.enrolled_count == 5

    first_waiting = Enrollment.objects.filter(session=session, status="waitlisted").order_by("created_at", "id").first()
    services.enrollment_cancel(enrollment=Enrollment.objects.filter(session=session, status="enrolled").first())
    first_waiting.refresh_from_db()
    assert first_waiting.status == "enrolled"
    session.refresh_from_db()
    assert session.enrolled_count == 5
