"""Routes of the JSON API, version 1."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import (
    assignments,
    auth,
    coding,
    employers,
    enrollments,
    households,
    imports,
    jobs,
    matching,
    public,
    requests,
    residents,
    statistics,
    taxonomy,
    training,
)

router = DefaultRouter()
router.register("skills", taxonomy.SkillViewSet, basename="skill")
router.register("skill-groups", taxonomy.SkillGroupViewSet, basename="skill-group")
router.register("occupations", taxonomy.OccupationViewSet, basename="occupation")
router.register("places", taxonomy.PlaceViewSet, basename="place")
router.register("households", households.HouseholdViewSet, basename="household")
router.register("residents", residents.ResidentViewSet, basename="resident")
router.register("employers", employers.EmployerViewSet, basename="employer")
router.register("jobs", jobs.JobPostingViewSet, basename="job")
router.register("courses", training.CourseViewSet, basename="course")
router.register("sessions", training.SessionViewSet, basename="session")
router.register("enrollments", enrollments.EnrollmentViewSet, basename="enrollment")
router.register("recommendations", matching.RecommendationViewSet, basename="recommendation")
router.register("placements", matching.PlacementViewSet, basename="placement")
router.register("recommendation-batches", matching.RecommendationBatchViewSet, basename="recommendation-batch")
router.register("interests", matching.InterestViewSet, basename="interest")
router.register("follow-ups", matching.FollowUpViewSet, basename="follow-up")
router.register("assignments", assignments.AssignmentRunViewSet, basename="assignment")
router.register("imports", imports.ImportJobViewSet, basename="import")
router.register("requests", requests.RequestViewSet, basename="request")
router.register("suggestions", requests.SuggestionViewSet, basename="suggestion")
router.register("ranking-runs", matching.RankingRunViewSet, basename="ranking-run")

app_name = "api"
urlpatterns = [
    path("public/postings/", public.PublicPostingsView.as_view(), name="public-postings"),
    path("public/sessions/", public.PublicSessionsView.as_view(), name="public-sessions"),
    path("public/station/", public.PublicStationView.as_view(), name="public-station"),
    path("public/requests/", public.PublicRequestView.as_view(), name="public-requests"),
    path("public/requests/track/", public.PublicRequestTrackView.as_view(), name="public-request-track"),
    path("public/requests/rate/", public.PublicRequestRateView.as_view(), name="public-request-rate"),
    path("auth/token/", auth.TokenLoginView.as_view(), name="auth-token"),
    path("residents/<int:pk>/matches/", matching.ResidentMatchesView.as_view(), name="resident-matches"),
    path("residents/<int:pk>/matches/<int:posting_pk>/", matching.ResidentPairView.as_view(), name="resident-pair"),
    path("residents/<int:pk>/matches/<int:posting_pk>/interest/", matching.ResidentInterestView.as_view(),
         name="resident-interest"),
    path("residents/<int:pk>/course-advice/", matching.ResidentCourseAdviceView.as_view(),
         name="resident-course-advice"),
    path("jobs/<int:pk>/candidates/", matching.PostingCandidatesView.as_view(), name="job-candidates"),
    path("occupations/code/", coding.OccupationCodeView.as_view(), name="occupations-code"),
    path("occupations/corrections/", coding.OccupationCorrectionView.as_view(), name="occupations-corrections"),
    path("skills/resolve/", coding.SkillResolveView.as_view(), name="skills-resolve"),
    path("stations/<int:pk>/course-priorities/", matching.StationCoursePrioritiesView.as_view(),
         name="station-course-priorities"),
    path("market-days/", enrollments.MarketDaysView.as_view(), name="market-days"),
    path("statistics/", statistics.StatisticsView.as_view(), name="statistics"),
    path("statistics/records/", statistics.StatisticsRecordsView.as_view(), name="statistics-records"),
    path("statistics/report/", statistics.StatisticsReportView.as_view(), name="statistics-report"),
    path("statistics/charts/<str:chart>.png", statistics.StatisticsChartView.as_view(), name="statistics-chart"),
    path("", include(router.urls)),
]
