"""Importing past recommendations and their outcomes (推荐就业记录): through the services, idempotent, every bad
row reported, never oversubscribing a posting, counted in the months it happened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext

from jobs.models import JobPosting
from matching.imports import COLUMNS, leave_reason, outcomes_import_create, outcomes_import_run
from matching.models import FollowUp, Placement, Recommendation
from residents import pii
from residents.models import Resident
from stations.selectors import user_place_scope
from stations.statistics import Figure, Period, Scope, statistics_for
from taxonomy.models import ImportJob
from tests import factories as f

from .conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = [column.template_header for column in COLUMNS]
FIELDS = [column.field for column in COLUMNS]
TODAY = timezone.localdate()
DAY = TODAY - dt.timedelta(days=400)


def row(**values) -> list:
    base = {"resident_id": None, "id_number": None, "posting_id": None, "recommended_on": DAY.isoformat(),
            "result": "未录用", "started_on": None, "left_on": None, "leave_reason": None}
    base.update(values)
    return [base[name] for name in FIELDS]


def _import(content: bytes, *, user, scope: set[int] | None = None, name: str = "推荐记录.xlsx") -> ImportJob:
    job = outcomes_import_create(file_name=name, content=content, created_by=user, allowed_place_ids=scope)
    return outcomes_import_run(job_id=job.pk)


def _errors(job: ImportJob) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for error in job.errors:
        found.setdefault(error["row"], []).append((error["field"], error["message"]))
    return found


@pytest.fixture
def people(room1):
    site = room1.places.first()
    return [f.ResidentFactory(household=f.HouseholdFactory(site=site)) for _ in range(4)]


@pytest.fixture
def posting():
    return f.PostingFactory(openings=3)


def test_each_result_is_recorded_through_the_services_with_its_dates(admin_user, people, posting):
    a, b, c, d = people
    start = DAY + dt.timedelta(days=10)
    rows = [
        row(resident_id=a.pk, posting_id=posting.pk, result="录用", started_on=start.isoformat(),
            left_on=(start + dt.timedelta(days=50)).isoformat(), leave_reason="家里老人生病，回家照顾"),
        row(resident_id=b.pk, posting_id=posting.pk, result="录用", started_on=start.isoformat()),
        row(id_number=pii.decrypt(c.id_number_encrypted), posting_id=posting.pk, result="本人放弃"),
        row(resident_id=d.pk, posting_id=posting.pk, result="无结果"),
    ]
    job = _import(xlsx_bytes(HEADERS, rows), user=admin_user)
    assert (job.status, job.imported, job.duplicates, job.errors) == ("finished", 4, 0, [])

    recs = {r.resident_id: r for r in Recommendation.objects.all()}
    assert {r.origin for r in recs.values()} == {"import"}
    assert {r.recommended_on for r in recs.values()} == {DAY}
    assert [recs[p.pk].state for p in people] == ["hired", "hired", "declined", "no_answer"]
    assert recs[a.pk].decided_on == start
    assert recs[c.pk].decided_on is None

    left = Placement.objects.get(resident=a)
    assert (left.status, left.start_date, left.ended_on, left.end_reason) == (
        "ended", start, start + dt.timedelta(days=50), "quit")
    assert left.end_note == "家里老人生病，回家照顾"
    # Its follow-ups are answered by the history: in work at 1 month, gone by 3 and 6.
    assert list(left.follow_ups.order_by("months").values_list("still_employed", flat=True)) == [True, False, False]
    staying = Placement.objects.get(resident=b)
    assert staying.status == "active"
    assert list(staying.follow_ups.values_list("still_employed", flat=True)) == [True, True, True]
    assert not FollowUp.objects.filter(done_at__isnull=True).exists()
    assert Resident.objects.get(pk=b.pk).employment_status == "employed"

    posting.refresh_from_db()
    assert (posting.filled, posting.status) == (2, "open")


def test_the_statistics_show_the_history_in_the_months_it_happened(admin_user, station, people, posting):
    a, b, *_ = people
    start = DAY + dt.timedelta(days=3)
    rows = [row(resident_id=a.pk, posting_id=posting.pk, result="录用", started_on=start.isoformat()),
            row(resident_id=b.pk, posting_id=posting.pk, result="未录用")]
    _import(csv_bytes(HEADERS, rows), user=admin_user, name="history.csv")
    scope = Scope.for_station(station)
    then = statistics_for(scope, Period.month(DAY.year, DAY.month)).values
    assert then[Figure.RESIDENTS_RECOMMENDED] == 2
    started = statistics_for(scope, Period.month(start.year, start.month)).values
    assert started[Figure.PLACEMENTS] == 1
    this_month = statistics_for(scope, Period.month(TODAY.year, TODAY.month)).values
    assert (this_month[Figure.RESIDENTS_RECOMMENDED], this_month[Figure.PLACEMENTS]) == (0, 0)


def test_reimporting_the_same_file_imports_nothing_twice(admin_user, people, posting):
    a, b, *_ = people
    content = xlsx_bytes(HEADERS, [
        row(resident_id=a.pk, posting_id=posting.pk, result="录用", started_on=DAY.isoformat()),
        row(resident_id=b.pk, posting_id=posting.pk, result="未录用"),
        row(resident_id=b.pk, posting_id=posting.pk, result="未录用"),  # the same row twice in one file
    ])
    first = _import(content, user=admin_user)
    assert (first.imported, first.duplicates, first.errors) == (2, 1, [])
    second = _import(content, user=admin_user)
    assert (second.imported, second.duplicates, second.errors) == (0, 3, [])
    assert Recommendation.objects.count() == 2
    assert Placement.objects.count() == 1
    posting.refresh_from_db()
    assert posting.filled == 1


def test_every_bad_row_is_reported_and_nothing_of_it_is_imported(admin_user, people, posting):
    a, b, c, d = people
    rows = [
        row(resident_id=999999, posting_id=posting.pk),
        row(resident_id=a.pk, posting_id=999999),
        row(resident_id=b.pk, posting_id=posting.pk, result="录用",
            started_on=(DAY - dt.timedelta(days=1)).isoformat()),
        row(resident_id=c.pk, posting_id=posting.pk, result="录用", started_on=DAY.isoformat(),
            left_on=(DAY - dt.timedelta(days=5)).isoformat(), leave_reason="辞职"),
        row(resident_id=d.pk, posting_id=posting.pk, result="黄了"),
        # Every problem of a row at once: no resident, a bad date, an unknown result.
        row(posting_id=posting.pk, recommended_on="去年", result="也许"),
        row(resident_id=d.pk, posting_id=posting.pk, result="未录用"),  # a good row among them
    ]
    job = _import(xlsx_bytes(HEADERS, rows), user=admin_user)
    errors = _errors(job)
    assert sorted(errors) == [2, 3, 4, 5, 6, 7]
    assert errors[2] == [("居民编号", gettext("No resident has the number %(number)s.") % {"number": 999999})]
    assert errors[3] == [("岗位编号", gettext("No posting has the number %(number)s.") % {"number": 999999})]
    assert errors[4][0][0] == "入职日期"
    assert (DAY - dt.timedelta(days=1)).isoformat() in errors[4][0][1]
    assert errors[5][0][0] == "离职日期"
    assert (DAY - dt.timedelta(days=5)).isoformat() in errors[5][0][1]
    assert errors[6][0][0] == "结果"
    assert "录用、未录用、本人放弃、无结果" in errors[6][0][1]
    assert {field for field, _ in errors[7]} == {"居民编号", "推荐日期", "结果"}
    assert job.imported == 1
    assert list(Recommendation.objects.values_list("resident_id", flat=True)) == [d.pk]
    assert not Placement.objects.exists()


def test_a_history_row_never_oversubscribes_a_posting(admin_user, people):
    small = f.PostingFactory(openings=2)
    rows = [row(resident_id=p.pk, posting_id=small.pk, result="录用", started_on=DAY.isoformat()) for p in people[:3]]
    job = _import(xlsx_bytes(HEADERS, rows), user=admin_user)
    assert job.imported == 2
    ((field, message),) = _errors(job)[4]
    assert field == "岗位编号"
    assert "2" in message
    small.refresh_from_db()
    assert (small.filled, small.openings, small.status) == (2, 2, JobPosting.Status.FILLED)


def test_id_number_and_resident_number_must_agree(admin_user, people, posting):
    a, b, *_ = people
    job = _import(xlsx_bytes(HEADERS, [row(resident_id=a.pk, id_number=pii.decrypt(b.id_number_encrypted), posting_id=posting.pk)]),
                  user=admin_user)
    assert _errors(job)[2] == [("身份证号", gettext("The ID number belongs to another resident than number "
                                                 "%(number)s.") % {"number": a.pk})]


def test_liaison_staff_import_only_their_station_residents(liaison_user, other_station, posting, people):
    outsider = f.ResidentFactory(household=f.HouseholdFactory(site=other_station.rooms.first().places.first()))
    rows = [row(resident_id=people[0].pk, posting_id=posting.pk), row(resident_id=outsider.pk, posting_id=posting.pk)]
    job = _import(xlsx_bytes(HEADERS, rows), user=liaison_user, scope=user_place_scope(liaison_user))
    assert job.imported == 1
    assert _errors(job)[3] == [("居民编号", gettext("This resident lives outside your station's area; their records "
                                                 "are imported by their own station."))]


def test_leave_reasons_are_read_from_their_words():
    assert [leave_reason(t) for t in ("被辞退", "工厂停产", "合同到期", "个人原因辞职", "说不清", "")] == [
        "dismissed", "employer_closed", "contract_ended", "quit", "other", ""]


def test_upload_through_the_api_and_roles(api, liaison_user, bureau_user, people, posting,
                                          django_capture_on_commit_callbacks):
    content = xlsx_bytes(HEADERS, [row(resident_id=people[0].pk, posting_id=posting.pk, result="录用",
                                       started_on=DAY.isoformat())])
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = api.as_user(bureau_user).post("/api/v1/imports/", {
        "kind": "outcomes", "file": SimpleUploadedFile("h.xlsx", content)}, format="multipart")
    assert refused.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(liaison_user).post("/api/v1/imports/", {
            "kind": "outcomes", "file": SimpleUploadedFile("h.xlsx", content)}, format="multipart")
    assert response.status_code == 202, response.content
    job = api.as_user(liaison_user).get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert (job["kind"], job["status"], job["imported"]) == ("outcomes", "finished", 1)
    template = api.as_user(liaison_user).get("/api/v1/imports/templates/outcomes/")
    assert template.status_code == 200
    assert template.content[:2] == b"PK"


def test_the_upload_page(client, liaison_user, people, posting, django_capture_on_commit_callbacks):
    client.force_login(liaison_user)
    page = client.get("/liaison/outcome-imports/")
    assert page.status_code == 200
    content = xlsx_bytes(HEADERS, [row(resident_id=people[1].pk, posting_id=posting.pk, result="本人放弃")])
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/liaison/outcome-imports/", {"file": SimpleUploadedFile("h.xlsx", content)})
    assert response.status_code == 302
    assert Recommendation.objects.get().state == "declined"
    assert client.get("/liaison/outcome-imports/template.xlsx").content[:2] == b"PK"


def test_the_command_takes_the_same_path(tmp_path, admin_user, people, posting, capsys):
    path = tmp_path / "history.csv"
    path.write_bytes(csv_bytes(HEADERS, [row(resident_id=people[0].pk, posting_id=posting.pk, result="录用",
                                             started_on=DAY.isoformat()),
                                         row(resident_id=people[1].pk, posting_id=1234567)]))
    call_command("import_outcomes", str(path))
    out = capsys.readouterr().out
    assert "2 rows, 1 imported, 0 already there, 1 with errors" in out
    assert "row 3 岗位编号" in out
    call_command("import_outcomes", str(path))
    assert "0 imported, 1 already there" in capsys.readouterr().out
    assert ImportJob.objects.filter(kind="outcomes").count() == 2
    with pytest.raises(CommandError):
        call_command("import_outcomes", str(tmp_path / "missing.csv"))
