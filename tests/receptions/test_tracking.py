"""An anonymous submitter reads the reply and rates it: the tracking code (shown once, stored only hashed), the
look-up by code and phone on the public page and the public API, one rating, a budget of look-ups, nothing
personal shown unmasked."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from receptions import services as s
from receptions.models import Request, RequestEvent
from receptions.selectors import request_tracked
from receptions.tracking import TRACKING_ALPHABET, tracking_code_clean, tracking_hash

pytestmark = pytest.mark.django_db
API = "/api/v1/public/requests"
PHONE = "13912345678"


@pytest.fixture
def answered(station, liaison_user):
    """A request from the public page, answered: (the request, its code)."""
    made = s.request_submit(station=station, text="安置点路灯坏了", channel="public", contact_name="陈大姐",
                            phone=PHONE)
    code = made.tracking_code
    return s.request_answer(request=made, actor=liaison_user, reply="已报修，本周内修好。"), code


def _state():
    return list(Request.objects.order_by("pk").values_list("status", "rating", "rating_comment")), \
        RequestEvent.objects.count()


def test_a_public_request_gets_a_code_kept_only_as_a_keyed_hash(station, resident):
    made = s.request_submit(station=station, text="想找工作", channel="public", contact_name="陈", phone=PHONE)
    code = made.tracking_code
    assert re.fullmatch(rf"[{TRACKING_ALPHABET}]{{5}}-[{TRACKING_ALPHABET}]{{5}}", code)
    stored = Request.objects.get(pk=made.pk)
    assert stored.tracking_hash == tracking_hash(code)
    assert tracking_code_clean(code) not in str(Request.objects.filter(pk=made.pk).values().get())
    other = s.request_submit(station=station, text="再问一件事", channel="public", contact_name="陈", phone=PHONE)
    assert other.tracking_code != code
    # Requests with a login or from the desk need none.
    own = s.request_submit(station=station, text="想学家政", channel="resident", resident=resident)
    assert own.tracking_code == ""
    assert own.tracking_hash == ""


@pytest.mark.parametrize("phone", [PHONE, "5678", "139 1234 5678"])
def test_the_code_with_the_phone_or_its_last_four_digits_finds_the_request(answered, phone):
    request, code = answered
    assert request_tracked(code=code, phone=phone) == request
    assert request_tracked(code=code.lower().replace("-", " "), phone=phone) == request  # as people type it


@pytest.mark.parametrize(("code", "phone"), [
    ("WRONG-CODE2", PHONE), (None, "1234"), (None, "13912340000"), (None, "678"), (None, ""), ("", PHONE),
])
def test_a_wrong_code_or_phone_finds_nothing(answered, code, phone):
    request, right = answered
    assert request_tracked(code=right if code is None else code, phone=phone) is None


def test_the_page_shows_the_code_once_then_reads_the_reply_and_rates_it_once(station, liaison_user):
    visitor = Client()
    sent = visitor.post("/ask/", {"name": "陈大姐", "phone": PHONE, "text": "路灯坏了", "category": "livelihood"})
    assert sent.status_code == 302
    thanks = visitor.get(sent["Location"])
    code = re.search(r'data-testid="tracking-code">([^<]+)<', thanks.content.decode()).group(1)
    assert thanks["Cache-Control"] == "no-store"
    assert 'data-testid="tracking-code"' not in visitor.get("/ask/thanks/").content.decode()  # once
    request = Request.objects.get()
    waiting = visitor.post("/ask/track/", {"code": code, "phone": "5678"})
    assert waiting.status_code == 200
    assert 'data-testid="rate-form"' not in waiting.content.decode()
    s.request_answer(request=request, actor=liaison_user, reply="已报修，本周内修好。")
    html = visitor.post("/ask/track/", {"code": code, "phone": "5678"}).content.decode()
    assert "已报修" in html
    assert 'data-testid="rate-form"' in html
    assert "陈**" in html
    assert "139****5678" in html
    assert "陈大姐" not in html
    assert PHONE not in html
    assert "路灯坏了" not in html
    rated = visitor.post("/ask/track/", {"code": code, "phone": "5678", "rating": "4", "comment": "还行"})
    assert rated.status_code == 200
    assert 'data-testid="tracked-rating">4★' in rated.content.decode()
    again = visitor.post("/ask/track/", {"code": code, "phone": "5678", "rating": "1"})
    assert again.status_code == 400
    request.refresh_from_db()
    assert (request.rating, request.rating_comment) == (4, "还行")
    assert request.events.filter(action="rated").count() == 1


@pytest.mark.parametrize("body", [
    {"code": "WRONG-CODE2", "phone": "5678"}, {"code": "", "phone": "5678"}, {"code": "   ", "phone": "5678"},
    {"code": "x" * 31, "phone": "5678"}, {"phone": "0000"}, {"phone": ""}, {"phone": "5678", "rating": "9"},
    {"phone": "5678", "rating": "abc"},
])
def test_the_page_refuses_a_wrong_code_phone_or_rating_and_changes_nothing(answered, body):
    _request, code = answered
    body = {"code": code, **body}
    before = _state()
    response = Client().post("/ask/track/", body)
    assert response.status_code == 400
    assert 'class="error' in response.content.decode()  # the field's message, or the form's
    assert _state() == before


def test_the_honeypot_gets_a_code_that_finds_nothing_and_a_double_tap_none(station):
    robot = Client()
    robot.post("/ask/", {"name": "bot", "phone": PHONE, "text": "buy", "category": "other", "website": "x"})
    code = re.search(r'data-testid="tracking-code">([^<]+)<', robot.get("/ask/thanks/").content.decode()).group(1)
    assert Request.objects.count() == 0
    assert request_tracked(code=code, phone=PHONE) is None
    person = Client()
    body = {"name": "陈", "phone": PHONE, "text": "想找工作", "category": "employment"}
    person.post("/ask/", body)
    assert 'data-testid="tracking-code"' in person.get("/ask/thanks/").content.decode()
    person.post("/ask/", body)
    assert 'data-testid="already-received"' in person.get("/ask/thanks/").content.decode()
    assert Request.objects.count() == 1


def test_look_ups_are_throttled_per_address_on_the_page_and_the_api(answered, api, settings):
    budget = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_track"].split("/")[0])
    _request, code = answered
    codes = [api.post(f"{API}/track/", {"code": "WRONG-CODE2", "phone": "5678"}, format="json",
                      REMOTE_ADDR="10.0.0.7").status_code for _i in range(budget - 1)]
    page = Client(REMOTE_ADDR="10.0.0.7").post("/ask/track/", {"code": code, "phone": "5678"})
    assert set(codes) == {400}
    assert page.status_code == 200
    assert Client(REMOTE_ADDR="10.0.0.7").post("/ask/track/", {"code": code, "phone": "5678"}).status_code == 429
    blocked = api.post(f"{API}/rate/", {"code": code, "phone": "5678", "rating": 5}, format="json",
                       REMOTE_ADDR="10.0.0.7")
    assert blocked.status_code == 429
    assert api.post(f"{API}/track/", {"code": code, "phone": "5678"}, format="json",
                    REMOTE_ADDR="10.0.0.8").status_code == 200
    assert Request.objects.get().rating is None


def test_the_api_gives_a_code_once_reads_the_reply_and_rates_once(api, station, liaison_user):
    sent = api.post(f"{API}/", {"name": "陈大姐", "phone": PHONE, "text": "路灯坏了"}, format="json")
    assert sent.status_code == 201
    code = sent.json()["tracking_code"]
    assert tracking_hash(code) == Request.objects.get().tracking_hash
    twice = api.post(f"{API}/", {"name": "陈大姐", "phone": PHONE, "text": "路灯坏了"}, format="json")
    assert twice.json()["tracking_code"] is None
    waiting = api.post(f"{API}/track/", {"code": code, "phone": PHONE}, format="json")
    assert waiting.status_code == 200
    assert waiting.json()["status"] == "received"
    assert waiting.json()["can_rate"] is False
    early = api.post(f"{API}/rate/", {"code": code, "phone": PHONE, "rating": 5}, format="json")
    assert early.status_code == 400
    s.request_answer(request=Request.objects.get(), actor=liaison_user, reply="已报修")
    body = api.post(f"{API}/track/", {"code": code, "phone": "5678"}, format="json").json()
    assert body["reply"] == "已报修"
    assert body["can_rate"] is True
    assert (body["name"], body["phone"]) == ("陈**", "139****5678")
    assert "id" not in body
    assert "text" not in body
    rated = api.post(f"{API}/rate/", {"code": code, "phone": "5678", "rating": 5, "comment": "好"}, format="json")
    assert rated.status_code == 200
    assert rated.json()["rating"] == 5
    assert rated.json()["can_rate"] is False
    again = api.post(f"{API}/rate/", {"code": code, "phone": "5678", "rating": 1}, format="json")
    assert again.status_code == 400
    assert "rating" in again.json()["error"]["fields"]
    assert Request.objects.get().rating == 5


@pytest.mark.parametrize(("path", "body"), [
    ("track", {"code": "WRONG-CODE2", "phone": PHONE}), ("track", {"phone": "1234"}), ("track", {"phone": ""}),
    ("track", {}), ("track", []), ("track", "x"), ("rate", {"phone": "5678", "rating": 6}),
    ("rate", {"phone": "5678", "rating": "x"}), ("rate", {"phone": "5678"}),
    ("rate", {"code": "WRONG-CODE2", "phone": "5678", "rating": 5}), ("rate", {"phone": "5678", "rating": 5,
                                                                               "comment": "x" * 501}),
])
def test_api_garbage_and_wrong_codes_are_a_400_that_changes_nothing(api, answered, path, body):
    _request, code = answered
    if isinstance(body, dict) and "code" not in body and body:
        body = {"code": code, **body}
    before = _state()
    response = api.post(f"{API}/{path}/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]
    assert _state() == before


def test_a_wrong_code_and_a_wrong_phone_get_the_same_answer(api, answered):
    _request, code = answered
    wrong_code = api.post(f"{API}/track/", {"code": "WRONG-CODE2", "phone": "5678"}, format="json").json()
    wrong_phone = api.post(f"{API}/track/", {"code": code, "phone": "0000"}, format="json").json()
    assert wrong_code == wrong_phone


@pytest.mark.parametrize("role", ["bureau_user", "liaison_user", "deputy_user", "resident_user", "admin_user"])
def test_a_signed_in_client_reads_no_more_than_the_code_holder(request, api, role, answered):
    """The public endpoints take no login: a token changes nothing, for better or worse."""
    _request, code = answered
    anonymous = api.post(f"{API}/track/", {"code": code, "phone": "5678"}, format="json").json()
    signed_in = api.as_user(request.getfixturevalue(role))
    assert signed_in.post(f"{API}/track/", {"code": code, "phone": "5678"}, format="json").json() == anonymous
    assert signed_in.post(f"{API}/track/", {"code": "WRONG-CODE2", "phone": "5678"}, format="json").status_code == 400


def test_the_page_s_submissions_are_throttled_like_the_api_s(station, settings):
    budget = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_request"].split("/")[0])
    page = Client(REMOTE_ADDR="10.0.0.11")
    codes = [page.post("/ask/", {"name": "陈", "phone": PHONE, "text": f"第{i}件事", "category": "other"}).status_code
             for i in range(budget + 1)]
    assert codes == [302] * budget + [429]
    assert Request.objects.count() == budget
