"""A known month of activity, and every figure of the station, its rooms and the county."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jobs.models import JobPosting
from matching import services as matching
from matching.models import Recommendation
from residents.models import Household, Resident
from stations.report import approximate, report_csv, report_sentence, report_workbook
from stations.statistics import Figure, Period, Scope, figure_records, statistics_for
from tests import factories as f
from training import services as training
from training.models import Enrollment, TrainingSession

pytestmark = pytest.mark.django_db

OCTOBER = Period.month(2026, 10)


def at(day: int, month: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, month, day, 10, 0))


def posting_published(place_code: str, published: dt.datetime, **kwargs) -> JobPosting:
    posting = f.PostingFactory(place=f.place(place_code), **kwargs)
    JobPosting.objects.filter(pk=posting.pk).update(published_at=published)
    return posting


def household_with(place_code: str, *statuses: str) -> list[Resident]:
    household = f.HouseholdFactory(site=f.place(place_code))
    return [f.ResidentFactory(household=household, employment_status=s) for s in statuses]


def completed_training(resident: Resident, session: TrainingSession, *, passed: bool, on: dt.datetime) -> Enrollment:
    enrollment = Enrollment.objects.create(session=session, resident=resident, status=Enrollment.Status.ENROLLED)
    TrainingSession.objects.filter(pk=session.pk).update(enrolled_count=session.enrolled_count + 1)
    session.refresh_from_db()
    enrollment = training.enrollment_complete(enrollment=enrollment, passed=passed)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=on)
    return enrollment


@pytest.fixture
def october(station, room1, room2, other_station, liaison_user):
    """Records of October 2026 (and a few before it) across two rooms and another station."""
    worker = liaison_user
    # Postings: 3 in room 1's area, 2 in room 2's, 1 at the other station, 1 published in September.
    room1_jobs = [posting_published(f.ANPING, at(d)) for d in (3, 12, 28)]
    room2_jobs = [posting_published(f.KANGHUA_SITE, at(d), openings=5) for d in (5, 20)]
    posting_published("520622001001", at(9))
    september_job = posting_published(f.ANPING, at(25, 9))

    # Residents: room 1 (黄岔安置点) and room 2 (康华社区) households.
    a1, a2 = household_with(f.HUANGCHA_SITE, "seeking", "seeking")  # placed in October → not zero any more
    b1, b2 = household_with(f.HUANGCHA_SITE, "seeking", "not_seeking")  # stays zero-employment
    (c1,) = household_with(f.KANGHUA_SITE, "seeking")  # placed in October
    (d1,) = household_with(f.KANGHUA_SITE, "self_employed")  # in work by status
    (e1,) = household_with(f.QILITANG, "seeking")  # placed in July, retained at 3 months
    (g1,) = household_with(f.ANPING, "seeking")  # placed in April, gone by 6 months
    (x1,) = household_with("520622001001", "seeking")  # other station
    Household.objects.update(created_at=at(1, 1))
    Resident.objects.update(created_at=at(1, 1))

    # Recommendations in October: a1 twice, b1 and c1 once → 3 residents; one in September for x1.
    recs = [
        matching.recommendation_create(resident=r, posting=p, recommended_by=worker, score=0.7, explanation={})
        for r, p in ((a1, room1_jobs[0]), (a1, room1_jobs[1]), (b1, room1_jobs[0]), (c1, room2_jobs[0]))
    ]
    Recommendation.objects.filter(pk__in=[r.pk for r in recs]).update(created_at=at(15), recommended_on=at(15).date())
    september = matching.recommendation_create(resident=x1, posting=september_job, recommended_by=worker,
                                               score=0.5, explanation={})
    Recommendation.objects.filter(pk=september.pk).update(created_at=at(26, 9), recommended_on=at(26, 9).date())

    # Placements: a1 and c1 start in October; e1 started in July (3-month check in October, still in work);
    # g1 started in April (6-month check in October: no longer in work, ended in September).
    matching.recommendation_move(recommendation=recs[0], to_state="interviewing", actor=worker)
    matching.recommendation_move(recommendation=recs[0], to_state="hired", actor=worker,
                                 start_date=dt.date(2026, 10, 20), wage=Decimal("3200"))
    matching.placement_record(resident=c1, posting=room2_jobs[0], recorded_by=worker, start_date=dt.date(2026, 10, 8))
    july = matching.placement_record(resident=e1, posting=room2_jobs[1], recorded_by=worker,
                                     start_date=dt.date(2026, 7, 15))
    april = matching.placement_record(resident=g1, posting=room2_jobs[1], recorded_by=worker,
                                      start_date=dt.date(2026, 4, 10))
    matching.placement_end(placement=april, ended_on=dt.date(2026, 9, 1), reason="quit")
    matching.followup_record(follow_up=july.follow_ups.get(months=3), still_employed=True, actor=worker)
    matching.followup_record(follow_up=april.follow_ups.get(months=6), still_employed=False, actor=worker)

    # Training: two sessions in October (room 1 and room 2 places), one cancelled, one at the other station.
    course = f.CourseFactory()
    s1 = f.SessionFactory(course=course, start_date=dt.date(2026, 10, 10), end_date=dt.date(2026, 10, 14),
                          place=f.place(f.HUANGCHA_SITE))
    s2 = f.SessionFactory(course=course, start_date=dt.date(2026, 10, 16), end_date=dt.date(2026, 10, 18),
                          place=f.place(f.KANGHUA_SITE))
    f.SessionFactory(course=course, start_date=dt.date(2026, 10, 20), end_date=dt.date(2026, 10, 21),
                     place=f.place(f.KANGHUA_SITE), status="cancelled")
    f.SessionFactory(course=course, start_date=dt.date(2026, 10, 22), end_date=dt.date(2026, 10, 23),
                     place=f.place("520622001001"))
    completed_training(a1, s1, passed=True, on=at(14))  # placed on the 20th: within 90 days
    completed_training(b2, s1, passed=True, on=at(14))  # not placed
    completed_training(c1, s2, passed=False, on=at(18))  # failed: not counted
    return {"a1": a1, "b1": b1}


EXPECTED_STATION = {
    Figure.JOBS_PUBLISHED: 5,
    Figure.RESIDENTS_RECOMMENDED: 3,
    Figure.PLACEMENTS: 2,
    Figure.RETAINED_3M: 1,
    Figure.RETAINED_6M: 0,
    Figure.SESSIONS_HELD: 2,
    Figure.TRAINEES_COMPLETED: 2,
    Figure.TRAINEES_PLACED_90D: 1,
    Figure.ZERO_EMPLOYMENT_HOUSEHOLDS: 2,  # b-household (nobody in work) and g1's (ended in September)
}


def test_every_figure_of_the_station_for_a_known_month(october, station):
    stats = statistics_for(Scope.for_station(station), OCTOBER)
    for figure, expected in EXPECTED_STATION.items():
        assert stats.values[figure] == expected, figure
    # At the start of October a1's and c1's households had nobody in work either: 4 → 2.
    assert stats.zero_employment_at_start == 4
    assert stats.zero_employment_change == -2
    # Working age (16–59) residents of the station: a1 a2 b1 b2 c1 d1 e1 g1 (factory ages 20–45).
    assert stats.values[Figure.WORKING_AGE_RESIDENTS] == 8
    # In work on 31 October: a1, c1 (placed), d1 (self-employed), e1 (placed in July).
    assert stats.values[Figure.WORKING_AGE_EMPLOYED] == 4
    assert stats.employment_rate == 0.5


def test_rooms_sum_to_the_station_and_the_county_includes_both(october, station, room1, room2):
    station_stats = statistics_for(Scope.for_station(station), OCTOBER)
    rooms = [statistics_for(Scope.for_room(room), OCTOBER) for room in (room1, room2)]
    county = statistics_for(Scope.county(), OCTOBER)
    for figure in EXPECTED_STATION:
        assert sum(r.values[figure] for r in rooms) == station_stats.values[figure], figure
        assert county.values[figure] >= station_stats.values[figure]
    assert rooms[0].values[Figure.JOBS_PUBLISHED] == 3
    assert rooms[1].values[Figure.JOBS_PUBLISHED] == 2
    assert county.values[Figure.JOBS_PUBLISHED] == 6
    assert county.values[Figure.SESSIONS_HELD] == 3


def test_each_figure_opens_into_its_records(october, station):
    scope = Scope.for_station(station)
    recommended = figure_records(Figure.RESIDENTS_RECOMMENDED, scope, OCTOBER)
    assert {r.name for r in recommended} == {october["a1"].name, october["b1"].name,
                                            Resident.objects.get(household__site__code=f.KANGHUA_SITE,
                                                                 employment_status="employed").name}


def test_recording_a_placement_changes_the_figures_at_once(october, station, liaison_user):
    scope = Scope.for_station(station)
    before = statistics_for(scope, OCTOBER).values[Figure.PLACEMENTS]
    posting = JobPosting.objects.filter(place__code=f.ANPING, status="open").first()
    matching.placement_record(resident=october["b1"], posting=posting, recorded_by=liaison_user,
                              start_date=dt.date(2026, 10, 30))
    after = statistics_for(scope, OCTOBER)
    assert after.values[Figure.PLACEMENTS] == before + 1
    assert after.values[Figure.ZERO_EMPLOYMENT_HOUSEHOLDS] == 1


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0"), (8, "8"), (10, "10"), (23, "20余"), (100, "100"), (128, "120余"), (1023, "1000余"), (1000, "1000"),
     (1523, "1500余"), (12345, "12000余")],
)
def test_report_rounding(count, text):
    assert approximate(count) == text


def test_report_sentence_in_the_station_s_words(station):
    from stations.statistics import Statistics

    values = {str(fig): 0 for fig in Figure}
    values.update({Figure.JOBS_PUBLISHED: 1023, Figure.RESIDENTS_RECOMMENDED: 128, Figure.SESSIONS_HELD: 23,
                   Figure.PLACEMENTS: 35})
    stats = Statistics(scope=Scope.for_station(station), period=Period.year(2026), values=values)
    assert report_sentence(stats) == "提供就业信息1000余条，推荐就业120余人，组织培训20余次，实现就业30余人。"


def test_known_month_sentence(october, station):
    stats = statistics_for(Scope.for_station(station), OCTOBER)
    assert report_sentence(stats) == "提供就业信息5条，推荐就业3人，组织培训2次，实现就业2人。"


def test_workbook_and_csv_hold_the_records(october, station):
    stats = statistics_for(Scope.for_station(station), OCTOBER)
    book = load_workbook(BytesIO(report_workbook(stats)))
    assert len(book.sheetnames) == 1 + len(Figure) + 1  # summary, a sheet per figure, the chart sheet
    for index, figure in enumerate(Figure, start=1):
        sheet = book.worksheets[index]
        assert sheet.max_row - 1 == stats.values[figure], figure
        assert sheet.cell(row=1, column=1).value != "编号"  # no internal database ids
    summary = book.worksheets[0]
    assert isinstance(summary.cell(row=1, column=2).value, dt.datetime)  # dates are dates
    rate = summary.cell(row=summary.max_row, column=2)
    assert rate.value is None or isinstance(rate.value, float)  # a rate is a number
    placements = book.worksheets[1 + list(Figure).index(Figure.PLACEMENTS)]
    start = [c.value for c in placements[1]].index("开始日期")
    rows = list(placements.iter_rows(min_row=2, values_only=True))
    assert rows
    assert all(isinstance(row[start], dt.datetime) for row in rows)
    chart_sheet = book.worksheets[-1]
    assert len(chart_sheet._charts) == 1
    assert chart_sheet.max_row == 13
    # Personal data only masked in the workbook.
    text = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    for resident in Resident.objects.all():
        assert resident.id_number_masked in text or resident.name not in text
    assert "*" in text
    csv_text = report_csv(stats)
    assert csv_text.startswith("\ufeff")
    assert len(csv_text.strip().splitlines()) == 1 + len(Figure) + 4  # + median time to answer


def test_charts_are_png_with_the_monthly_trend(october, station, tmp_path):
    from stations.charts import monthly_trend, trend_chart, zero_employment_chart

    trend = monthly_trend(Scope.for_station(station), dt.date(2026, 10, 31), months=6)
    assert trend.months == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    assert trend.placements == [0, 0, 1, 0, 0, 2]
    assert trend.sessions_held[-1] == 2
    assert trend.zero_employment_households[-1] == 2
    for name, png in (("trend", trend_chart(trend, "平溪街道")), ("zero", zero_employment_chart(trend, "零就业家庭"))):
        assert png.startswith(b"\x89PNG")
        (tmp_path / f"{name}.png").write_bytes(png)
