"""What the issue asks that the other files leave open: the job board filters by place the same way on the page and
in the API (one selector), deputies shown with a photo placeholder, the reception desk finding people by name,
pinyin initials or household number, and a job request updating the skills too."""

from __future__ import annotations

import pytest
from django.test import Client

from receptions import services as s
from receptions.selectors import public_posting_filters, reception_residents, resident_find
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_board_filters_by_place_alike_on_the_page_and_in_the_api(api, station):
    near = f.PostingFactory(title="康华车间串珠", place=f.place(f.KANGHUA_SITE))
    far = f.PostingFactory(title="安坪村保洁", place=f.place(f.ANPING))
    kanghua = f.place(f.KANGHUA_SITE).pk
    rows = api.get(f"/api/v1/public/postings/?place={kanghua}").json()["results"]
    assert [r["id"] for r in rows] == [near.pk]
    html = Client().get(f"/?place={kanghua}").content.decode()
    assert "康华车间串珠" in html
    assert far.title not in html


def test_the_board_s_query_is_read_once_for_both(station):
    filters, errors = public_posting_filters({"place": "12", "wage": "3000", "work_mode": "home_based", "q": " 串珠 "})
    assert errors == {}
    assert filters.as_kwargs() == {"place_id": 12, "wage_at_least": 3000, "work_mode": "home_based", "text": "串珠"}
    _filters, errors = public_posting_filters({"place": "x", "wage": "NaN", "work_mode": "remote"})
    assert set(errors) == {"place", "wage", "work_mode"}  # every wrong field at once


def test_deputies_are_shown_with_a_photo_placeholder_and_their_duties(station, deputy):
    s.deputy_notice_set(deputy=deputy, duties="就业帮扶")
    html = Client().get("/").content.decode()
    assert '<span class="avatar" aria-hidden="true">杨</span>' in html
    assert "就业帮扶" in html


def test_the_desk_finds_people_by_name_initials_or_household_number(liaison_user, resident):
    receivable = reception_residents(liaison_user)
    for text in ("王小", "wxf", "WX", resident.household.number):
        assert list(resident_find(receivable, text)) == [resident], text
    assert not resident_find(receivable, "赵").exists()


def test_a_job_request_at_the_reception_updates_the_skills_at_once(station, liaison_user, resident):
    s.reception_record(station=station, resident=resident, topic="job", received_by=liaison_user,
                       job_profile={"skill_texts": ["绣花", "量子纠缠观测"]})
    resident.refresh_from_db()
    assert resident.skill_links.exists()
    assert resident.unresolved_skill_texts == ["量子纠缠观测"]


@pytest.mark.parametrize(("values", "expected"), [
    ({"wage_min": 3000, "wage_max": 4000, "wage_unit": "month"}, "3,000–4,000元/月"),
    ({"wage_min": 150, "wage_max": 150, "wage_unit": "day"}, "150元/天"),
    ({"wage_min": 2, "wage_max": None, "wage_unit": "piece", "piece_monthly_estimate": 2412}, "2元/件（约2,400元/月）"),
    ({"wage_min": None, "wage_max": None, "wage_unit": "month"}, "面议"),
])
def test_the_board_and_the_slip_write_pay_as_people_do(values, expected):
    from django.utils import translation

    from jobs.models import JobPosting
    from receptions.selectors import wage_text

    with translation.override("zh-hans"):
        assert wage_text(JobPosting(**values)) == expected


def test_requests_past_their_deadline_are_flagged_on_the_desk(liaison_user, station):
    import datetime as dt

    from django.utils import timezone

    from receptions.models import Request
    from receptions.selectors import request_is_overdue, request_search

    late = s.request_submit(station=station, text="路灯坏了十天", channel="desk", contact_name="赵",
                            now=timezone.now() - dt.timedelta(days=10))
    fresh = s.request_submit(station=station, text="今天停水", channel="desk", contact_name="钱")
    today = timezone.localdate()
    assert request_is_overdue(late, today)
    assert not request_is_overdue(fresh, today)
    assert list(request_search(Request.objects.all(), overdue_on=today)) == [late]
    client = Client()
    client.force_login(liaison_user)
    html = client.get("/desk/requests/?overdue=1").content.decode()
    assert "路灯坏了十天" in html
    assert "今天停水" not in html
    assert 'data-testid="overdue-count"' in html
    answered = s.request_answer(request=late, actor=liaison_user, reply="已报修")
    assert not request_is_overdue(answered, today)  # answered in time for its resolve deadline
