"""The dashboard's figures, records, CSV and workbook are cached on the domain versions: a change mid-month shows
at the next read, and a read with nothing changed counts nothing again."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from matching.services import placement_end, placement_record
from stations.statistics import Period, Scope, statistics_for
from tests import factories as f

pytestmark = pytest.mark.django_db


def _placements(response) -> int:
    return next(f["value"] for f in response.context["figures"] if f["key"] == "placements")


def _csv_value(client, label: str) -> str:
    content = client.get(reverse("web:dashboard-csv")).content.decode("utf-8-sig")
    return next(row[1] for row in csv.reader(io.StringIO(content)) if row and row[0] == label)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hire_and_its_end_mid_month_show_in_every_read(world, resident, clients, liaison_user):
    """Committed writes, as in production: what the first reads cached is keyed on versions the hire moves."""
    deputy = clients["deputy"]
    dashboard = reverse("web:dashboard")
    records = reverse("web:dashboard-figure", args=["placements"])
    before = _placements(deputy.get(dashboard))
    csv_before = _csv_value(deputy, "实现就业")
    workbook_before = deputy.get(reverse("web:dashboard-xlsx")).content

    placement = placement_record(resident=resident, posting=world.posting, recorded_by=liaison_user)

    assert _placements(deputy.get(dashboard)) == before + 1
    assert resident.name in deputy.get(records).content.decode()
    assert int(_csv_value(deputy, "实现就业")) == int(csv_before) + 1
    workbook = deputy.get(reverse("web:dashboard-xlsx")).content
    assert workbook != workbook_before
    sheet = load_workbook(io.BytesIO(workbook))["实现就业"]
    assert resident.name in [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]  # no internal ids

    # The end of the placement changes who is in work today: the employed figure follows.
    employed = next(f["value"] for f in deputy.get(dashboard).context["figures"] if f["key"] == "working_age_employed")
    placement_end(placement=placement, ended_on=timezone.localdate(), reason="quit", actor=liaison_user)
    after = next(f["value"] for f in deputy.get(dashboard).context["figures"] if f["key"] == "working_age_employed")
    assert after == employed - 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_figures_are_counted_once_until_something_changes():
    """Committed writes, as in production: a second read counts nothing; a hire is counted at the next."""
    station = f.StationFactory(name="平溪街道人大代表联络站")
    f.RoomFactory(station=station, places=[f.place(f.HUANGCHA_SITE)])
    resident, posting, user = f.ResidentFactory(), f.PostingFactory(), f.UserFactory()
    scope = Scope.for_station(station)
    today = timezone.localdate()
    period = Period.month(today.year, today.month)
    first = statistics_for(scope, period)
    with CaptureQueriesContext(connection) as queries:
        again = statistics_for(scope, period)
    assert len(queries.captured_queries) == 1  # the versions; nothing counted
    assert again.values == first.values
    placement_record(resident=resident, posting=posting, recorded_by=user)
    assert statistics_for(scope, period).values["placements"] == first.values["placements"] + 1
