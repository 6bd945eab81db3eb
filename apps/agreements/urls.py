"""URLs of agreements, one list per concept."""

from django.urls import path

from .views import agreements, coverage, issue, jobs, templates

app_name = "agreements"

AGREEMENT_URLS = [
    path("", agreements.AgreementListView.as_view(), name="agreement_list"),
    path("issue/", issue.issue, name="agreement_issue"),
    path("<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("<int:pk>/sign/", agreements.agreement_sign, name="agreement_sign"),
    path("<int:pk>/refuse/", agreements.agreement_refuse, name="agreement_refuse"),
    path("<int:pk>/renew/", agreements.agreement_renew, name="agreement_renew"),
    path("<int:pk>/step/<str:name>/", agreements.agreement_step, name="agreement_step"),
    path("<int:pk>/docx/", agreements.agreement_download, name="agreement_docx"),
    path("<int:pk>/board/", agreements.agreement_board, name="agreement_board"),
    path("photos/<int:pk>/<str:size>/", agreements.photo, name="photo"),
    path("scans/<int:pk>/", agreements.scan, name="scan"),
]

COVERAGE_URLS = [
    path("coverage/", coverage.coverage, name="coverage"),
    path("coverage/lacking/", coverage.coverage_lacking, name="coverage_lacking"),
]

JOB_URLS = [
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/new/", jobs.job_start, name="job_start"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<int:pk>/docx/", jobs.job_docx, name="job_docx"),
]

TEMPLATE_URLS = [
    path("templates/", templates.template_list, name="template_list"),
    path("templates/<int:pk>/", templates.template_detail, name="template_detail"),
    path("templates/<int:pk>/v/<int:number>/", templates.template_version, name="template_version"),
    path("templates/<int:pk>/edit/", templates.template_edit, name="template_edit"),
]

urlpatterns = [*AGREEMENT_URLS, *COVERAGE_URLS, *JOB_URLS, *TEMPLATE_URLS]
