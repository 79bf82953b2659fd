"""The station dashboard: figures by scope and period, charts, records, downloads; each role's own scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.models import LiaisonRoom
from training.services import session_update

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def figure(response, key):
    return next(f["value"] for f in response.context["figures"] if f["key"] == key)


def test_a_recommendation_counts_in_residents_recommended_this_month(world, resident, clients):
    before = figure(clients["deputy"].get(reverse("web:dashboard")), "residents_recommended")
    clients["liaison"].post(reverse("web:liaison-recommend", args=[resident.pk, world.posting.pk]), **HTMX)
    after = figure(clients["deputy"].get(reverse("web:dashboard")), "residents_recommended")
    assert after == before + 1


def test_deputy_sees_their_station_by_default(world, clients, station):
    response = clients["deputy"].get(reverse("web:dashboard"))
    assert (response.context["choice"].key, response.context["stats"].scope.name) == (
        f"station-{station.pk}", station.name)


def test_deputy_cannot_pick_the_county(world, clients, station):
    response = clients["deputy"].get(reverse("web:dashboard"), {"scope": "county"})
    assert (response.status_code, "scope" in response.context["form"].errors,
            response.context["stats"].scope.kind) == (200, True, "station")


def test_deputy_cannot_pick_another_station(world, clients, other_station):
    response = clients["deputy"].get(reverse("web:dashboard"), {"scope": f"station-{other_station.pk}"})
    assert response.context["stats"].scope.station_id != other_station.pk


def test_deputy_can_pick_a_room_of_their_station(world, clients, room2):
    response = clients["deputy"].get(reverse("web:dashboard"), {"scope": f"room-{room2.pk}"})
    assert (response.context["stats"].scope.kind, response.context["stats"].scope.room_id) == ("room", room2.pk)


def test_bureau_sees_the_county_by_default(world, clients):
    response = clients["bureau"].get(reverse("web:dashboard"))
    assert response.context["stats"].scope.kind == "county"


def test_bureau_can_pick_every_station(world, clients, station, other_station):
    keys = {c.key for c in clients["bureau"].get(reverse("web:dashboard")).context["scope_choices"]}
    assert {"county", f"station-{station.pk}", f"station-{other_station.pk}"} <= keys


def test_other_station_liaison_sees_only_their_station_and_rooms(world, clients, other_station):
    keys = {c.key for c in clients["other_liaison"].get(reverse("web:dashboard")).context["scope_choices"]}
    rooms = {f"room-{room.pk}" for room in LiaisonRoom.objects.filter(station=other_station)}
    assert keys == {f"station-{other_station.pk}", *rooms}


@pytest.mark.parametrize(("query", "days"), [
    ({"period": "quarter", "year": "2025", "quarter": "2"}, 91),
    ({"period": "year", "year": "2024"}, 366),
    ({"period": "custom", "start": "2025-03-01", "end": "2025-03-10"}, 10),
    ({"period": "month", "year": "2025", "month": "2"}, 28),
])
def test_period_picker(world, clients, query, days):
    period = clients["deputy"].get(reverse("web:dashboard"), query).context["period"]
    assert (period.end - period.start).days + 1 == days


@pytest.mark.parametrize("query", [
    {"period": "custom", "start": "2025-03-10", "end": "2025-03-01"},
    {"period": "custom"},
    {"period": "week"},
    {"year": "abc"},
    {"month": "13"},
    {"period": "custom", "start": "2010-01-01", "end": "2025-01-01"},
])
def test_bad_period_shows_the_error_and_this_month(world, clients, query):
    response = clients["deputy"].get(reverse("web:dashboard"), query)
    today = timezone.localdate()
    assert (response.status_code, bool(response.context["form"].errors), response.context["period"].start) == (
        200, True, today.replace(day=1))


def test_each_figure_links_to_its_records(world, clients):
    html = clients["deputy"].get(reverse("web:dashboard")).content.decode()
    assert all(reverse("web:dashboard-figure", args=[key]) in html for key in ("placements", "residents_recommended"))


def test_records_of_residents_recommended_are_masked(world, resident, clients):
    clients["liaison"].post(reverse("web:liaison-recommend", args=[resident.pk, world.posting.pk]), **HTMX)
    response = clients["deputy"].get(reverse("web:dashboard-figure", args=["residents_recommended"]))
    rows = [row[1:3] for row in response.context["rows"]]
    assert ([resident.name, resident.id_number_masked] in rows, all("*" * 10 in masked for _name, masked in rows)) == (
        True, True)


def test_unknown_figure_is_a_404(world, clients):
    assert clients["deputy"].get(reverse("web:dashboard-figure", args=["nonsense"])).status_code == 404


def test_chart_is_a_png(world, clients):
    response = clients["deputy"].get(reverse("web:dashboard-chart", args=["zero"]))
    assert (response["Content-Type"], response.content[:8]) == ("image/png", b"\x89PNG\r\n\x1a\n")


def test_chart_of_a_scope_not_allowed_is_a_404(world, clients):
    response = clients["deputy"].get(reverse("web:dashboard-chart", args=["trend"]), {"scope": "county"})
    assert response.status_code == 404


def test_unknown_chart_is_a_404(world, clients):
    assert clients["deputy"].get(reverse("web:dashboard-chart", args=["pie"])).status_code == 404


def test_report_downloads_as_excel(world, clients):
    response = clients["deputy"].get(reverse("web:dashboard-xlsx"))
    assert (response["Content-Type"].startswith("application/vnd.openxmlformats"), response.content[:2]) == (
        True, b"PK")


def test_report_downloads_as_csv_with_a_bom(world, clients):
    response = clients["bureau"].get(reverse("web:dashboard-csv"))
    assert (response["Content-Type"], response.content[:3]) == ("text/csv; charset=utf-8", b"\xef\xbb\xbf")


def test_download_of_a_scope_not_allowed_is_a_404(world, clients):
    response = clients["deputy"].get(reverse("web:dashboard-xlsx"), {"scope": "county"})
    assert response.status_code == 404


def test_charts_and_report_follow_a_session_moved_into_the_period(world, clients):
    """The cached chart is keyed on the records: moving a session's dates shows at once."""
    chart = reverse("web:dashboard-chart", args=["trend"])
    before = clients["deputy"].get(chart).content
    assert clients["deputy"].get(chart).content == before  # served from the cache
    today = timezone.localdate()
    session_update(session=world.session,
                   data={"start_date": today - dt.timedelta(days=5), "end_date": today - dt.timedelta(days=3)},
                   allow_past_start=True)
    assert clients["deputy"].get(chart).content != before
