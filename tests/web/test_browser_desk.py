"""The desk in a real browser (headless Chromium): a bulk recommendation confirmed with its count and withdrawn as
a batch; the follow-up desk worked in one step and its call list printed on A4; wages in the formats people know;
every error of a form at once. Each page is screenshotted (artifacts/screenshots/desk-*) and checked with
axe-core: no violations."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.utils import timezone

from config.tasks import run_in_background
from jobs.models import Employer
from jobs.services import SkillRequirementInput
from matching import services
from matching.models import FollowUp, Placement, Recommendation, RecommendationBatch
from matching.services.placements import add_months
from residents.models import Resident
from stations.statistics import Figure, Period, Scope, figure_records
from taxonomy.identifiers import make_uscc
from taxonomy.models import Skill
from tests import factories as f

from ..imports.conftest import POSTING_HEADERS, posting_row, xlsx_bytes
from .test_browser import SCREENSHOTS, accessible, browser, journey  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _recommended(station) -> int:
    today = timezone.localdate()
    return figure_records(Figure.RESIDENTS_RECOMMENDED, Scope.for_station(station),
                          Period(today.replace(day=1), today)).count()


def test_bulk_recommendations_are_confirmed_with_their_count_and_withdrawn_as_a_batch(
        world, liaison_user, station, journey):  # noqa: F811
    cleaning = Skill.objects.get(code="house.cleaning")
    f.PostingFactory(title="保洁员", openings=3, skills=[SkillRequirementInput(skill=cleaning)])
    for name in ("甲保洁", "乙保洁", "丙保洁"):
        f.ResidentFactory(name=name, household=f.HouseholdFactory(), skill_texts=["做保洁"],
                          max_commute_km=Decimal("50"), employment_status=Resident.EmploymentStatus.SEEKING)
    seekers = Resident.objects.filter(employment_status=Resident.EmploymentStatus.SEEKING).values_list("id", flat=True)
    run = services.assignment_run_create(mode="optimal", resident_ids=list(seekers), created_by=liaison_user, k=10)
    run = services.assignment_run_execute(run_id=run.pk)
    before, made_before = _recommended(station), Recommendation.objects.count()

    tab = journey("desk-bulk")
    tab.login("liaison1")
    page = tab.page
    tab.go(f"/liaison/assignments/{run.pk}/", "proposal")
    accessible(page)
    page.click("[data-testid=accept-all]")
    page.wait_for_selector("[data-testid=bulk-confirm]")
    tab.shot("confirm")
    accessible(page)
    count = int(page.inner_text("[data-testid=bulk-confirm-count]").split("推荐 ")[1].split(" 位")[0])
    assert count >= 3
    assert Recommendation.objects.count() == made_before  # nothing is recorded before the confirmation
    page.click("[data-testid=bulk-confirm-yes]")
    page.wait_for_load_state()
    # The pairs are recommended by a task after the answer: the run page links to their batch once it is done.
    for _attempt in range(40):
        if page.locator("[data-testid=run-batch]").count():
            break
        page.wait_for_timeout(500)
        page.reload()
    page.click("[data-testid=run-batch]")
    page.wait_for_selector("[data-testid=batch-summary]")
    tab.shot("batch")
    accessible(page)
    assert int(page.inner_text("[data-testid=batch-total]")) == count
    assert _recommended(station) == before + count

    page.fill("#id_reason", "点错了，整批撤回")
    page.click("[data-testid=batch-withdraw]")
    page.wait_for_selector("[data-testid=bulk-confirm-count]")
    tab.shot("withdraw-confirm")
    assert f"撤回 {count} 条推荐" in page.inner_text("[data-testid=bulk-confirm-count]")
    page.click("[data-testid=bulk-confirm-yes]")
    page.wait_for_selector("[data-testid=batch-withdrawn-note]")
    tab.shot("withdrawn")
    accessible(page)
    assert set(RecommendationBatch.objects.get().recommendations.values_list("state", flat=True)) == {"withdrawn"}
    assert _recommended(station) == before


def test_the_follow_up_desk_is_worked_in_one_step_and_its_call_list_prints_on_a4(
        world, resident, liaison_user, journey):  # noqa: F811
    today = timezone.localdate()
    started = add_months(today, -1)  # its 1-month check is due today
    soon = services.placement_record(resident=resident, posting=world.posting, recorded_by=liaison_user,
                                     start_date=started).follow_ups.get(months=1)
    assert soon.due_date == today

    tab = journey("desk-followups")
    tab.login("liaison1")
    page = tab.page
    tab.go("/liaison/followups/", "desk")
    accessible(page)
    assert page.inner_text("[data-testid=count-overdue]") == "1"
    assert page.inner_text("[data-testid=count-this_week]") == "1"
    overdue = page.locator(f"[data-followup-id='{world.follow_up.pk}']")
    overdue.locator("input[value=left]").check()
    overdue.locator("select").select_option("quit")
    overdue.locator("input[type=text]").fill("回家照顾老人")
    tab.shot("left-filled")
    overdue.locator("[data-testid=followup-submit]").click()
    page.wait_for_selector(f"[data-testid=followup-done][data-followup-id='{world.follow_up.pk}']")
    tab.shot("left-recorded")
    assert Placement.objects.get(pk=world.placement.pk).status == "ended"

    due = page.locator(f"[data-followup-id='{soon.pk}']")
    due.locator("input[value=unreachable]").check()
    due.locator("[data-testid=followup-submit]").click()
    page.wait_for_selector(f"[data-testid=followup-done][data-followup-id='{soon.pk}'][data-outcome=unreachable]")
    assert FollowUp.objects.get(pk=soon.pk).done_at is None

    # Everything at once: "left" with no reason and a day in the future.
    tab.go("/liaison/followups/", "desk-again")
    row = page.locator(f"[data-followup-id='{soon.pk}']")
    row.locator("input[value=left]").check()
    row.locator("input[type=date]").fill((today + dt.timedelta(days=3)).isoformat())
    row.locator("[data-testid=followup-submit]").click()
    page.wait_for_selector(f"[data-followup-id='{soon.pk}'] [data-testid=error-called_on]")
    assert page.locator(f"[data-followup-id='{soon.pk}'] [data-testid=error-end_reason]").count() == 1
    tab.shot("errors-at-once")

    tab.go(f"/liaison/residents/{world.neighbour.pk}/#followup-history", "resident-history")
    accessible(page)
    assert page.locator("[data-testid=followup-history-row][data-kind=call]").count() == 1

    tab.go("/liaison/followups/calls/", "call-list")
    accessible(page)
    assert page.locator("[data-testid=call-row]").count() == 1  # the call not reached yet, due today
    page.emulate_media(media="print")
    tab.shot("call-list-print")
    assert not page.is_visible("header.topbar")
    pdf = page.pdf(format="A4", print_background=False)
    (SCREENSHOTS / "desk-followups-call-list.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")


def test_wages_show_as_people_write_them_and_errors_come_all_at_once(world, bureau_user, journey,  # noqa: F811
                                                                    settings, tmp_path):
    f.PostingFactory(employer=world.employer, title="搬运工（日结）", wage_min=Decimal("280"), wage_max=Decimal("330"),
                     wage_unit="day")
    f.PostingFactory(employer=world.employer, title="串珠（计件）", wage_min=Decimal("45"), wage_max=Decimal("60"),
                     wage_unit="piece")
    tab = journey("desk-wages")
    tab.login("liaison1")
    page = tab.page
    tab.go("/liaison/postings/", "postings")
    accessible(page)
    text = page.inner_text("main")
    assert "280–330元/天" in text
    assert "约6,700元/月" in text
    assert "45–60元/件" in text
    assert "¥" not in text
    # The list's bar and pager: a filter narrows it, the count says how many, numbered pages go on.
    for number in range(26):
        f.PostingFactory(employer=world.employer, title=f"翻页测试岗{number:02d}")
    page.fill("[data-testid=list-bar] input[type=search]", "翻页测试岗")
    page.click("[data-testid=list-apply]")
    page.wait_for_selector("[data-testid=pager]")
    tab.shot("postings-filtered")
    assert "26" in page.inner_text("[data-testid=list-count]")
    assert "搬运工" not in page.inner_text("main table")
    page.click("[data-testid=page-link]")
    page.wait_for_url("**page=2**")
    tab.shot("postings-page-2")
    assert page.locator("main table tbody tr").count() == 1
    assert page.is_visible("[data-testid=list-export]")
    accessible(page)
    tab.close()

    clerk = journey("desk-errors")
    clerk.login("clerk")
    page = clerk.page
    clerk.go("/bureau/employers/new/", "employer-form")
    good = make_uscc("520622", 880001)
    page.fill("#id_uscc", good[:-1] + ("0" if good[-1] != "0" else "1"))
    page.fill("#id_contact_phone", "12345")
    page.fill("#id_contact_name", "李主任")
    page.click("main form [type=submit]")
    page.wait_for_selector(".errorlist")
    clerk.shot("employer-errors")
    accessible(page)
    errors = page.locator(".errorlist").count()
    assert errors >= 3  # name, credit code and phone together
    assert page.input_value("#id_contact_name") == "李主任"
    assert not Employer.objects.filter(contact_name="李主任").exists()

    # An import with eager tasks (the embedded default): the upload is answered at once and its page shows the
    # rows done out of the total while the background thread imports; then the report.
    settings.EAGER_LONG_TASKS_IN_THREAD = True
    release = threading.Event()
    run_in_background(release.wait, 30)  # the background thread is busy until the progress is on screen
    sheet = tmp_path / "岗位.xlsx"
    sheet.write_bytes(xlsx_bytes(POSTING_HEADERS, [posting_row(title=t) for t in ("保洁员", "厨师", "搬运工")]))
    try:
        clerk.go("/bureau/imports/", "import-form")
        page.set_input_files("#id_file", str(sheet))
        page.click("[data-testid=import-submit]")
        page.wait_for_selector("[data-testid=import-progress]")
        clerk.shot("import-progress")
        accessible(page)
        assert page.inner_text("[data-testid=import-progress]").strip().endswith("已处理 0 / 共 3 行")
    finally:
        release.set()
    page.wait_for_selector("[data-testid=import-status][data-status=finished]", timeout=60_000)
    clerk.shot("import-report")
    assert page.inner_text("[data-testid=import-imported]") == "3"
