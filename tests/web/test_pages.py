"""Every page renders for its roles and refuses the others; no page leaks a full ID number or phone, nor
another station's residents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import full_id_numbers

pytestmark = pytest.mark.django_db

STATION_LIAISON = {"liaison", "admin"}
ANY_LIAISON = {"liaison", "other_liaison", "admin"}
BUREAU = {"bureau", "admin"}
RESIDENT = {"resident"}
DASHBOARD = {"deputy", "liaison", "other_liaison", "bureau", "admin"}
ROLES = ["bureau", "liaison", "other_liaison", "deputy", "resident", "admin", "anonymous"]

# (name, how to build the address from the world and the resident, the roles that get the page)
PAGES = [
    ("liaison-search", lambda w, r: reverse("web:liaison-search") + "?q=wxf", ANY_LIAISON),
    ("liaison-resident", lambda w, r: reverse("web:liaison-resident", args=[r.pk]), STATION_LIAISON),
    ("liaison-history", lambda w, r: reverse("web:liaison-history", args=[r.pk]), STATION_LIAISON),
    ("liaison-resident-new", lambda w, r: reverse("web:liaison-resident-new"), ANY_LIAISON),
    ("liaison-resident-edit", lambda w, r: reverse("web:liaison-resident-edit", args=[r.pk]), STATION_LIAISON),
    ("liaison-postings", lambda w, r: reverse("web:liaison-postings"), ANY_LIAISON),
    ("liaison-posting", lambda w, r: reverse("web:liaison-posting", args=[w.posting.pk]), ANY_LIAISON),
    ("liaison-followups", lambda w, r: reverse("web:liaison-followups"), ANY_LIAISON),
    ("liaison-assignments", lambda w, r: reverse("web:liaison-assignments"), ANY_LIAISON),
    ("liaison-sessions", lambda w, r: reverse("web:liaison-sessions"), ANY_LIAISON),
    ("liaison-session", lambda w, r: reverse("web:liaison-session", args=[w.full_session.pk]) + "?q=wxf", ANY_LIAISON),
    ("liaison-imports", lambda w, r: reverse("web:liaison-imports"), ANY_LIAISON),
    ("liaison-import-template", lambda w, r: reverse("web:liaison-import-template"), ANY_LIAISON),
    ("bureau-employers", lambda w, r: reverse("web:bureau-employers"), BUREAU),
    ("bureau-employer-new", lambda w, r: reverse("web:bureau-employer-new"), BUREAU),
    ("bureau-employer-edit", lambda w, r: reverse("web:bureau-employer-edit", args=[w.employer.pk]), BUREAU),
    ("bureau-postings", lambda w, r: reverse("web:bureau-postings") + "?status=open", BUREAU),
    ("bureau-posting-new", lambda w, r: reverse("web:bureau-posting-new"), BUREAU),
    ("bureau-posting", lambda w, r: reverse("web:bureau-posting", args=[w.posting.pk]), BUREAU),
    ("bureau-posting-edit", lambda w, r: reverse("web:bureau-posting-edit", args=[w.posting.pk]), BUREAU),
    ("bureau-courses", lambda w, r: reverse("web:bureau-courses"), BUREAU),
    ("bureau-course", lambda w, r: reverse("web:bureau-course", args=[w.course.pk]), BUREAU),
    ("bureau-course-new", lambda w, r: reverse("web:bureau-course-new"), BUREAU),
    ("bureau-course-edit", lambda w, r: reverse("web:bureau-course-edit", args=[w.course.pk]), BUREAU),
    ("bureau-session-new", lambda w, r: reverse("web:bureau-session-new", args=[w.course.pk]), BUREAU),
    ("bureau-session-edit", lambda w, r: reverse("web:bureau-session-edit", args=[w.session.pk]), BUREAU),
    ("bureau-imports", lambda w, r: reverse("web:bureau-imports"), BUREAU),
    ("bureau-import-template", lambda w, r: reverse("web:bureau-import-template"), BUREAU),
    ("resident-home", lambda w, r: reverse("web:resident-home"), RESIDENT),
    ("resident-preferences", lambda w, r: reverse("web:resident-preferences"), RESIDENT),
    ("resident-jobs", lambda w, r: reverse("web:resident-jobs"), RESIDENT),
    ("resident-training", lambda w, r: reverse("web:resident-training"), RESIDENT),
    ("resident-enrolments", lambda w, r: reverse("web:resident-enrolments"), RESIDENT),
    ("dashboard", lambda w, r: reverse("web:dashboard"), DASHBOARD),
    ("dashboard-chart", lambda w, r: reverse("web:dashboard-chart", args=["trend"]), DASHBOARD),
    ("dashboard-figure", lambda w, r: reverse("web:dashboard-figure", args=["placements"]), DASHBOARD),
    ("dashboard-figure-csv", lambda w, r: reverse("web:dashboard-figure-csv", args=["residents_recommended"]),
     DASHBOARD),
    ("dashboard-xlsx", lambda w, r: reverse("web:dashboard-xlsx"), DASHBOARD),
    ("dashboard-csv", lambda w, r: reverse("web:dashboard-csv"), DASHBOARD),
]
ALLOWED = [(name, build, role) for name, build, roles in PAGES for role in sorted(roles)]
REFUSED = [(name, build, role) for name, build, roles in PAGES for role in ROLES if role not in roles]
BINARY = ("dashboard-", "bureau-import-template", "liaison-import-template")
HTML_PAGES = [(name, build, role) for name, build, role in ALLOWED if not name.startswith(BINARY)]


def _ids(cases):
    return [f"{name}-{role}" for name, _build, role in cases]


@pytest.mark.parametrize(("name", "build", "role"), ALLOWED, ids=_ids(ALLOWED))
def test_page_renders_for_its_role(world, resident, clients, name, build, role):
    response = clients[role].get(build(world, resident))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "build", "role"), REFUSED, ids=_ids(REFUSED))
def test_page_refuses_other_roles(world, resident, clients, name, build, role):
    response = clients[role].get(build(world, resident))
    if role == "anonymous":
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("web:login"))
    else:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize(("name", "build", "role"), HTML_PAGES, ids=_ids(HTML_PAGES))
def test_page_shows_no_full_id_number_or_phone(world, resident, clients, name, build, role):
    html = clients[role].get(build(world, resident)).content.decode()
    leaked = [value for value in full_id_numbers() if value in html]
    assert leaked == []


LIAISON_HTML = [(name, build, role) for name, build, role in HTML_PAGES if role in ("liaison", "other_liaison")]


@pytest.mark.parametrize(("name", "build", "role"), LIAISON_HTML, ids=_ids(LIAISON_HTML))
def test_liaison_pages_show_no_resident_of_another_station(world, resident, clients, name, build, role):
    html = clients[role].get(build(world, resident)).content.decode()
    other_station_names = {"liaison": [world.outsider.name],
                           "other_liaison": [resident.name, world.neighbour.name, world.kanghua.name]}[role]
    assert [n for n in other_station_names if n in html] == []


def test_logout_is_a_post_and_ends_the_session(world, clients):
    response = clients["liaison"].post(reverse("web:logout"))
    assert (response.status_code, clients["liaison"].get(reverse("web:liaison-search")).status_code) == (302, 302)


@pytest.mark.parametrize(("role", "start"), [
    ("bureau", "web:bureau-postings"), ("liaison", "web:liaison-search"), ("deputy", "web:dashboard"),
    ("resident", "web:resident-home"),
])
def test_home_sends_each_role_to_its_start_page(world, clients, role, start):
    response = clients[role].get(reverse("web:home"))
    assert response["Location"] == reverse(start)


def test_home_of_an_admin_lists_the_sections(world, clients):
    response = clients["admin"].get(reverse("web:home"))
    assert b'data-testid="sections"' in response.content


def test_login_page_renders_and_signs_in(world, client, bureau_user):
    page = client.get(reverse("web:login"))
    response = client.post(reverse("web:login"), {"username": "clerk", "password": "pass-word-123"})
    assert (page.status_code, response.status_code, response["Location"]) == (200, 302, reverse("web:home"))


def test_login_with_a_wrong_password_shows_the_form_again(world, client, bureau_user):
    response = client.post(reverse("web:login"), {"username": "clerk", "password": "wrong"})
    assert (response.status_code, bool(response.context["form"].errors)) == (200, True)


def test_pages_load_htmx_from_our_own_static_files(world, clients):
    html = clients["liaison"].get(reverse("web:liaison-search")).content.decode()
    assert ("/static/django_htmx/htmx-2.min.js" in html, "://" in html.split("<body")[0]) == (True, False)


def test_a_refused_page_explains_itself_in_chinese_with_the_menu(world, clients):
    response = clients["bureau"].get(reverse("web:liaison-search"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="error-403"' in html
    assert 'data-testid="nav"' in html
    assert "Forbidden" not in html


def test_a_missing_page_is_a_chinese_404_page_outside_the_api(world, clients, settings):
    settings.DEBUG = False
    response = clients["liaison"].get(reverse("web:liaison-resident", args=[999_999_999]))
    assert response.status_code == 404
    assert 'data-testid="error-404"' in response.content.decode()
    assert clients["liaison"].get("/api/v1/nothing-here/").json()["error"]["code"] == "not_found"


def test_the_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert 'data-testid="error-500"' in html
