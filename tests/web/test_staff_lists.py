"""Every staff list has filters, sorting, numbered pages, a count and an xlsx export (web/lists.py): the export
opens, has the filtered rows in order, no ID number in clear and no database id; bad sorting or paging values
are a message in Chinese (400), never a 500."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from matching.services import interest_express
from receptions import services as receptions
from residents import pii
from stations.models import Deputy
from taxonomy.models import ImportJob
from tests import factories as f

from .conftest import full_id_numbers

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")

# (list, who reads it, a filter that keeps one known row, the text that row shows in the export)
LISTS = {
    "bureau-employers": ("bureau", {"q": "藤编扶贫"}, "康华社区藤编扶贫车间"),
    "bureau-postings": ("bureau", {"q": "藤椅编织", "status": "open"}, "藤椅编织工"),
    "liaison-postings": ("liaison", {"q": "藤椅编织"}, "藤椅编织工"),
    "bureau-courses": ("bureau", {"q": "藤椅"}, "藤椅加工"),
    "liaison-sessions": ("liaison", {"q": "家政"}, "家政服务"),
    "liaison-interests": ("liaison", {"q": "王小芳"}, "王小芳"),
    "liaison-recommendations": ("liaison", {"q": "杨德才", "state": "hired"}, "杨德才"),
    "liaison-placements": ("liaison", {"q": "杨德才", "state": "active", "since": "2000-01-01"}, "杨德才"),
    "bureau-imports": ("bureau", {"q": "岗位", "status": "finished", "since": "2000-01-01"}, "岗位.xlsx"),
    "liaison-imports": ("liaison", {"q": "名单", "kind": "residents", "status": "finished"}, "名单.xlsx"),
    "desk-requests": ("liaison", {"q": "路灯", "status": "received", "category": "other", "since": "2000-01-01"},
                      "路灯坏了"),
    "desk-suggestions": ("deputy", {"q": "路灯", "status": "drafted"}, "关于修复路灯的建议"),
}
PHONE = "13912345678"


BAD = [({"sort": "drop table"}, "排序"), ({"page": "abc"}, "页码"), ({"page": "0"}, "页码"),
       ({"page": "9" * 30}, "页码"), ({"export": "pdf"}, "导出")]


@pytest.fixture
def lists_world(world, resident, station, other_station, bureau_user, liaison_user, other_liaison_user, deputy_user):
    f.EmployerFactory(name="玉屏县保洁服务公司")
    interest_express(resident=resident, posting=world.posting, actor=resident.user)
    # Imports: mine of both kinds, and another station's worker's (never mine to see).
    finished = {"status": ImportJob.Status.FINISHED, "total_rows": 3, "imported": 2}
    ImportJob.objects.create(kind=ImportJob.Kind.POSTINGS, file_name="岗位.xlsx", created_by=bureau_user, **finished)
    ImportJob.objects.create(kind=ImportJob.Kind.RESIDENTS, file_name="名单.xlsx", created_by=liaison_user, **finished)
    ImportJob.objects.create(kind=ImportJob.Kind.OUTCOMES, file_name="推荐记录.xlsx", created_by=liaison_user)
    ImportJob.objects.create(kind=ImportJob.Kind.RESIDENTS, file_name="外站名单.xlsx", created_by=other_liaison_user)
    # Requests and a suggestion: ours, and another station's.
    lamp = receptions.request_submit(station=station, text="路灯坏了", channel="public", contact_name="赵明",
                                     phone=PHONE)
    receptions.request_submit(station=station, text="想学家政", channel="desk", contact_name="钱芳")
    receptions.suggestion_raise(deputy=deputy_user.deputy, requests=[lamp], title="关于修复路灯的建议",
                                body="建议尽快修复", addressed_to="街道办", actor=deputy_user)
    far = receptions.request_submit(station=other_station, text="外站停水", channel="desk", contact_name="孙外站")
    other_deputy = Deputy.objects.create(name="外站代表", level=Deputy.Level.COUNTY, station=other_station)
    receptions.suggestion_raise(deputy=other_deputy, requests=[far], title="外站供水建议", body="建议",
                                actor=other_liaison_user)
    return world


def _export(client, name, params):
    response = client.get(reverse(f"web:{name}"), {**params, "export": "xlsx"})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("name", LISTS)
def test_each_list_exports_its_filtered_rows(lists_world, clients, name):
    who, narrow, shown = LISTS[name]
    client = clients[who]
    page = client.get(reverse(f"web:{name}"), narrow)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="list-bar"' in html
    assert 'data-testid="list-export"' in html
    count = page.context["page"].paginator.count
    assert f'data-testid="list-count">共 {count} 条' in html
    rows = _export(client, name, narrow)
    head, body = rows[0], rows[1:]
    assert len(body) == count >= 1
    assert any(shown in str(value) for value in body[0])
    assert not any(str(h).lower() in ("id", "编号") for h in head)
    everything = _export(client, name, {})
    assert len(everything) - 1 == client.get(reverse(f"web:{name}")).context["page"].paginator.count
    text = " ".join(str(value) for row in everything for value in row)
    assert not any(secret in text for secret in full_id_numbers())
    # Bad sorting, paging or export values: a message in Chinese naming the field, the list as it starts.
    for params, field in BAD:
        response = client.get(reverse(f"web:{name}"), params)
        assert response.status_code == 400, params
        errors = response.context["listing"].errors
        assert all(CJK.search(e) for e in errors)
        assert any(e.startswith(field) for e in errors), errors
        assert 'data-testid="list-errors"' in response.content.decode()


def test_every_sort_is_accepted_and_pages_keep_the_filters(lists_world, clients):
    from web.views.bureau import POSTINGS

    for _n in range(26):  # two pages of 25
        f.PostingFactory(employer=lists_world.employer, title="藤椅编织学徒")
    for key in POSTINGS.sorts:
        assert clients["bureau"].get(reverse("web:bureau-postings"), {"sort": key}).status_code == 200
    html = clients["bureau"].get(reverse("web:bureau-postings"), {"q": "藤椅编织", "sort": "wage"}).content.decode()
    assert 'href="?q=%E8%97%A4%E6%A4%85%E7%BC%96%E7%BB%87&amp;sort=wage&amp;page=2"' in html
    assert 'export=xlsx' in html


def test_a_bad_filter_is_shown_with_the_list_as_it_starts(lists_world, clients):
    response = clients["liaison"].get(reverse("web:liaison-sessions"), {"when": "nonsense"})
    assert response.status_code == 400
    assert response.context["listing"].errors
    assert response.context["page"].paginator.count == 2  # the coming sessions, as without the filter
    backwards = clients["liaison"].get(reverse("web:liaison-placements"), {"since": "2026-02-01", "until": "2026-01-01"})
    assert backwards.status_code == 400
    assert backwards.context["listing"].errors == ["止：结束日期早于开始日期。"]
    assert 'value="2026-02-01"' in backwards.content.decode()  # what was typed stays


def test_another_station_lists_none_of_it(lists_world, clients):
    for name in ("liaison-recommendations", "liaison-placements", "liaison-interests"):
        assert clients["other_liaison"].get(reverse(f"web:{name}")).context["page"].paginator.count == 0
        assert clients["bureau"].get(reverse(f"web:{name}")).status_code == 403
        rows = _export(clients["other_liaison"], name, {})
        assert len(rows) == 1  # the header only


def test_requests_and_suggestions_export_masked_and_only_the_station_s_own(lists_world, clients):
    rows = _export(clients["liaison"], "desk-requests", {})
    text = " ".join(str(value) for row in rows for value in row)
    assert ("路灯坏了" in text, "想学家政" in text, "外站停水" in text) == (True, True, False)
    assert PHONE not in text
    assert PHONE[-4:] in text
    overdue = _export(clients["liaison"], "desk-requests", {"overdue": "1"})
    assert len(overdue) == 1  # nothing is past its deadline yet
    assert len(_export(clients["other_liaison"], "desk-requests", {})) == 2  # its own request only
    ours = _export(clients["deputy"], "desk-suggestions", {})
    assert [row[0] for row in ours[1:]] == ["关于修复路灯的建议"]
    assert [row[0] for row in _export(clients["other_liaison"], "desk-suggestions", {})[1:]] == ["外站供水建议"]
    for name in ("desk-requests", "desk-suggestions"):
        assert clients["bureau"].get(reverse(f"web:{name}")).status_code == 403


def test_imports_list_only_mine_with_a_link_to_each(lists_world, clients):
    page = clients["liaison"].get(reverse("web:liaison-imports"))
    names = [job.file_name for job in page.context["page"]]
    assert sorted(names) == ["名单.xlsx", "推荐记录.xlsx"]  # both kinds liaison staff import; not another's
    assert reverse("web:liaison-outcome-import", args=[ImportJob.objects.get(file_name="推荐记录.xlsx").pk]) \
        in page.content.decode()
    only = clients["liaison"].get(reverse("web:liaison-imports"), {"kind": "outcomes", "sort": "file"})
    assert [job.file_name for job in only.context["page"]] == ["推荐记录.xlsx"]
    assert "kind" not in clients["bureau"].get(reverse("web:bureau-imports")).context["listing"].filters.fields
    assert clients["bureau"].get(reverse("web:bureau-imports"), {"kind": "residents"}).status_code == 200  # ignored
    assert len(_export(clients["other_liaison"], "liaison-imports", {})) == 2  # the header and its own


SEARCH = reverse("web:liaison-search")


def test_resident_search_sorts_and_exports_masked_keeping_identifiers_out_of_urls(lists_world, resident, clients,
                                                                                  caplog):
    liaison = clients["liaison"]
    by_name = liaison.get(SEARCH, {"shown": "1", "sort": "name"})
    names = [r.name for r in by_name.context["results"]]
    assert names == sorted(names)
    assert 'data-testid="list-export"' in by_name.content.decode()
    number = pii.decrypt(resident.id_number_encrypted)
    # The search by a full ID number posts; its page links carry no number and its export posts the same form.
    page = liaison.post(SEARCH, {"shown": "1", "q": number})
    assert [r.pk for r in page.context["results"]] == [resident.pk]
    assert not [href for href in re.findall(r'href="([^"]*)"', page.content.decode()) if number in href]
    with caplog.at_level("INFO", logger="lianxin.exports"):
        response = liaison.post(SEARCH, {"shown": "1", "q": number, "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store"
    assert "export residents: 1 rows" in caplog.text
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert len(rows) == 2
    assert rows[1][0] == resident.name
    assert rows[1][1] == resident.id_number_masked
    assert rows[1][2] == resident.phone_masked
    assert not any(str(h).lower() in ("id", "编号") for h in rows[0])
    everyone = _export(liaison, "liaison-search", {"shown": "1", "sort": "site"})
    text = " ".join(str(value) for row in everyone for value in row)
    assert resident.name in text
    assert "罗外站" not in text
    assert not any(secret in text for secret in full_id_numbers())
    assert "罗外站" in str(_export(clients["other_liaison"], "liaison-search", {"shown": "1"}))
    for params, field in BAD:
        bad = liaison.get(SEARCH, {"shown": "1", **params})
        assert bad.status_code == 400, params
        assert any(e.startswith(field) and CJK.search(e) for e in bad.context["listing"].errors)
