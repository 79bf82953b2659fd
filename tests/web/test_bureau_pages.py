"""The bureau clerk's pages: employers, postings with free-text skills, publish and close, courses and sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Employer, JobPosting
from taxonomy.identifiers import make_uscc
from taxonomy.validators import CONTACT_PHONE_MESSAGE
from tests import factories as f
from training.models import Course, TrainingSession
from training.services import enrollment_create

pytestmark = pytest.mark.django_db


def employer_data(**overrides):
    data = {"name": "玉屏县新华藤编合作社", "uscc": make_uscc("520622", 777001), "place": f.place(f.PINGXI).pk,
            "address": "平溪街道", "contact_name": "李主任", "contact_phone": "13912345678"}
    return {**data, **overrides}


def posting_data(world, **overrides):
    data = {"employer": world.employer.pk, "title": "家政服务员", "skill_texts": "做保洁\n火星文编程", "openings": "3",
            "wage_min": "3000", "wage_max": "4000", "wage_unit": "month", "work_mode": "on_site",
            "work_time": "full", "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat()}
    return {**data, **overrides}


def test_employer_is_created_with_a_valid_credit_code(world, clients):
    response = clients["bureau"].post(reverse("web:bureau-employer-new"), employer_data())
    assert (response.status_code, Employer.objects.filter(name="玉屏县新华藤编合作社").exists()) == (302, True)


def test_employer_with_a_bad_check_character_shows_the_field_error(world, clients):
    bad = make_uscc("520622", 777002)[:-1] + ("0" if make_uscc("520622", 777002)[-1] != "0" else "1")
    response = clients["bureau"].post(reverse("web:bureau-employer-new"), employer_data(uscc=bad))
    assert (response.status_code, "uscc" in response.context["form"].errors,
            Employer.objects.filter(name="玉屏县新华藤编合作社").exists()) == (200, True, False)


def test_employer_with_a_bad_phone_shows_the_field_error(world, clients):
    response = clients["bureau"].post(reverse("web:bureau-employer-new"), employer_data(contact_phone="12345"))
    assert (response.status_code, "contact_phone" in response.context["form"].errors) == (200, True)


def test_employer_with_a_landline_is_created(world, clients):
    response = clients["bureau"].post(reverse("web:bureau-employer-new"), employer_data(contact_phone="0856-3221234"))
    assert (response.status_code, Employer.objects.get(name="玉屏县新华藤编合作社").contact_phone) == (
        302, "0856-3221234")


def test_employer_with_a_landline_without_area_code_is_told_both_forms(world, clients):
    response = clients["bureau"].post(reverse("web:bureau-employer-new"), employer_data(contact_phone="3221234"))
    assert response.context["form"].errors["contact_phone"] == [str(CONTACT_PHONE_MESSAGE)]


def test_employer_edit_saves_the_change(world, clients):
    data = employer_data(name="康华社区藤编扶贫车间（二期）", uscc=world.employer.uscc,
                         place=world.employer.place_id)
    clients["bureau"].post(reverse("web:bureau-employer-edit", args=[world.employer.pk]), data)
    world.employer.refresh_from_db()
    assert world.employer.name == "康华社区藤编扶贫车间（二期）"


def test_employer_edit_with_a_taken_credit_code_changes_nothing(world, clients):
    other = f.EmployerFactory(name="别的公司")
    data = employer_data(name="改名", uscc=other.uscc, place=world.employer.place_id)
    response = clients["bureau"].post(reverse("web:bureau-employer-edit", args=[world.employer.pk]), data)
    world.employer.refresh_from_db()
    assert (response.status_code, world.employer.name) == (200, "康华社区藤编扶贫车间")


def test_posting_is_created_with_free_text_skills_and_shows_what_was_not_recognised(world, clients):
    response = clients["bureau"].post(reverse("web:bureau-posting-new"), posting_data(world))
    posting = JobPosting.objects.get(title="家政服务员")
    page = clients["bureau"].get(response["Location"]).content.decode()
    assert ({link.skill.code for link in posting.skill_links.all()}, posting.unresolved_skill_texts,
            posting.occupation is not None, 'data-testid="unresolved-text"' in page) == (
        {"house.cleaning"}, ["火星文编程"], True, True)


def test_posting_detail_shows_the_coded_occupation(world, clients):
    clients["bureau"].post(reverse("web:bureau-posting-new"), posting_data(world))
    posting = JobPosting.objects.get(title="家政服务员")
    html = clients["bureau"].get(reverse("web:bureau-posting", args=[posting.pk])).content.decode()
    assert posting.occupation.code in html


def test_posting_with_a_chosen_occupation_keeps_it(world, clients):
    clients["bureau"].post(reverse("web:bureau-posting-new"), posting_data(world, occupation="4-10-01-01"))
    posting = JobPosting.objects.get(title="家政服务员")
    assert (posting.occupation.code, posting.occupation_confidence) == ("4-10-01-01", None)


def test_posting_with_an_unknown_occupation_code_shows_the_field_error(world, clients):
    response = clients["bureau"].post(reverse("web:bureau-posting-new"), posting_data(world, occupation="9-99-99"))
    assert (response.status_code, "occupation" in response.context["form"].errors,
            JobPosting.objects.filter(title="家政服务员").exists()) == (200, True, False)


def test_posting_with_the_top_wage_below_the_bottom_shows_the_field_error(world, clients):
    before = JobPosting.objects.count()
    response = clients["bureau"].post(reverse("web:bureau-posting-new"),
                                      posting_data(world, wage_min="5000", wage_max="3000"))
    assert (response.status_code, "wage_max" in response.context["form"].errors, JobPosting.objects.count()) == (
        200, True, before)


@pytest.mark.parametrize("garbage", [
    {"openings": "abc"}, {"employer": "999999"}, {"wage_min": "-1"}, {"valid_until": "2025-13-45"},
    {"age_min": "40", "age_max": "20"}, {"title": ""}, {"wage_unit": "week"}, {"openings": "10000000000000"},
])
def test_posting_form_garbage_is_a_form_error_never_a_500(world, clients, garbage):
    before = JobPosting.objects.count()
    response = clients["bureau"].post(reverse("web:bureau-posting-new"), posting_data(world, **garbage))
    assert (response.status_code, bool(response.context["form"].errors), JobPosting.objects.count()) == (
        200, True, before)


def test_publish_opens_a_draft(world, clients):
    clients["bureau"].post(reverse("web:bureau-posting-publish", args=[world.draft.pk]))
    world.draft.refresh_from_db()
    assert (world.draft.status, world.draft.published_at is not None) == ("open", True)


def test_publishing_an_expired_posting_shows_why_and_keeps_it_draft(world, clients):
    JobPosting.objects.filter(pk=world.draft.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    response = clients["bureau"].post(reverse("web:bureau-posting-publish", args=[world.draft.pk]), follow=True)
    world.draft.refresh_from_db()
    assert (response.status_code, [m.level_tag for m in response.context["messages"]], world.draft.status) == (
        200, ["error"], "draft")


def test_close_closes_an_open_posting(world, clients):
    clients["bureau"].post(reverse("web:bureau-posting-close", args=[world.posting.pk]))
    world.posting.refresh_from_db()
    assert world.posting.status == "closed"


def test_publish_goes_back_to_the_list_it_came_from(world, clients):
    back = reverse("web:bureau-postings") + "?status=draft"
    response = clients["bureau"].post(reverse("web:bureau-posting-publish", args=[world.draft.pk]), {"next": back})
    assert response["Location"] == back


def test_publish_never_redirects_off_site(world, clients):
    response = clients["bureau"].post(reverse("web:bureau-posting-publish", args=[world.draft.pk]),
                                      {"next": "https://evil.example/"})
    assert response["Location"] == reverse("web:bureau-posting", args=[world.draft.pk])


@pytest.mark.parametrize(("query", "expected"), [
    ({"status": "draft"}, {"仓库管理员"}),
    ({"q": "包装"}, {"藤椅包装工"}),
    ({"status": "open", "q": "编织"}, {"藤椅编织工"}),
    ({"status": "draft", "q": "编织"}, set()),
])
def test_posting_list_filters(world, clients, query, expected):
    response = clients["bureau"].get(reverse("web:bureau-postings"), query)
    assert {p.title for p in response.context["page"]} == expected


def test_posting_list_filters_by_employer(world, clients):
    other = f.PostingFactory(title="别家的岗位")
    response = clients["bureau"].get(reverse("web:bureau-postings"), {"employer": other.employer_id})
    assert [p.title for p in response.context["page"]] == ["别家的岗位"]


def test_posting_edit_removes_and_adds_skills(world, clients):
    data = posting_data(world, title=world.posting.title, skill_texts="做保洁", remove_skills=[
        link.skill_id for link in world.posting.skill_links.all()])
    clients["bureau"].post(reverse("web:bureau-posting-edit", args=[world.posting.pk]), data)
    assert {link.skill.code for link in world.posting.skill_links.all()} == {"house.cleaning"}


def test_posting_edit_keeps_the_coded_occupation_when_the_title_stays(world, clients):
    before = (world.posting.occupation_id, world.posting.occupation_confidence)
    data = posting_data(world, title=world.posting.title, skill_texts="", occupation="")
    clients["bureau"].post(reverse("web:bureau-posting-edit", args=[world.posting.pk]), data)
    world.posting.refresh_from_db()
    assert (world.posting.occupation_id, world.posting.occupation_confidence) == before


def test_posting_edit_below_the_places_filled_shows_the_error(world, clients):
    filled = JobPosting.objects.get(title="藤椅包装工")
    data = posting_data(world, title=filled.title, openings="0")
    response = clients["bureau"].post(reverse("web:bureau-posting-edit", args=[filled.pk]), data)
    filled.refresh_from_db()
    assert (response.status_code, "openings" in response.context["form"].errors, filled.openings) == (200, True, 2)


def test_course_is_created_with_skills_and_levels(world, clients):
    data = {"code": "weave-basic", "name": "藤编入门", "hours": "24", "skills": "藤编 3\n藤椅缠扎"}
    clients["bureau"].post(reverse("web:bureau-course-new"), data)
    course = Course.objects.get(code="weave-basic")
    assert {(link.skill.code, link.level) for link in course.skill_links.all()} == {
        ("rattan.weaving", 3), ("rattan.binding", 2)}


def test_course_with_an_unknown_skill_shows_the_field_error(world, clients):
    data = {"code": "mystery", "name": "神秘课程", "hours": "24", "skills": "火星文编程"}
    response = clients["bureau"].post(reverse("web:bureau-course-new"), data)
    assert (response.status_code, "skills" in response.context["form"].errors,
            Course.objects.filter(code="mystery").exists()) == (200, True, False)


def test_course_with_a_taken_code_shows_the_field_error(world, clients):
    data = {"code": world.course.code, "name": "另一个名字", "hours": "24", "skills": ""}
    response = clients["bureau"].post(reverse("web:bureau-course-new"), data)
    assert (response.status_code, "code" in response.context["form"].errors) == (200, True)


def session_data(**overrides):
    start = timezone.localdate() + dt.timedelta(days=10)
    data = {"start_date": start.isoformat(), "end_date": (start + dt.timedelta(days=4)).isoformat(),
            "place": f.place(f.KANGHUA_SITE).pk, "venue": "扶贫车间", "capacity": "25", "hours": "",
            "trainer": "王师傅", "partner_department": "", "status": "open"}
    return {**data, **overrides}


def test_session_is_created_with_the_courses_hours(world, clients):
    clients["bureau"].post(reverse("web:bureau-session-new", args=[world.course.pk]), session_data())
    session = TrainingSession.objects.filter(course=world.course).latest("id")
    assert (session.capacity, session.hours, session.trainer) == (25, world.course.hours, "王师傅")


def test_session_ending_before_it_starts_shows_the_field_error(world, clients):
    before = TrainingSession.objects.count()
    data = session_data(end_date=timezone.localdate().isoformat())
    response = clients["bureau"].post(reverse("web:bureau-session-new", args=[world.course.pk]), data)
    assert (response.status_code, "end_date" in response.context["form"].errors,
            TrainingSession.objects.count()) == (200, True, before)


def test_session_capacity_below_the_enrolled_shows_the_field_error(world, resident, clients):
    session = world.full_session
    data = session_data(start_date=session.start_date.isoformat(), end_date=session.end_date.isoformat())
    clients["bureau"].post(reverse("web:bureau-session-edit", args=[session.pk]), {**data, "capacity": "3"})
    enrollment_create(session=session, resident=resident)
    response = clients["bureau"].post(reverse("web:bureau-session-edit", args=[session.pk]),
                                      {**data, "capacity": "1"})
    session.refresh_from_db()
    assert (response.status_code, "capacity" in response.context["form"].errors, session.capacity) == (200, True, 3)


def test_session_form_suggests_market_days(world, clients):
    response = clients["bureau"].get(reverse("web:bureau-session-new", args=[world.course.pk]))
    days = response.context["market_days"]
    assert (len(days), all(d.lunar_day % 10 in (1, 6) for d in days)) == (8, True)


def test_course_page_shows_enrolled_over_capacity(world, clients):
    course = world.full_session.course
    html = clients["bureau"].get(reverse("web:bureau-course", args=[course.pk])).content.decode()
    assert ">1/1<" in html


@pytest.mark.parametrize("page", ["bureau-employer-new", "bureau-posting-new", "bureau-course-new"])
def test_an_empty_form_shows_the_required_fields(world, clients, page):
    response = clients["bureau"].post(reverse(f"web:{page}"), {})
    assert (response.status_code, bool(response.context["form"].errors)) == (200, True)


def test_an_empty_session_form_shows_the_required_fields(world, clients):
    before = TrainingSession.objects.count()
    response = clients["bureau"].post(reverse("web:bureau-session-new", args=[world.course.pk]), {})
    assert (response.status_code, "start_date" in response.context["form"].errors,
            TrainingSession.objects.count()) == (200, True, before)


def test_posting_page_offers_the_coders_alternatives_and_one_click_keeps_the_choice(world, clients):
    from taxonomy.models import OccupationCorrection

    clients["bureau"].post(reverse("web:bureau-posting-new"), posting_data(world, title="金牌育儿嫂"))
    posting = JobPosting.objects.get(title="金牌育儿嫂")
    page = clients["bureau"].get(reverse("web:bureau-posting", args=[posting.pk]))
    candidates = [c for c in page.content.decode().split('data-testid="occupation-candidate" data-code="')[1:]]
    codes = [c.split('"', 1)[0] for c in candidates]
    assert 1 <= len(codes) <= 3
    assert posting.occupation.code not in codes
    second = codes[0]
    response = clients["bureau"].post(reverse("web:bureau-posting-occupation", args=[posting.pk]), {"code": second})
    assert response.status_code == 302
    posting.refresh_from_db()
    assert (posting.occupation.code, posting.occupation_confidence) == (second, None)
    correction = OccupationCorrection.objects.get()
    assert (correction.title, correction.occupation.code, correction.source) == ("金牌育儿嫂", second, "alternative")
    assert correction.created_by is not None


def test_picking_an_unknown_code_changes_nothing(world, clients):
    from taxonomy.models import OccupationCorrection

    before = world.posting.occupation_id
    clients["bureau"].post(reverse("web:bureau-posting-occupation", args=[world.posting.pk]), {"code": "9-99"})
    world.posting.refresh_from_db()
    assert (world.posting.occupation_id, OccupationCorrection.objects.count()) == (before, 0)


def test_occupation_changed_by_hand_is_kept_as_a_correction(world, clients):
    from taxonomy.models import OccupationCorrection

    data = posting_data(world, title=world.posting.title, skill_texts="", occupation="6-06-04-00")
    clients["bureau"].post(reverse("web:bureau-posting-edit", args=[world.posting.pk]), data)
    correction = OccupationCorrection.objects.get()
    assert (correction.title, correction.occupation.code, correction.source) == (
        world.posting.title, "6-06-04-00", "posting_edit")
    # Saving again with the same occupation records nothing more.
    clients["bureau"].post(reverse("web:bureau-posting-edit", args=[world.posting.pk]), data)
    assert OccupationCorrection.objects.count() == 1
