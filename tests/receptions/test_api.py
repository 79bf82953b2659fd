"""The request and suggestion API for every role, the public API for anonymous clients, garbage, and proof that an
anonymous client reaches nothing else under /api/v1/."""

from __future__ import annotations

import pytest
from django.urls import get_resolver

from receptions import services as s
from receptions.models import Request, RequestEvent, Suggestion
from stations.models import StaffMembership
from tests import factories as f

pytestmark = pytest.mark.django_db
API = "/api/v1"
ROLES = ["bureau_user", "liaison_user", "deputy_user", "resident_user", "admin_user"]


@pytest.fixture
def desk_request(station, resident):
    return s.request_submit(station=station, text="想学家政", channel="resident", resident=resident)


@pytest.fixture
def anonymous_request(station):
    return s.request_submit(station=station, text="路灯坏了", channel="public", contact_name="赵", phone="13912345678")


def _state():
    return (Request.objects.count(), RequestEvent.objects.count(), Suggestion.objects.count(),
            list(Request.objects.order_by("pk").values_list("status", "rating", "reply")))


# --- staff and resident endpoints ----------------------------------------------------------------------------

LIST_STATUS = {"bureau_user": 403, "liaison_user": 200, "deputy_user": 200, "resident_user": 200, "admin_user": 200}


@pytest.mark.parametrize("role", ROLES)
def test_who_lists_which_requests(request, api, role, desk_request, anonymous_request, other_station):
    outsider = s.request_submit(station=other_station, text="外站的事", channel="desk", contact_name="外")
    response = api.as_user(request.getfixturevalue(role)).get(f"{API}/requests/")
    assert response.status_code == LIST_STATUS[role]
    if response.status_code != 200:
        return
    seen = {row["id"] for row in response.json()["results"]}
    expected = {"liaison_user": {desk_request.pk, anonymous_request.pk},
                "deputy_user": {desk_request.pk, anonymous_request.pk},
                "resident_user": {desk_request.pk},
                "admin_user": {desk_request.pk, anonymous_request.pk, outsider.pk}}[role]
    assert seen == expected
    body = response.content.decode()
    assert "13912345678" not in body
    if role == "resident_user":
        assert "handling" not in response.json()["results"][0]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_submit_a_request(request, api, role, station, resident):
    response = api.as_user(request.getfixturevalue(role)).post(
        f"{API}/requests/", {"text": "想找居家手工活", "category": "employment", "contact_name": "赵"}, format="json")
    expected = {"bureau_user": 403, "liaison_user": 201, "deputy_user": 201, "resident_user": 201,
                "admin_user": 201}[role]
    assert response.status_code == expected, response.content
    if expected == 201:
        created = Request.objects.get(pk=response.json()["id"])
        assert created.channel == ("resident" if role == "resident_user" else "desk")
        if role == "resident_user":
            assert created.resident == resident
    else:
        assert Request.objects.count() == 0


# classify, assign, handle, answer, resolve, rate: the expected status per role.
ACTIONS = {
    "classify": ({"category": "livelihood"}, {"liaison_user": 200, "admin_user": 200}),
    "assign": (None, {"liaison_user": 200, "admin_user": 200}),
    "handle": ({"handling": "已联系社区"}, {"liaison_user": 200, "deputy_user": 200, "admin_user": 200}),
    "answer": ({"reply": "已处理"}, {"liaison_user": 200, "deputy_user": 200, "admin_user": 200}),
}


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_act_on_a_request(request, api, role, name, anonymous_request, deputy):
    body, allowed = ACTIONS[name]
    if body is None:
        body = {"deputy": deputy.pk}
    before = _state()
    response = api.as_user(request.getfixturevalue(role)).post(
        f"{API}/requests/{anonymous_request.pk}/{name}/", body, format="json")
    expected = allowed.get(role, 403)
    if role == "resident_user":
        expected = 403
    assert response.status_code == expected, response.content
    if expected != 200:
        assert _state() == before


def test_the_resident_rates_their_own_answered_request_once(api, resident_user, liaison_user, desk_request,
                                                             anonymous_request, neighbour_user):
    s.request_answer(request=desk_request, actor=liaison_user, reply="下周有家政培训，已为您报名")
    s.request_answer(request=anonymous_request, actor=liaison_user, reply="已修")
    client = api.as_user(resident_user)
    mine = client.get(f"{API}/requests/{desk_request.pk}/").json()
    assert mine["reply"] == "下周有家政培训，已为您报名"
    assert client.post(f"{API}/requests/{anonymous_request.pk}/rate/", {"rating": 5}, format="json").status_code == 404
    response = client.post(f"{API}/requests/{desk_request.pk}/rate/", {"rating": 4, "comment": "满意"}, format="json")
    assert response.status_code == 200
    assert response.json()["rating"] == 4
    again = client.post(f"{API}/requests/{desk_request.pk}/rate/", {"rating": 1}, format="json")
    assert again.status_code == 400
    assert "rating" in again.json()["error"]["fields"]
    other = api.as_user(neighbour_user).post(f"{API}/requests/{desk_request.pk}/rate/", {"rating": 1}, format="json")
    assert other.status_code == 404
    assert Request.objects.get(pk=desk_request.pk).rating == 4


@pytest.fixture
def neighbour_user(room2):
    from config.roles import Role

    user = f.UserFactory(username="resident2", role=Role.RESIDENT)
    f.ResidentFactory(name="李大山", user=user, household=f.HouseholdFactory(site=f.place(f.KANGHUA_SITE)))
    return user


def test_another_station_s_worker_cannot_see_or_touch_a_request(api, other_liaison_user, anonymous_request):
    client = api.as_user(other_liaison_user)
    assert client.get(f"{API}/requests/{anonymous_request.pk}/").status_code == 404
    before = _state()
    assert client.post(f"{API}/requests/{anonymous_request.pk}/answer/", {"reply": "x"},
                       format="json").status_code == 404
    assert _state() == before


@pytest.mark.parametrize("body", [
    {}, {"text": ""}, {"text": "x" * 3000}, {"text": "ok", "category": "bogus"}, {"text": "ok", "resident": -1},
    {"text": "ok", "resident": 2**70}, {"text": "ok", "phone": "12345"}, [], "garbage",
])
def test_garbage_requests_get_a_field_error_and_change_nothing(api, liaison_user, body):
    before = _state()
    response = api.as_user(liaison_user).post(f"{API}/requests/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert _state() == before


@pytest.mark.parametrize(("name", "body"), [
    ("classify", {"category": "nope"}), ("assign", {}), ("assign", {"deputy": 2**70}), ("assign", {"user": "x"}),
    ("assign", {"deputy": 1, "user": 1}), ("handle", {"handling": ""}), ("answer", {"reply": ["a"]}),
    ("resolve", {}), ("answer", {"reply": ""}),
])
def test_garbage_actions_change_nothing(api, liaison_user, anonymous_request, name, body):
    before = _state()
    response = api.as_user(liaison_user).post(f"{API}/requests/{anonymous_request.pk}/{name}/", body, format="json")
    assert response.status_code == 400, response.content
    assert _state() == before


@pytest.mark.parametrize("role", ROLES)
def test_suggestions_by_role(request, api, role, anonymous_request, desk_request):
    client = api.as_user(request.getfixturevalue(role))
    listed = client.get(f"{API}/suggestions/")
    assert listed.status_code == {"bureau_user": 403, "resident_user": 403}.get(role, 200)
    response = client.post(f"{API}/suggestions/", {
        "title": "关于安置点饮水的建议", "body": "改造管网", "requests": [anonymous_request.pk, desk_request.pk]},
        format="json")
    if role == "deputy_user":
        assert response.status_code == 201, response.content
        suggestion = response.json()
        advanced = client.post(f"{API}/suggestions/{suggestion['id']}/advance/",
                               {"status": "submitted", "addressed_to": "县水务局"}, format="json")
        assert advanced.status_code == 200
        assert advanced.json()["status"] == "submitted"
    elif role == "admin_user":
        assert response.status_code == 400  # an admin is no deputy
    else:
        assert response.status_code == 403
        assert Suggestion.objects.count() == 0


def test_a_deputy_cannot_raise_another_station_s_requests(api, deputy_user, other_station):
    foreign = s.request_submit(station=other_station, text="外站", channel="desk", contact_name="外")
    response = api.as_user(deputy_user).post(f"{API}/suggestions/", {
        "title": "t", "body": "b", "requests": [foreign.pk]}, format="json")
    assert response.status_code == 400
    assert Suggestion.objects.count() == 0


# --- the public API ------------------------------------------------------------------------------------------


def test_public_postings_put_home_based_work_first_and_filter(api, station, home_posting):
    on_site = f.PostingFactory(title="保洁员", wage_min=3000, wage_max=3500, work_mode="on_site")
    f.PostingFactory(title="草稿岗位", publish=False)
    rows = api.get(f"{API}/public/postings/").json()["results"]
    assert [r["id"] for r in rows][:1] == [home_posting.pk]
    assert {r["title"] for r in rows} == {"手工串珠", "保洁员"}
    assert api.get(f"{API}/public/postings/?work_mode=on_site").json()["results"][0]["id"] == on_site.pk
    rich = api.get(f"{API}/public/postings/?wage=3200").json()["results"]
    assert on_site.pk in [r["id"] for r in rich]
    assert api.get(f"{API}/public/postings/?q=保洁").json()["count"] == 1
    assert "元/" in rows[1]["wage"] or rows[1]["wage"] == "面议"


@pytest.mark.parametrize("query", ["wage=abc", "wage=-5", "wage=NaN", "place=0", "place=abc",
                                   "place=99999999999999999999999", "work_mode=remote"])
def test_public_posting_filters_refuse_garbage(api, query):
    response = api.get(f"{API}/public/postings/?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_public_station_shows_deputies_and_only_phones_they_agreed_to(api, station, deputy, market_day):
    other = f.StationFactory  # noqa: F841
    quiet = type(deputy).objects.create(name="吴代表", level="city", station=station)
    s.deputy_notice_set(deputy=deputy, duties="就业帮扶", phone="13800001111", phone_public=True)
    s.deputy_notice_set(deputy=quiet, duties="民生", phone="13800002222", phone_public=False)
    s.station_notice_set(station=station, opening_hours="逢农历一、六 9:00–17:00")
    s.duty_shift_add(station=station, day=market_day, deputy=deputy)
    card = api.get(f"{API}/public/station/").json()
    phones = {d["name"]: d["phone"] for d in card["deputies"]}
    assert phones == {"杨代表": "13800001111", "吴代表": None}
    assert "13800002222" not in str(card)
    assert card["opening_hours"] == "逢农历一、六 9:00–17:00"
    assert card["market_days"][0]["deputies_on_duty"] == ["杨代表"]


def test_public_sessions_show_only_open_seats(api, station):
    full = f.SessionFactory(capacity=1)
    open_one = f.SessionFactory(capacity=10)
    type(full).objects.filter(pk=full.pk).update(enrolled_count=1)
    ids = [r["id"] for r in api.get(f"{API}/public/sessions/").json()["results"]]
    assert open_one.pk in ids
    assert full.pk not in ids


def test_a_public_request_is_received_with_a_valid_phone(api, station, home_posting):
    response = api.post(f"{API}/public/requests/", {
        "name": "陈", "phone": "139 1234 5678", "text": "想做这个手工活", "posting": home_posting.pk}, format="json")
    assert response.status_code == 201, response.content
    created = Request.objects.get()
    assert created.channel == "public"
    assert created.category == "employment"
    assert created.posting_id_of_interest == home_posting.pk
    assert created.phone_masked == "139****5678"
    assert "answer_due" in response.json()
    assert "id" not in response.json()


@pytest.mark.parametrize("body", [
    {}, {"name": "陈", "phone": "12345678901", "text": "x"}, {"name": "", "phone": "13912345678", "text": "x"},
    {"name": "陈", "phone": "13912345678", "text": ""}, {"name": "陈", "phone": "13912345678", "text": "x" * 2001},
    {"name": "陈", "phone": "13912345678", "text": "x", "posting": 999999},
    {"name": "陈", "phone": "13912345678", "text": "x", "category": "bogus"}, [], "x",
])
def test_public_request_garbage_is_refused(api, station, body):
    response = api.post(f"{API}/public/requests/", body, format="json")
    assert response.status_code == 400
    assert Request.objects.count() == 0


def test_the_honeypot_and_a_double_tap_keep_nothing(api, station):
    trap = api.post(f"{API}/public/requests/", {"name": "bot", "phone": "13912345678", "text": "buy",
                                                "website": "http://spam"}, format="json")
    assert trap.status_code == 201
    assert Request.objects.count() == 0
    body = {"name": "陈", "phone": "13912345678", "text": "想找工作"}
    assert api.post(f"{API}/public/requests/", body, format="json").status_code == 201
    assert api.post(f"{API}/public/requests/", body, format="json").status_code == 201
    assert Request.objects.count() == 1


def test_anonymous_requests_are_throttled_per_address(api, station):
    codes = [api.post(f"{API}/public/requests/", {"name": "陈", "phone": "13912345678", "text": f"第{i}件事"},
                      format="json", REMOTE_ADDR="10.0.0.9").status_code for i in range(7)]
    assert codes[:5] == [201] * 5
    assert codes[5:] == [429, 429]
    assert Request.objects.count() == 5
    other = api.post(f"{API}/public/requests/", {"name": "陈", "phone": "13912345678", "text": "另一个人"},
                     format="json", REMOTE_ADDR="10.0.0.10")
    assert other.status_code == 201


def test_public_endpoints_are_read_only(api, station):
    for path in ("postings", "sessions", "station"):
        assert api.post(f"{API}/public/{path}/", {}, format="json").status_code == 405
    assert api.get(f"{API}/public/requests/").status_code == 405


def _api_paths() -> list[str]:
    """Every route under /api/v1/ with sample ids filled in."""
    import re

    paths = []

    def walk(patterns, prefix: str) -> None:
        for sub in patterns:
            route = str(sub.pattern).lstrip("^").rstrip("$")
            route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", route)
            route = re.sub(r"<[^>]+>", "1", route).replace("\\.", ".").replace("/?", "/").replace("\\", "")
            if hasattr(sub, "url_patterns"):
                walk(sub.url_patterns, prefix + route)
            elif "(" not in route and "[" not in route:
                paths.append(prefix + route)

    api_root = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    walk(api_root.url_patterns, f"{API}/")
    return sorted(set(paths))


def test_an_anonymous_client_gets_nothing_else_from_the_api(api, world_for_anonymous):
    open_paths = {f"{API}/public/postings/", f"{API}/public/sessions/", f"{API}/public/station/",
                  f"{API}/public/requests/", f"{API}/auth/token/"}
    checked = 0
    for path in _api_paths():
        if path in open_paths or path.rstrip("/") + "/" in open_paths:
            continue
        response = api.get(path)
        assert response.status_code in (401, 403, 404, 405), (path, response.status_code)
        if response.status_code == 200:
            pytest.fail(path)
        checked += 1
    assert checked > 30
    # The API root lists resources (names only); every list under it refuses an anonymous client.
    for resource in ("residents", "households", "requests", "suggestions", "jobs", "statistics"):
        assert api.get(f"{API}/{resource}/").status_code in (401, 403)


@pytest.fixture
def world_for_anonymous(station, resident, liaison_user):
    s.request_submit(station=station, text="x", channel="desk", contact_name="x")
    StaffMembership.objects.get(user=liaison_user, station=station)
