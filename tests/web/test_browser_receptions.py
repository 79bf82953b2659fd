"""The reception, request and public-page journeys in headless Chromium, with a screenshot at every step
(artifacts/screenshots/r*-…png): a market-day reception from search to printed slip; a request from the public page
through assignment, reply and the visitor's rating (with the tracking code), and a resident's request through reply
and rating; the job board on a phone."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from django.utils import timezone

from receptions import services as s
from receptions.models import Reception, Request
from tests import factories as f
from tests.web.test_browser import DESKTOP, PHONE, SCREENSHOTS, browser, journey  # noqa: F401 - fixtures
from training.market_days import next_market_days

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def public_world(world, station, deputy_user):
    deputy = deputy_user.deputy
    s.station_notice_set(station=station, opening_hours="周一至周五 9:00–17:00；逢农历一、六全天接待",
                         phone="0856-3221234")
    s.deputy_notice_set(deputy=deputy, duties="就业帮扶", phone="13800001111", phone_public=True)
    s.duty_shift_add(station=station, day=next_market_days(timezone.localdate(), 1)[0].date, deputy=deputy)
    employer = f.EmployerFactory(name="康华扶贫车间", place=f.place(f.KANGHUA_SITE), is_poverty_workshop=True)
    home = f.PostingFactory(employer=employer, title="手工串珠（居家计件）", work_mode="home_based")
    return {"deputy": deputy, "home": home, **world.__dict__}


def test_r1_a_market_day_reception_from_search_to_printed_slip(public_world, resident, journey):  # noqa: F811
    tab = journey("r1")
    tab.login("liaison1")
    page = tab.page
    tab.go("/desk/reception/", "reception")
    page.fill("[data-testid=reception-q]", "wxf")
    page.press("[data-testid=reception-q]", "Enter")
    page.wait_for_selector("[data-testid=pick-resident]")
    tab.shot("found")
    page.click("[data-testid=pick-resident]")
    page.wait_for_selector("[data-testid=reception-form]")
    page.check("input[name=topic][value=job]")
    page.fill("#id_note", "想在家附近做手工")
    page.fill("#id_min_monthly_wage", "1500")
    tab.shot("filled")
    page.click("[data-testid=reception-save]")
    page.wait_for_selector("[data-testid=reception-done]")
    tab.shot("recorded")
    assert Reception.objects.get().resident == resident
    assert page.locator("[data-testid=reception-match]").count() >= 1
    href = page.get_attribute("[data-testid=print-slip]", "href")
    response = page.request.get(tab.base + href)
    assert response.headers["content-type"] == "application/pdf"
    document = pdfium.PdfDocument(response.body())
    rendered = document[0].render(scale=2).to_pil()
    tab.step += 1
    rendered.save(SCREENSHOTS / f"r1-{tab.step:02d}-slip.png")
    assert "就业信息单" in document[0].get_textpage().get_text_range()

    # Someone not registered yet: nobody found opens the short form, and the reception goes on with them.
    tab.go("/desk/reception/?q=吴秀英", "nobody-found")
    assert page.get_attribute("[data-testid=quick-register]", "open") is not None
    page.fill("#id_household_number", "HC-0901")
    page.select_option("#id_site", str(f.place(f.HUANGCHA_SITE).pk))
    page.fill("#id_id_number", f.fresh_id_number(female=True))
    page.fill("#id_phone", "13987654321")
    tab.shot("register-filled")
    page.click("[data-testid=register-save]")
    page.wait_for_selector("[data-testid=reception-form]")
    tab.shot("registered")
    assert "吴秀英" in page.inner_text("[data-testid=reception-resident]")


def test_r2_a_public_request_through_assignment_reply_and_a_resident_s_rating(public_world, resident, journey,  # noqa: F811
                                                                              deputy_user):
    visitor = journey("r2", PHONE)
    visitor.go("/", "public-page")
    page = visitor.page
    page.click(f"[data-testid=public-job][data-posting-id='{public_world['home'].pk}'] [data-testid=interest]")
    page.wait_for_selector("[data-testid=public-request-form]")
    page.fill("#id_name", "陈大姐")
    page.fill("#id_phone", "13912345678")
    visitor.shot("request-filled")
    page.click("[data-testid=submit-request]")
    page.wait_for_selector("[data-testid=thanks]")
    visitor.shot("thanks")
    code = page.inner_text("[data-testid=tracking-code]")
    request = Request.objects.get(channel="public")
    assert request.posting_id_of_interest == public_world["home"].pk

    desk = journey("r2-desk")
    desk.login("liaison1")
    desk.go(f"/desk/requests/{request.pk}/", "request")
    desk.page.select_option("#id_assignee", f"d{public_world['deputy'].pk}")
    desk.page.click("[data-testid=assign]")
    desk.page.wait_for_selector("[data-testid=request-assignee]")
    desk.shot("assigned")
    desk.page.fill("#id_reply", "已联系车间，明天上午可到康华社区领料。")
    desk.page.click("[data-testid=answer]")
    desk.page.wait_for_selector("[data-testid=request-reply]")
    desk.shot("answered")
    request.refresh_from_db()
    assert request.status == "answered"
    assert request.assigned_deputy == public_world["deputy"]

    # The visitor reads the reply with the code and the phone's last four digits, and rates it.
    visitor.go("/ask/track/", "track")
    page.fill("#id_code", code)
    page.fill("#id_phone", "5678")
    page.click("[data-testid=track]")
    page.wait_for_selector("[data-testid=tracked-reply]")
    visitor.shot("reply")
    page.check("input[name=rating][value='4']")
    page.click("[data-testid=rate]")
    page.wait_for_selector("[data-testid=tracked-rating]")
    visitor.shot("rated")
    request.refresh_from_db()
    assert request.rating == 4

    mine = journey("r2-resident", PHONE)
    mine.login("resident1")
    mine.go("/me/requests/", "my-requests")
    mine.page.fill("#id_text", "家里老人想办医保报销，不会办")
    mine.page.select_option("#id_category", "livelihood")
    mine.page.click("[data-testid=send-request]")
    mine.page.wait_for_selector("[data-testid=my-request]")
    mine.shot("sent")
    own = Request.objects.get(resident=resident)
    s.request_answer(request=own, actor=None, reply="请带身份证和发票到社区服务中心，工作人员帮您办理。")
    mine.go("/me/requests/", "answered")
    mine.page.check("input[name=rating][value='5']")
    mine.page.click("[data-testid=rate]")
    mine.page.wait_for_selector("[data-testid=my-rating]")
    mine.shot("rated")
    own.refresh_from_db()
    assert own.rating == 5


def test_r3_the_public_job_board_on_a_phone(public_world, journey):  # noqa: F811
    tab = journey("r3", PHONE)
    tab.go("/", "station")
    page = tab.page
    assert page.inner_text("[data-testid=on-duty]") == public_world["deputy"].name
    assert "13800001111" in page.inner_text("[data-testid=deputies]")
    first = page.locator("[data-testid=public-job]").first
    assert first.get_attribute("data-posting-id") == str(public_world["home"].pk)  # home-based first
    page.select_option("select[name=work_mode]", "on_site")
    page.click("[data-testid=job-search] button")
    page.wait_for_selector("[data-testid=public-job]")
    tab.shot("on-site")
    ids = page.locator("[data-testid=public-job]").evaluate_all("els => els.map(e => e.dataset.postingId)")
    assert str(public_world["home"].pk) not in ids
    tab.go("/?wage=abc", "bad-wage")  # the number field lets no letters in; an address can
    assert page.inner_text("[data-testid=wage-error]")
    tab.go("/#training", "training")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone
