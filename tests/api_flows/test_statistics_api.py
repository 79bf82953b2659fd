"""Statistics, records, report downloads and charts through the API, within the roles."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from matching import services as matching
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(liaison_user, room1, room2):
    resident = f.ResidentFactory()
    matching.placement_record(resident=resident, posting=f.PostingFactory(place=f.place(f.ANPING)),
                              recorded_by=liaison_user)
    return resident


def figures(response):
    return {item["name"]: item["value"] for item in response.json()["figures"]}


def test_deputy_reads_the_station_figures_of_this_month(api, deputy_user, station, activity):
    response = api.as_user(deputy_user).get(f"/api/v1/statistics/?scope=station&id={station.pk}")
    assert response.status_code == 200
    assert figures(response)["placements"] == 1
    assert figures(response)["jobs_published"] == 1
    assert response.json()["sentence"].startswith("提供就业信息1条")


def test_rooms_and_county(api, bureau_user, station, room1, room2, activity):
    client = api.as_user(bureau_user)
    room_values = [figures(client.get(f"/api/v1/statistics/?scope=room&id={room.pk}")) for room in (room1, room2)]
    station_values = figures(client.get(f"/api/v1/statistics/?scope=station&id={station.pk}"))
    assert room_values[0]["placements"] + room_values[1]["placements"] == station_values["placements"] == 1
    assert figures(client.get("/api/v1/statistics/?scope=county&period=year"))["placements"] == 1


def test_other_station_and_county_are_hidden_from_liaison(api, other_liaison_user, station, activity):
    client = api.as_user(other_liaison_user)
    assert client.get(f"/api/v1/statistics/?scope=station&id={station.pk}").status_code == 404
    assert client.get("/api/v1/statistics/?scope=county").status_code == 404


@pytest.mark.parametrize(
    "query",
    ["period=week", "period=month&month=13", "period=month&year=abc", "period=range&start=2026-10-01",
     "period=range&start=2026-10-31&end=2026-10-01", "period=range&start=2000-01-01&end=2026-01-01",
     "period=range&start=0001-01-01&end=0001-12-31", "period=range&start=9999-01-01&end=9999-12-31",
     "scope=planet", "scope=station&id=abc", "scope=room"],
)
def test_bad_parameters_are_400(api, liaison_user, station, query):
    for path in ("/api/v1/statistics/", "/api/v1/statistics/report/"):  # the report too (found by schemathesis)
        response = api.as_user(liaison_user).get(f"{path}?{query}")
        assert response.status_code == 400
        assert response.json()["error"]["fields"]


def test_records_report_and_chart(api, liaison_user, station, activity):
    client = api.as_user(liaison_user)
    records = client.get(f"/api/v1/statistics/records/?scope=station&id={station.pk}&figure=placements")
    assert records.json()["count"] == 1
    assert records.json()["rows"][0][1] == activity.name
    assert client.get("/api/v1/statistics/records/?figure=nope").status_code == 400
    workbook = client.get(f"/api/v1/statistics/report/?scope=station&id={station.pk}&file=xlsx")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(BytesIO(workbook.content)).sheetnames[0]
    assert client.get(f"/api/v1/statistics/report/?scope=station&id={station.pk}&file=csv").content.startswith(
        "\ufeff".encode())
    assert client.get("/api/v1/statistics/report/?file=pdf").status_code == 400
    chart = client.get(f"/api/v1/statistics/charts/trend.png?scope=station&id={station.pk}")
    assert chart.content.startswith(b"\x89PNG")


def test_residents_cannot_read_statistics(api, resident_user):
    assert api.as_user(resident_user).get("/api/v1/statistics/").status_code == 403
