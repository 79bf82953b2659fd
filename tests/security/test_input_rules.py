"""Input rules: text in canonical form before it is judged, no direction overrides in names, dates within
sensible windows, plausible wages, and a workbook with one giant cell refused at once."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from jobs.imports import COLUMNS as POSTING_COLUMNS
from taxonomy.spreadsheets import SpreadsheetError, read_table
from tests.api.support import API, assert_chinese, db_state, field_errors, valid_payloads
from web.middleware import CleanTextInputMiddleware

pytestmark = pytest.mark.django_db

ZERO_WIDTH = "\u200b\u200c\u200d\ufeff\u2060"


def refused(api, user, resource: str, changes: dict, *, fields: set[str]) -> dict:
    before = db_state()
    response = api.as_user(user).post(f"{API}/{resource}/", changes, format="json")
    errors = field_errors(response)
    assert set(errors) == fields, errors
    for messages in errors.values():
        assert_chinese(messages)
    assert db_state() == before
    return errors


def test_a_title_of_zero_width_characters_is_empty(api, world, bureau_user):
    body = {**valid_payloads(world)["jobs"], "title": ZERO_WIDTH}
    refused(api, bureau_user, "jobs", body, fields={"title"})


def test_zero_width_characters_do_not_count_and_chinese_punctuation_stays(api, world, bureau_user):
    body = {**valid_payloads(world)["jobs"], "title": "缝\u200b纫\u200b工（二期）"}
    response = api.as_user(bureau_user).post(f"{API}/jobs/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "缝纫工（二期）"


def test_full_width_letters_and_digits_come_out_ascii(api, world, bureau_user, liaison_user):
    body = {**valid_payloads(world)["jobs"], "title": "缝纫工ＡＢ１２（二期）：包吃住！"}
    response = api.as_user(bureau_user).post(f"{API}/jobs/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "缝纫工AB12（二期）：包吃住！"
    resident = api.as_user(liaison_user).post(f"{API}/residents/", {**valid_payloads(world)["residents"],
                                                                    "name": "王\u200bＡｍｙ"}, format="json")
    assert resident.status_code == 201, resident.content
    assert resident.json()["name"] == "王Amy"


def test_control_characters_are_removed_like_zero_width_ones(api, world, bureau_user):
    body = {**valid_payloads(world)["jobs"], "title": "缝\x01纫\x1b工\x7f\x85", "description": "第一行\n第二行\t完"}
    response = api.as_user(bureau_user).post(f"{API}/jobs/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "缝纫工"
    assert response.json()["description"] == "第一行\n第二行\t完"  # line feeds and tabs are text
    refused(api, bureau_user, "jobs", {**body, "title": "\x01\x02\x1f"}, fields={"title"})


def test_length_is_counted_after_normalisation(api, world, bureau_user):
    base = valid_payloads(world)["jobs"]
    padded = api.as_user(bureau_user).post(f"{API}/jobs/", {**base, "title": "缝\u200b" * 120}, format="json")
    assert padded.status_code == 201, padded.content
    assert padded.json()["title"] == "缝" * 120
    # ㍿ is one character typed and four (株式会社) in canonical form: 31 of them are 124 > 120.
    errors = refused(api, bureau_user, "jobs", {**base, "title": "\u337f" * 31}, fields={"title"})
    assert "120" in errors["title"][0]


def test_a_direction_override_in_a_name_is_refused(api, world, liaison_user, bureau_user):
    refused(api, liaison_user, "residents", {**valid_payloads(world)["residents"], "name": "王\u202e芳小"},
            fields={"name"})
    refused(api, bureau_user, "jobs", {**valid_payloads(world)["jobs"], "title": "\u202egpj.工纫缝"}, fields={"title"})


def test_a_session_in_the_year_9999_or_starting_in_the_past_is_refused(api, world, bureau_user):
    base = valid_payloads(world)["sessions"]
    far = refused(api, bureau_user, "sessions", {**base, "start_date": "9999-01-01", "end_date": "9999-01-05"},
                  fields={"start_date"})
    assert "两年" in far["start_date"][0]
    today = timezone.localdate()
    refused(api, bureau_user, "sessions", {**base, "start_date": str(today - dt.timedelta(days=1)),
                                           "end_date": str(today + dt.timedelta(days=3))}, fields={"start_date"})
    refused(api, bureau_user, "sessions", {**base, "start_date": str(today),
                                           "end_date": str(today + dt.timedelta(days=800))}, fields={"end_date"})
    ok = api.as_user(bureau_user).post(f"{API}/sessions/", {**base, "start_date": str(today),
                                                            "end_date": str(today + dt.timedelta(days=3))},
                                       format="json")
    assert ok.status_code == 201, ok.content


def test_a_session_that_has_started_keeps_its_start_when_other_fields_change(api, world, bureau_user):
    from training.services import session_update

    session = world["session"]
    session_update(session=session, data={"start_date": timezone.localdate() - dt.timedelta(days=2)},
                   allow_past_start=True)
    changed = api.as_user(bureau_user).patch(f"{API}/sessions/{session.pk}/", {"capacity": 40}, format="json")
    assert changed.status_code == 200, changed.content


@pytest.mark.parametrize(("wage", "unit"), [("5000", "hour"), ("20000", "day"), ("250000", "month")])
def test_an_implausible_wage_is_refused_naming_the_amount(api, world, bureau_user, wage, unit):
    body = {**valid_payloads(world)["jobs"], "wage_min": "10", "wage_max": wage, "wage_unit": unit}
    errors = refused(api, bureau_user, "jobs", body, fields={"wage_max"})
    assert "元" in errors["wage_max"][0]


def test_posted_forms_are_cleaned_but_passwords_are_not():
    seen = {}

    def view(request):
        seen.update(request.POST.dict())
        return HttpResponse()

    request = RequestFactory().post("/bureau/postings/new/", {"title": "缝\u200b纫工ＡＢ（二期）",
                                                              "password": "ｐａｓｓ\u200b"})
    CleanTextInputMiddleware(view)(request)
    assert seen == {"title": "缝纫工AB（二期）", "password": "ｐａｓｓ\u200b"}


def test_a_small_workbook_with_a_200_mb_cell_is_refused_at_once():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst><si><t>')
            chunk = b"A" * (1024 * 1024)
            for _ in range(200):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    content = buffer.getvalue()
    assert len(content) < 400 * 1024
    started = time.perf_counter()
    with pytest.raises(SpreadsheetError) as caught:
        read_table(content, "岗位.xlsx", POSTING_COLUMNS)
    assert caught.value.code == "too_large_unpacked"
    assert time.perf_counter() - started < 1.0
