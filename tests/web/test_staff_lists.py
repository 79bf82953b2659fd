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
}


BAD = [({"sort": "drop table"}, "排序"), ({"page": "abc"}, "页码"), ({"page": "0"}, "页码"),
       ({"page": "9" * 30}, "页码"), ({"export": "pdf"}, "导出")]


@pytest.fixture
def lists_world(world, resident):
    f.EmployerFactory(name="玉屏县保洁服务公司")
    interest_express(resident=resident, posting=world.posting, actor=resident.user)
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
