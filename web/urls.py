"""Server-rendered pages: sign-in, then one section per audience (liaison, bureau, resident, dashboard)."""

from django.urls import path

from .views import auth, bureau, dashboard, liaison, resident

app_name = "web"
urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("", auth.home, name="home"),
    # Liaison worker
    path("liaison/", liaison.resident_search_page, name="liaison-search"),
    path("liaison/residents/<int:pk>/", liaison.resident_detail, name="liaison-resident"),
    path("liaison/residents/<int:pk>/history/", liaison.resident_history, name="liaison-history"),
    path("liaison/residents/<int:resident_pk>/recommend/<int:posting_pk>/", liaison.recommend,
         name="liaison-recommend"),
    path("liaison/recommendations/<int:pk>/move/", liaison.recommendation_move_view, name="liaison-move"),
    path("liaison/postings/", liaison.posting_search_page, name="liaison-postings"),
    path("liaison/postings/<int:pk>/", liaison.posting_detail, name="liaison-posting"),
    path("liaison/followups/", liaison.followups, name="liaison-followups"),
    path("liaison/followups/<int:pk>/", liaison.followup_record_view, name="liaison-followup-record"),
    # Bureau clerk
    path("bureau/employers/", bureau.employers, name="bureau-employers"),
    path("bureau/employers/new/", bureau.employer_form, name="bureau-employer-new"),
    path("bureau/employers/<int:pk>/edit/", bureau.employer_form, name="bureau-employer-edit"),
    path("bureau/postings/", bureau.postings, name="bureau-postings"),
    path("bureau/postings/new/", bureau.posting_new, name="bureau-posting-new"),
    path("bureau/postings/<int:pk>/", bureau.posting_detail, name="bureau-posting"),
    path("bureau/postings/<int:pk>/edit/", bureau.posting_edit, name="bureau-posting-edit"),
    path("bureau/postings/<int:pk>/publish/", bureau.posting_publish_view, name="bureau-posting-publish"),
    path("bureau/postings/<int:pk>/close/", bureau.posting_close_view, name="bureau-posting-close"),
    path("bureau/courses/", bureau.courses, name="bureau-courses"),
    path("bureau/courses/new/", bureau.course_form, name="bureau-course-new"),
    path("bureau/courses/<int:pk>/", bureau.course_detail, name="bureau-course"),
    path("bureau/courses/<int:pk>/edit/", bureau.course_form, name="bureau-course-edit"),
    path("bureau/courses/<int:course_pk>/sessions/new/", bureau.session_form, name="bureau-session-new"),
    path("bureau/sessions/<int:pk>/edit/", bureau.session_form, name="bureau-session-edit"),
    path("bureau/imports/", bureau.imports, name="bureau-imports"),
    path("bureau/imports/template.xlsx", bureau.import_template, name="bureau-import-template"),
    path("bureau/imports/<int:pk>/", bureau.import_detail, name="bureau-import"),
    # Resident
    path("me/", resident.home, name="resident-home"),
    path("me/jobs/", resident.jobs, name="resident-jobs"),
    path("me/training/", resident.training, name="resident-training"),
    path("me/training/<int:session_pk>/enrol/", resident.enrol, name="resident-enrol"),
    path("me/enrolments/", resident.enrolments, name="resident-enrolments"),
    path("me/enrolments/<int:pk>/cancel/", resident.cancel, name="resident-cancel"),
    # Station dashboard
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/chart/<str:kind>.png", dashboard.chart, name="dashboard-chart"),
    path("dashboard/figures/<str:figure>/", dashboard.figure_records_page, name="dashboard-figure"),
    path("dashboard/figures/<str:figure>.csv", dashboard.figure_csv_view, name="dashboard-figure-csv"),
    path("dashboard/report.xlsx", dashboard.report_xlsx, name="dashboard-xlsx"),
    path("dashboard/report.csv", dashboard.report_csv_view, name="dashboard-csv"),
]
