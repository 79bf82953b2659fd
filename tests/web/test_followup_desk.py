"""The follow-up desk: overdue, due this week and coming, per worker; one-step answers (in work, left with a
reason, can't reach); unscheduled calls; a resident's whole history; the printable call list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.models import FollowUp, FollowUpCall, Placement
from matching.services import placement_record
from residents.models import Resident
from tests import factories as f

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
DESK = reverse("web:liaison-followups")


def record(client, follow_up, **answer):
    prefix = f"f{follow_up.pk}"
    return client.post(reverse("web:liaison-followup-record", args=[follow_up.pk]),
                       {f"{prefix}-{k}": v for k, v in answer.items()}, **HTMX)


@pytest.fixture
def hires(world, resident, liaison_user, admin_user):
    """Besides the world's hire (1-month check 10 days overdue): one due in three days (recorded by the admin)
    and one whose first check is five weeks away."""
    today = timezone.localdate()
    soon = placement_record(resident=resident, posting=world.posting, recorded_by=admin_user,
                            start_date=today - dt.timedelta(days=28))
    later = placement_record(resident=world.kanghua, posting=f.PostingFactory(employer=world.employer, title="藤椅包边"),
                             recorded_by=liaison_user, start_date=today)
    return soon.follow_ups.get(months=1), later.follow_ups.get(months=1)


def test_the_desk_sorts_checks_into_overdue_this_week_and_coming(world, hires, clients):
    soon, later = hires
    page = clients["liaison"].get(DESK)
    assert [r.pk for r in page.context["overdue"]] == [world.follow_up.pk]
    assert [r.pk for r in page.context["this_week"]] == [soon.pk]
    assert later.pk in [r.pk for r in page.context["coming"]]
    html = page.content.decode()
    assert 'data-testid="count-overdue">1<' in html
    # Per worker: who recorded each hire.
    workers = {w["worker_id"]: w for w in page.context["workers"]}
    assert workers[world.placement.recorded_by_id]["overdue"] == 1
    assert workers[soon.placement.recorded_by_id]["this_week"] == 1
    mine = clients["liaison"].get(DESK, {"worker": world.placement.recorded_by_id})
    assert soon.pk not in [r.pk for r in mine.context["this_week"]]
    assert [r.pk for r in mine.context["overdue"]] == [world.follow_up.pk]


def test_another_station_sees_none_of_it(world, hires, clients):
    page = clients["other_liaison"].get(DESK)
    assert page.context["overdue"] + page.context["this_week"] + page.context["coming"] == []
    response = record(clients["other_liaison"], world.follow_up, outcome="in_work")
    assert response.status_code == 404
    assert FollowUp.objects.get(pk=world.follow_up.pk).done_at is None


def test_the_desk_exports_its_rows_to_excel_with_the_phone_masked(world, hires, clients):
    import io

    from openpyxl import load_workbook

    soon, later = hires
    response = clients["liaison"].get(DESK, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("到期日", "状态", "居民")
    names = [row[2] for row in rows[1:]]
    page = clients["liaison"].get(DESK).context
    assert names == [r.placement.resident.name for r in page["overdue"] + page["this_week"] + page["coming"]]
    assert names[:2] == [world.follow_up.placement.resident.name, soon.placement.resident.name]
    assert later.placement.resident.name in names
    assert isinstance(rows[1][0], dt.datetime)  # a real date, not text
    masked = world.follow_up.placement.resident.phone_masked
    assert masked
    assert masked in str(rows)
    assert not re.search(r"1\d{10}", str(rows))  # no phone number in full
    mine = clients["liaison"].get(DESK, {"export": "xlsx", "worker": world.placement.recorded_by_id})
    assert soon.placement.resident.name not in [r[2] for r in load_workbook(io.BytesIO(mine.content)).active
                                                .iter_rows(min_row=2, values_only=True)]
    other = load_workbook(io.BytesIO(clients["other_liaison"].get(DESK, {"export": "xlsx"}).content)).active
    assert other.max_row == 1  # another station's follow-ups are not exported
    bad = clients["liaison"].get(DESK, {"export": "pdf"})
    assert (bad.status_code, "xlsx" in bad.content.decode()) == (400, True)


def test_still_in_work_answers_the_check_in_one_step(world, clients, liaison_user):
    response = record(clients["liaison"], world.follow_up, outcome="in_work", note="在岗")
    assert b'data-testid="followup-done"' in response.content
    world.follow_up.refresh_from_db()
    assert world.follow_up.still_employed is True
    assert world.follow_up.recorded_by == liaison_user
    call = FollowUpCall.objects.get()
    assert (call.follow_up_id, call.outcome, call.called_on) == (world.follow_up.pk, "in_work", timezone.localdate())


def test_left_with_a_reason_ends_the_placement_and_answers_every_open_check(world, clients):
    response = record(clients["liaison"], world.follow_up, outcome="left", end_reason="quit", note="回家带孩子")
    assert response.status_code == 200
    placement = Placement.objects.get(pk=world.placement.pk)
    assert (placement.status, placement.end_reason, placement.ended_on) == ("ended", "quit", timezone.localdate())
    assert set(placement.follow_ups.values_list("still_employed", flat=True)) == {False}
    assert not placement.follow_ups.filter(done_at__isnull=True).exists()
    assert Resident.objects.get(pk=world.neighbour.pk).employment_status == "seeking"


def test_cant_reach_is_kept_and_the_check_stays_open(world, clients):
    record(clients["liaison"], world.follow_up, outcome="unreachable")
    record(clients["liaison"], world.follow_up, outcome="unreachable", note="关机")
    assert FollowUp.objects.get(pk=world.follow_up.pk).done_at is None
    row = next(r for r in clients["liaison"].get(DESK).context["overdue"] if r.pk == world.follow_up.pk)
    assert row.attempts == 2


def test_every_error_comes_at_once_and_nothing_is_recorded(world, clients):
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = record(clients["liaison"], world.follow_up, outcome="left", called_on=future)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-end_reason"' in html
    assert 'data-testid="error-called_on"' in html
    missing = record(clients["liaison"], world.follow_up)
    assert 'data-testid="error-outcome"' in missing.content.decode()
    assert not FollowUpCall.objects.exists()
    assert Placement.objects.get(pk=world.placement.pk).status == "active"


def test_a_check_not_due_yet_is_refused_with_a_message(world, hires, clients):
    _soon, later = hires
    response = record(clients["liaison"], later, outcome="in_work")
    assert response.status_code == 400
    assert b'data-testid="form-errors"' in response.content
    assert FollowUp.objects.get(pk=later.pk).done_at is None


def test_an_unscheduled_call_from_the_residents_page_shows_in_their_history(world, hires, clients):
    _soon, later = hires
    url = reverse("web:liaison-call-record", args=[later.placement_id])
    resident_page = reverse("web:liaison-resident", args=[world.kanghua.pk])
    page = clients["liaison"].get(resident_page)
    assert b'data-testid="call-form"' in page.content
    response = clients["liaison"].post(url, {f"p{later.placement_id}-outcome": "in_work",
                                             f"p{later.placement_id}-note": "老板说表现不错"})
    assert response.status_code == 302
    call = FollowUpCall.objects.get()
    assert call.follow_up is None
    assert FollowUp.objects.get(pk=later.pk).done_at is None  # the scheduled check is still to be made
    history = clients["liaison"].get(resident_page).context["followup_history"]
    kinds = [e["kind"] for e in history]
    assert kinds.count("call") == 1
    assert kinds.count("check") == 3  # the three scheduled checks, open
    assert "老板说表现不错" in clients["liaison"].get(resident_page).content.decode()
    # Another station's worker cannot call about this placement.
    assert clients["other_liaison"].post(url, {f"p{later.placement_id}-outcome": "left"}).status_code == 404


def test_the_call_list_holds_overdue_and_today_only_and_prints_on_a4(world, hires, clients):
    page = clients["liaison"].get(reverse("web:liaison-call-list"))
    assert [r.pk for r in page.context["calls"]] == [world.follow_up.pk]
    html = page.content.decode()
    assert world.neighbour.name in html
    assert "printable" in html
    for role in ("bureau", "deputy", "resident"):
        assert clients[role].get(reverse("web:liaison-call-list")).status_code == 403


def test_the_stylesheet_prints_on_a4():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "web/static/web/lianxin.css").read_text()
    assert "size: A4" in css
    assert "@media print" in css
