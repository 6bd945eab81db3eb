from django.urls import path

from . import dashboard_views, report_views, submission_views, views

app_name = "reports"

urlpatterns = [
    path("totals/", views.totals_page, name="totals"),
    path("documents/", report_views.report_list, name="report_list"),
    path("documents/new/", report_views.report_create, name="report_create"),
    path("documents/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("documents/<int:pk>/header/", report_views.header_edit, name="header_edit"),
    path("documents/<int:pk>/parts/<int:part_pk>/", report_views.part_edit, name="part_edit"),
    path("documents/<int:pk>/regenerate/", report_views.report_regenerate, name="report_regenerate"),
    path("documents/<int:pk>/finalize/", report_views.report_finalize, name="report_finalize"),
    path("documents/<int:pk>/docx/", report_views.report_docx, name="report_docx"),
    path("documents/<int:pk>/pdf/", report_views.report_pdf, name="report_pdf"),
    path("documents/<int:pk>/files/", report_views.report_files, name="report_files"),
    path("documents/<int:pk>/files/<int:file_pk>/", report_views.file_download, name="file_download"),
    path("submissions/", submission_views.submissions_page, name="submissions"),
    path("submissions/calls/", submission_views.submission_call_create, name="submission_call_create"),
    path("documents/<int:pk>/submit/", submission_views.submission_submit, name="submission_submit"),
    path("submissions/<int:pk>/return/", submission_views.submission_return, name="submission_return"),
    path("submissions/<int:pk>/accept/", submission_views.submission_accept, name="submission_accept"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
]
