"""The pages: the public station page at `/` for anonymous visitors, the public request form, the desk pages for
every role, the resident's requests, the reception from search to slip — and the slip rendered to an image."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client

from receptions import services as s
from receptions.models import Reception, Request
from residents.models import Resident
from tests import factories as f

pytestmark = pytest.mark.django_db
ROLES = ["bureau_user", "liaison_user", "deputy_user", "resident_user", "admin_user"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "slips"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_anonymous_visitors_get_the_public_page_without_resident_data(station, deputy, resident, home_posting,
                                                                       market_day):
    s.duty_shift_add(station=station, day=market_day, deputy=deputy)
    s.deputy_notice_set(deputy=deputy, duties="就业帮扶", phone="13800001111", phone_public=True)
    session = f.SessionFactory(capacity=12)
    page = _client().get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert station.name in html
    assert "手工串珠" in html
    assert 'data-testid="on-duty">杨代表' in html
    assert "13800001111" in html
    assert resident.name not in html
    assert resident.id_number_masked not in html
    assert session.course.name in html
    assert 'data-testid="seats-left">' in html


def test_signed_in_users_keep_their_landing_page(liaison_user, resident_user):
    assert _client(liaison_user).get("/").status_code == 302
    assert _client(resident_user).get("/")["Location"].endswith("/me/")


@pytest.mark.parametrize("query", ["wage=abc", "place=x", "work_mode=space"])
def test_public_search_garbage_is_a_400_with_a_message(station, query):
    response = _client().get(f"/?{query}")
    assert response.status_code == 400


def test_public_page_searches_by_wage_and_mode(station, home_posting):
    f.PostingFactory(title="保洁员", wage_min=3000, wage_max=3500, work_mode="on_site")
    html = _client().get("/?work_mode=home_based").content.decode()
    assert "手工串珠" in html
    assert "保洁员" not in html


def test_the_public_form_turns_interest_into_a_request_and_spam_into_nothing(station, home_posting):
    client = _client()
    form = client.get(f"/ask/?posting={home_posting.pk}")
    assert "手工串珠" in form.content.decode()
    bad = client.post("/ask/", {"name": "陈", "phone": "123", "text": "想做", "category": "employment"})
    assert bad.status_code == 400
    assert Request.objects.count() == 0
    client.post("/ask/", {"name": "bot", "phone": "13912345678", "text": "spam", "category": "other",
                          "website": "x"})
    assert Request.objects.count() == 0
    good = client.post("/ask/", {"name": "陈", "phone": "13912345678", "text": "想做手工串珠", "category": "employment",
                                 "posting": home_posting.pk})
    assert good.status_code == 302
    created = Request.objects.get()
    assert created.posting_id_of_interest == home_posting.pk
    assert created.channel == "public"


DESK_PAGES = ["/desk/requests/", "/desk/suggestions/", "/desk/rota/", "/desk/reception/"]


@pytest.mark.parametrize("page", DESK_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_desk_pages_by_role(request, station, role, page):
    response = _client(request.getfixturevalue(role)).get(page)
    expected = {"bureau_user": 403, "resident_user": 403}.get(role, 200)
    assert response.status_code == expected


@pytest.mark.parametrize("page", [*DESK_PAGES, "/me/requests/"])
def test_anonymous_visitors_are_sent_to_log_in(page):
    response = _client().get(page)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_request_from_the_desk_through_reply_and_the_resident_s_rating(liaison_user, deputy, resident_user,
                                                                          resident):
    client = _client(resident_user)
    assert client.post("/me/requests/", {"text": "想学家政", "category": "training", "kind": "problem"}).status_code == 302
    item = Request.objects.get()
    desk = _client(liaison_user)
    assert desk.post(f"/desk/requests/{item.pk}/", {"step": "assign", "assignee": f"d{deputy.pk}"}).status_code == 302
    assert desk.post(f"/desk/requests/{item.pk}/", {"step": "assign", "assignee": "d999999"}).status_code == 400
    assert desk.post(f"/desk/requests/{item.pk}/", {"step": "answer", "reply": "下周一开班，已为您报名"}).status_code == 302
    page = client.get("/me/requests/").content.decode()
    assert "下周一开班" in page
    assert client.post(f"/me/requests/{item.pk}/rate/", {"rating": "5", "comment": "好"}).status_code == 302
    item.refresh_from_db()
    assert item.rating == 5
    assert item.status == "answered"
    assert desk.post(f"/desk/requests/{item.pk}/", {"step": "resolve"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "resolved"
    trail = desk.get(f"/desk/requests/{item.pk}/").content.decode()
    assert trail.count('data-testid="event"') == 5


def test_a_deputy_cannot_classify_or_assign_but_can_answer(deputy_user, deputy, station):
    item = s.request_submit(station=station, text="路灯坏了", channel="desk", contact_name="赵")
    client = _client(deputy_user)
    assert client.post(f"/desk/requests/{item.pk}/", {"step": "classify", "category": "livelihood",
                                                     "kind": "problem"}).status_code == 403
    assert client.post(f"/desk/requests/{item.pk}/", {"step": "answer", "reply": "已报修"}).status_code == 302


def test_another_station_cannot_open_a_request(other_liaison_user, station):
    item = s.request_submit(station=station, text="路灯坏了", channel="desk", contact_name="赵")
    assert _client(other_liaison_user).get(f"/desk/requests/{item.pk}/").status_code == 404


def test_the_rota_page_adds_and_swaps(liaison_user, deputy, station, market_day, second_market_day):
    client = _client(liaison_user)
    month = f"?year={market_day.year}&month={market_day.month}"
    assert client.post(f"/desk/rota/{month}", {"day": market_day.isoformat(), "person": f"d{deputy.pk}"}).status_code == 302
    bad = client.post("/desk/rota/", {"day": (market_day.replace(day=1)).isoformat() if market_day.day != 1 else
                                      "2026-01-02", "person": f"d{deputy.pk}"})
    assert bad.status_code in (302, 400)
    html = client.get(f"/desk/rota/{month}").content.decode()
    assert "杨代表" in html


def test_reception_from_search_to_slip(liaison_user, station, resident, home_posting, tmp_path):
    client = _client(liaison_user)
    found = client.get("/desk/reception/?q=wxf").content.decode()
    assert resident.name in found
    response = client.post("/desk/reception/", {"resident": resident.pk, "topic": "job", "note": "想在家附近做手工",
                                                 "min_monthly_wage": "1500", "accepts_home_based": "on"})
    assert response.status_code == 302
    reception = Reception.objects.get()
    assert Resident.objects.get(pk=resident.pk).employment_status == "seeking"
    done = client.get(response["Location"]).content.decode()
    assert 'data-testid="reception-done"' in done
    assert '<li data-testid="reception-match">手工串珠' in done  # the top matches, shown at once
    pdf = client.get(f"/desk/reception/{reception.pk}/slip.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    png = _render(pdf.content)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "reception-slip.png").write_bytes(png)
    (ARTIFACTS / "reception-slip.pdf").write_bytes(pdf.content)


def test_another_matter_at_the_reception_becomes_a_request(liaison_user, station, resident):
    client = _client(liaison_user)
    client.post("/desk/reception/", {"resident": resident.pk, "topic": "other", "note": "孩子转学"})
    assert Request.objects.get().channel == "reception"
    assert client.post("/desk/reception/", {"resident": resident.pk, "topic": "other", "note": ""}).status_code == 400
    assert Reception.objects.count() == 1


def test_a_resident_of_another_station_cannot_be_received(liaison_user, station, other_station):
    outsider = f.ResidentFactory(household=f.HouseholdFactory(site=f.place("520622001001")))
    response = _client(liaison_user).post("/desk/reception/", {"resident": outsider.pk, "topic": "job"})
    assert response.status_code == 404
    assert Reception.objects.count() == 0


def _render(pdf: bytes) -> bytes:
    """Render the first page to PNG and check the page really shows something (dark text on white)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    page = document[0]
    width, height = page.get_size()
    assert abs(width - 419.5) < 1  # A5 in points
    assert abs(height - 595.3) < 1
    image = page.render(scale=2).to_pil()
    grey = image.convert("L")
    dark = sum(1 for value in grey.getdata() if value < 128)
    assert dark > 5000  # text was drawn (a blank page has none)
    text = page.get_textpage().get_text_range()
    assert "就业信息单" in text
    assert "手工串珠" in text
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _web_paths() -> list[str]:
    """Every page route of the site (outside /api/ and /admin/), sample ids filled in."""
    import re

    from django.urls import get_resolver

    paths = []

    def walk(patterns, prefix: str) -> None:
        for sub in patterns:
            route = str(sub.pattern).lstrip("^").rstrip("$")
            route = re.sub(r"<[^>]+>", "1", route)
            if hasattr(sub, "url_patterns"):
                if route.startswith(("api/", "admin/", "i18n/")):
                    continue
                walk(sub.url_patterns, prefix + route)
            elif "(" not in route and "\\" not in route and not route.startswith("api/"):
                paths.append(prefix + route)  # the API (and its docs, public by design) is tested apart

    walk(get_resolver().url_patterns, "/")
    return sorted(set(paths))


def test_an_anonymous_visitor_reaches_only_the_public_pages(station, resident, home_posting):
    public = {"/", "/ask/", "/ask/thanks/", "/ask/track/", "/login/", "/logout/"}
    client = _client()
    checked = 0
    for path in _web_paths():
        if path in public:
            continue
        response = client.get(path)
        assert response.status_code in (302, 403, 404, 405), (path, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"], path
        checked += 1
    assert checked > 40
    assert resident.name not in client.get("/").content.decode()
