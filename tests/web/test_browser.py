"""The everyday journeys in a real browser (headless Chromium through Playwright) against a live server.

A bureau clerk posts and publishes a job; a liaison worker finds a resident by pinyin initials and
recommends them, and the dashboard counts it; a resident on a phone enrols in a session. Every page
visited is saved as a full-page screenshot under artifacts/screenshots/<journey>-<step>.png.

Skips when Chromium or Playwright is missing, unless REQUIRE_SERVICES=1 (then it fails).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobs.models import JobPosting
from matching.models import Recommendation
from residents.models import Resident
from stations.statistics import Figure, Period, Scope, statistics_for
from tests import factories as f
from training.models import Enrollment
from training.services import enrollment_create

# The migrations' rows (places, skills, role groups) are restored after each flush of a transactional test.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PASSWORD = "pass-word-123"  # the factories' password
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _unavailable(why: str):
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but the browser tests cannot run: {why}", pytrace=False)
    pytest.skip(why)


@pytest.fixture
def browser(world):
    """Chromium, started after the test's data is in place (one browser per test keeps each test's
    database work out of Playwright's event loop)."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install playwright)")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls of the test are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
        # While Playwright's loop runs, Django takes this thread for an async context and the test's queries
        # open a connection of their own (asgiref locals follow the context): close it here, inside that
        # context, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Journey:
    """A signed-in browser tab that saves a screenshot at every step."""

    def __init__(self, browser, live_server, name: str, viewport: dict):
        self.context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.base = live_server.url
        self.name = name
        self.step = 0

    def shot(self, label: str) -> None:
        self.step += 1
        self.page.wait_for_load_state("networkidle")
        self.page.screenshot(path=str(SCREENSHOTS / f"{self.name}-{self.step:02d}-{label}.png"), full_page=True)

    def go(self, path: str, label: str) -> None:
        self.page.goto(self.base + path)
        self.shot(label)

    def login(self, username: str) -> None:
        self.go("/login/", "login")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("[data-testid=login-submit]")
        self.page.wait_for_load_state()
        self.shot("start")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def journey(browser, live_server):
    opened = []

    def start(name: str, viewport: dict = DESKTOP) -> Journey:
        opened.append(Journey(browser, live_server, name, viewport))
        return opened[-1]

    yield start
    for tab in opened:
        tab.close()


def accessible(page) -> None:
    """axe-core finds no violation on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def warm_the_charts(user) -> None:
    """Draw the dashboard's two charts once, one after the other, before the browser asks for both at once:
    on SQLite the live server shares one in-memory connection between its threads, and two heavy queries
    on it at the same moment can lock each other (PostgreSQL has no such limit)."""
    client = Client()
    client.force_login(user)
    for kind in ("trend", "zero"):
        assert client.get(reverse("web:dashboard-chart", args=[kind])).status_code == 200


def test_a_bureau_clerk_posts_publishes_and_finds_a_job(world, bureau_user, journey):
    tab = journey("a")
    tab.login("clerk")
    page = tab.page
    page.click("[data-testid=posting-new]")
    tab.shot("new-posting")
    page.select_option("#id_employer", str(world.employer.pk))
    page.fill("#id_title", "藤椅编织工（居家计件）")
    page.fill("#id_skill_texts", "会编藤椅、藤椅缠扎\n火星文编程")
    page.fill("#id_openings", "6")
    page.fill("#id_wage_min", "2800")
    page.fill("#id_wage_max", "4000")
    page.select_option("#id_work_mode", "home_based")
    page.fill("#id_valid_until", (timezone.localdate() + dt.timedelta(days=45)).isoformat())
    tab.shot("filled")
    page.click("[data-testid=posting-save]")
    page.wait_for_selector("[data-testid=posting-title]")
    tab.shot("saved")
    posting = JobPosting.objects.get(title="藤椅编织工（居家计件）")
    assert page.get_attribute("[data-testid=posting-status]", "class").endswith("status-draft")
    assert page.locator("[data-testid=unresolved-text]").all_inner_texts() == ["火星文编程"]
    assert {link.skill.code for link in posting.skill_links.all()} == {"rattan.weaving", "rattan.binding"}
    page.click("[data-testid=publish]")
    page.wait_for_selector("[data-testid=posting-status].status-open")
    tab.shot("published")
    tab.go("/bureau/postings/?status=open&q=居家计件", "listed")
    rows = page.locator("[data-testid=posting-row]")
    assert [rows.nth(i).get_attribute("data-posting-id") for i in range(rows.count())] == [str(posting.pk)]


def test_b_liaison_recommends_a_resident_and_d_the_dashboard_counts_it(world, resident, deputy_user, journey, station):
    month = timezone.localdate()
    scope, period = Scope.for_station(station), Period.month(month.year, month.month)
    before = statistics_for(scope, period).values[Figure.RESIDENTS_RECOMMENDED]

    tab = journey("b")
    tab.login("liaison1")
    page = tab.page
    accessible(page)  # the resident search as it opens: its filters and the default list
    page.fill("[data-testid=resident-search]", "wxf")
    page.wait_for_selector(f"[data-testid=search-result][data-resident-id='{resident.pk}']")
    tab.shot("search-results")
    accessible(page)
    page.click(f"[data-testid=search-result][data-resident-id='{resident.pk}'] a")
    page.wait_for_selector("[data-testid=matches]")
    tab.shot("resident")
    match = page.locator(f"[data-testid=match][data-posting-id='{world.posting.pk}']")
    match.locator("[data-testid=recommend-button]").click()
    match.locator("[data-testid=recommended]").wait_for()
    history = page.locator(f"[data-testid=history-item][data-posting-id='{world.posting.pk}']")
    history.wait_for()
    tab.shot("recommended")
    assert history.get_attribute("data-state") == "recommended"
    assert Recommendation.objects.filter(resident=resident, posting=world.posting).count() == 1

    warm_the_charts(deputy_user)
    dashboard = journey("d")
    dashboard.login("deputy1")
    value = dashboard.page.get_attribute("[data-testid=figure-residents_recommended]", "data-value")
    dashboard.page.locator("[data-testid=chart-trend]").scroll_into_view_if_needed()
    dashboard.shot("figures")
    assert int(value) == before + 1
    dashboard.page.click("[data-testid=figure-residents_recommended]")
    dashboard.page.wait_for_selector("[data-testid=records]")
    dashboard.shot("records")
    assert resident.name in dashboard.page.inner_text("[data-testid=records]")


def test_c_resident_enrols_on_a_phone_and_sees_it_in_my_enrolments(world, resident, journey):
    tab = journey("c", PHONE)
    tab.login("resident1")
    page = tab.page
    page.click("[data-testid=tab-resident-training]")
    page.wait_for_selector("[data-testid=sessions]")
    tab.shot("training")
    card = page.locator(f"[data-testid=session][data-session-id='{world.session.pk}']")
    card.locator("[data-testid=enrol-button]").click()
    card = page.locator(f"[data-testid=session][data-session-id='{world.session.pk}']")
    card.locator("[data-testid=enrol-status][data-status=enrolled]").wait_for()
    tab.shot("enrolled")
    assert Enrollment.objects.get(resident=resident, session=world.session).status == "enrolled"
    page.click("[data-testid=tab-resident-enrolments]")
    page.wait_for_selector("[data-testid=enrolments]")
    tab.shot("my-enrolments")
    mine = page.locator(f"[data-testid=enrolment][data-session-id='{world.session.pk}']")
    assert mine.get_attribute("data-status") == "enrolled"
    assert re.search(world.course.name, mine.inner_text())
    tab.go("/me/jobs/", "jobs")
    tab.go("/me/", "profile")
    assert resident.id_number_masked in page.inner_text("[data-testid=id-number]")


def test_e_liaison_registers_a_resident_and_enrols_them_in_a_session(world, journey):
    tab = journey("e")
    tab.login("liaison1")
    page = tab.page
    page.click("[data-testid=resident-new]")
    page.wait_for_selector("[data-testid=resident-form]")
    tab.shot("register-form")
    page.fill("#id_household_number", "PX-2026-0777")
    page.select_option("#id_site", str(f.place(f.HUANGCHA_SITE).pk))
    page.select_option("#id_poverty_status", "lifted")
    page.fill("#id_name", "龙秀英")
    page.fill("#id_id_number", f.fresh_id_number(female=True))
    page.fill("#id_phone", "13912345678")
    page.fill("#id_skills", "刺绣 3")
    page.fill("#id_skill_texts", "会编藤椅")
    page.click("[data-testid=resident-save]")
    page.wait_for_selector("[data-testid=resident-name]")
    tab.shot("registered")
    resident = Resident.objects.get(name="龙秀英")
    assert set(resident.skill_links.values_list("skill__name", flat=True)) == {"刺绣", "藤编"}
    assert "13912345678" not in page.content()
    page.click("[data-testid=reveal-open-phone]")
    page.fill("[data-testid=reveal-reason-phone]", "电话通知培训")
    page.click("[data-testid=reveal-submit-phone]")
    page.wait_for_selector("[data-testid=revealed-phone]")
    tab.shot("phone-revealed")
    assert page.inner_text("[data-testid=revealed-phone]") == "13912345678"

    page.click("[data-testid=nav-group-matching] summary")  # the liaison's many sections fold into menus
    page.click("[data-testid=nav-liaison-sessions]")
    assert page.get_attribute("[data-testid=nav-group-matching]", "class") == "nav-group active"
    page.click(f"[data-testid=session-link][href$='/{world.session.pk}/']")
    page.wait_for_selector("[data-testid=candidate-search]")
    page.fill("[data-testid=candidate-search]", "lxy")
    candidate = page.locator(f"[data-testid=candidate][data-resident-id='{resident.pk}']")
    candidate.locator("[data-testid=enrol-button]").click()
    page.locator(f"[data-testid=roster-row][data-resident-id='{resident.pk}'][data-status=enrolled]").wait_for()
    tab.shot("roster")
    assert Enrollment.objects.get(resident=resident, session=world.session).status == "enrolled"

    # The sign-in sheet prints on A4 (the stylesheet's @page), about two dozen people a page.
    for number in range(27):
        enrollment_create(session=world.session, resident=f.ResidentFactory(
            name=f"签到{number:02d}", household=f.HouseholdFactory(site=f.place(f.HUANGCHA_SITE))))
    page.click("[data-testid=sign-in-link]")
    page.wait_for_selector("[data-testid=sign-in]")
    accessible(page)
    rows = page.locator("[data-testid=sign-in-row]").count()
    page.emulate_media(media="print")
    tab.shot("sign-in-print")
    assert not page.is_visible("header.topbar")
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)  # the page size the stylesheet asks for
    (SCREENSHOTS / "e-sign-in-sheet.pdf").write_bytes(pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    pages = len(boxes)
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}  # A4 in points, portrait
    assert (rows, pages) == (28, 2)  # the one enrolled above and 27 more: two A4 pages
    page.emulate_media(media="screen")

    page.click("[data-testid=nav-group-matching] summary")
    page.click("[data-testid=nav-liaison-assignments]")
    page.click("[data-testid=assignment-start]")
    page.wait_for_selector("[data-testid=assignment-status][data-status=finished]")
    page.wait_for_selector("[data-testid=pairs]")
    tab.shot("assignment-proposal")
    proposed = page.locator("[data-testid=pair]").count()
    assert proposed > 0
    page.click("[data-testid=accept-all]")
    page.wait_for_selector("[data-testid=bulk-confirm-count]")  # a bulk write asks first, with the count
    tab.shot("assignment-confirm")
    page.click("[data-testid=bulk-confirm-yes]")
    page.wait_for_load_state()
    # The pairs are recommended by a task after the answer (202 at once): the run page shows them once it is done.
    for _attempt in range(40):
        if page.locator("[data-testid=pair-recommended]").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    page.wait_for_selector("[data-testid=pair-recommended]")
    tab.shot("assignment-recommended")
    assert page.locator("[data-testid=pair-recommended]").count() > 0
