"""Requests through their lifecycle, suggestions, the rota and the reception log: the rules and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from receptions import services as s
from receptions.models import DutyShift, Reception, Request, RequestEvent, Suggestion
from residents.models import Resident
from stations.models import Deputy

pytestmark = pytest.mark.django_db


def _public(station, **extra):
    return s.request_submit(station=station, text="黄岔安置点停水三天了", channel="public", contact_name="李四",
                            phone="13812345678", **extra)


def test_a_request_goes_through_its_lifecycle_with_an_audit_row_for_each_step(station, liaison_user, deputy):
    request = _public(station)
    assert request.status == Request.Status.RECEIVED
    assert request.phone_masked == "138****5678"
    assert "13812345678" not in request.phone_encrypted
    assert request.answer_due == timezone.localdate() + dt.timedelta(days=7)
    s.request_classify(request=request, actor=liaison_user, category="livelihood")
    request = s.request_assign(request=request, actor=liaison_user, deputy=deputy)
    assert request.status == Request.Status.IN_PROGRESS
    s.request_record_handling(request=request, actor=liaison_user, handling="联系水务站检修")
    request = s.request_answer(request=request, actor=liaison_user, reply="水管已修复，今日恢复供水")
    assert request.status == Request.Status.ANSWERED
    assert request.answered_at is not None
    request = s.request_rate(request=request, actor=None, rating=5, comment="很快")
    request = s.request_resolve(request=request, actor=liaison_user)
    assert request.status == Request.Status.RESOLVED
    actions = list(request.events.values_list("action", flat=True))
    assert actions == ["received", "classified", "assigned", "handling", "answered", "rated", "resolved"]
    assert list(request.events.values_list("to_status", flat=True))[-1] == "resolved"


def test_a_public_request_reports_every_bad_field_at_once_and_stores_nothing(station):
    with pytest.raises(ValidationError) as caught:
        s.request_submit(station=station, text="  ", channel="public", contact_name="", phone="12345",
                         category="nonsense")
    assert set(caught.value.message_dict) == {"text", "contact_name", "phone", "category"}
    assert Request.objects.count() == 0
    with pytest.raises(ValidationError) as caught:
        s.request_submit(station=station, text="求职", channel="public", contact_name="张三")
    assert "phone" in caught.value.message_dict


def test_resolve_needs_an_answer_and_rating_is_once_and_only_after_an_answer(station, liaison_user):
    request = _public(station)
    with pytest.raises(ValidationError):
        s.request_resolve(request=request, actor=liaison_user)
    with pytest.raises(ValidationError) as caught:
        s.request_rate(request=request, actor=None, rating=9)
    assert set(caught.value.message_dict) == {"rating", "status"}
    s.request_answer(request=request, actor=liaison_user, reply="已答复")
    s.request_rate(request=request, actor=None, rating=4)
    with pytest.raises(ValidationError):
        s.request_rate(request=request, actor=None, rating=5)
    assert Request.objects.get().rating == 4


def test_the_database_refuses_a_rating_out_of_range(station):
    request = _public(station)
    with pytest.raises(IntegrityError), transaction.atomic():
        Request.objects.filter(pk=request.pk).update(rating=3)  # not answered: refused too


def test_assignment_stays_inside_the_station(station, other_station, liaison_user, other_liaison_user):
    request = _public(station)
    with pytest.raises(ValidationError):
        s.request_assign(request=request, actor=liaison_user, user=other_liaison_user)
    stranger = Deputy.objects.create(name="外站代表", level="county", station=other_station)
    with pytest.raises(ValidationError):
        s.request_assign(request=request, actor=liaison_user, deputy=stranger)
    assert Request.objects.get().status == Request.Status.RECEIVED
    assert RequestEvent.objects.filter(action="assigned").count() == 0


def test_a_deputy_raises_several_requests_into_one_suggestion_and_tracks_it(station, other_station, deputy):
    first, second = _public(station), s.request_submit(station=station, text="饮水管老化", channel="desk",
                                                       contact_name="王", kind="opinion")
    suggestion = s.suggestion_raise(deputy=deputy, requests=[first, second], title="关于黄岔安置点饮水改造的建议",
                                    body="建议改造供水管网", actor=deputy.user)
    assert set(suggestion.requests.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert RequestEvent.objects.filter(action="suggestion").count() == 2
    with pytest.raises(ValidationError):  # already in a suggestion
        s.suggestion_raise(deputy=deputy, requests=[first], title="重复", body="x", actor=deputy.user)
    outsider = _public(other_station)
    with pytest.raises(ValidationError):
        s.suggestion_raise(deputy=deputy, requests=[outsider], title="外站", body="x", actor=deputy.user)
    with pytest.raises(ValidationError) as caught:  # submitted without saying to whom
        s.suggestion_advance(suggestion=suggestion, status="submitted")
    assert "addressed_to" in caught.value.message_dict
    s.suggestion_advance(suggestion=suggestion, status="submitted", addressed_to="县水务局")
    with pytest.raises(ValidationError):
        s.suggestion_advance(suggestion=suggestion, status="answered")  # no response recorded
    suggestion = s.suggestion_advance(suggestion=suggestion, status="answered", response="已列入年度计划")
    assert suggestion.status == Suggestion.Status.ANSWERED
    with pytest.raises(ValidationError):
        s.suggestion_advance(suggestion=suggestion, status="drafted")


def test_the_rota_takes_market_days_only_and_swaps_days(station, liaison_user, deputy, market_day,
                                                        second_market_day):
    with pytest.raises(ValidationError) as caught:
        s.duty_shift_add(station=station, day=market_day + dt.timedelta(days=1), deputy=deputy)
    assert "day" in caught.value.message_dict
    mine = s.duty_shift_add(station=station, day=market_day, staff=liaison_user)
    theirs = s.duty_shift_add(station=station, day=second_market_day, deputy=deputy)
    with pytest.raises(ValidationError):
        s.duty_shift_add(station=station, day=market_day, staff=liaison_user)
    s.duty_swap(shift=mine, other=theirs)
    assert DutyShift.objects.get(pk=mine.pk).day == second_market_day
    assert DutyShift.objects.get(pk=theirs.pk).day == market_day
    with pytest.raises(ValidationError):
        s.duty_swap(shift=mine, other=mine)


def test_the_rota_refuses_people_of_another_station(station, other_station, other_liaison_user, market_day):
    with pytest.raises(ValidationError) as caught:
        s.duty_shift_add(station=station, day=market_day, staff=other_liaison_user)
    assert "staff" in caught.value.message_dict
    assert DutyShift.objects.count() == 0


def test_a_job_reception_updates_the_profile_at_once(station, liaison_user, resident):
    Resident.objects.filter(pk=resident.pk).update(employment_status="not_seeking")
    reception = s.reception_record(station=station, resident=resident, topic="job", received_by=liaison_user,
                                   note="想找离家近的活", job_profile={"min_monthly_wage": 2500,
                                                                   "accepts_home_based": True})
    resident.refresh_from_db()
    assert resident.employment_status == "seeking"
    assert resident.min_monthly_wage == 2500
    assert reception.request is None


def test_another_matter_becomes_a_request_with_the_resident_s_protected_phone(station, liaison_user, resident):
    reception = s.reception_record(station=station, resident=resident, topic="other", received_by=liaison_user,
                                   note="孩子入学手续不会办")
    request = reception.request
    assert request.channel == "reception"
    assert request.resident == resident
    assert request.phone_masked == resident.phone_masked
    with pytest.raises(ValidationError) as caught:
        s.reception_record(station=station, resident=resident, topic="other", received_by=liaison_user)
    assert "note" in caught.value.message_dict
    assert Reception.objects.count() == 1


def test_only_the_station_s_people_record_receptions(station, other_liaison_user, resident):
    with pytest.raises(ValidationError) as caught:
        s.reception_record(station=station, resident=resident, topic="job", received_by=other_liaison_user)
    assert "received_by" in caught.value.message_dict


def test_people_on_duty_tomorrow_are_reminded_once(station, liaison_user, deputy, market_day, mailoutbox):
    liaison_user.email, deputy.user.email = "yao@example.com", "yang@example.com"
    liaison_user.save()
    deputy.user.save()
    s.duty_shift_add(station=station, day=market_day, staff=liaison_user)
    s.duty_shift_add(station=station, day=market_day, deputy=deputy)
    assert s.duty_reminders_send(today=market_day - dt.timedelta(days=2)) == 0
    assert s.duty_reminders_send(today=market_day - dt.timedelta(days=1)) == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["yang@example.com", "yao@example.com"]
    assert s.duty_reminders_send(today=market_day - dt.timedelta(days=1)) == 0
    assert len(mailoutbox) == 2
